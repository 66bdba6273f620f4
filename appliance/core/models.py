"""Frozen domain models: songs, stems, singers, queue entries and their mix settings.

Units live in the names (``duration_s``, ``gain_db``, ``key_semitones``). Models are immutable;
change one with :func:`dataclasses.replace` or the helpers here::

    >>> mix = MixSettings(key_semitones=2, guide_level=0.0)
    >>> mix.with_stem_gain("drums", 0.0).stem_gain("drums")
    0.0
    >>> transpose_key("G", 2)
    'A'
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field, replace
from typing import NewType

from appliance.core.errors import InvalidRequest
from appliance.core.text import clean_text, is_scalar_text

SongId = NewType("SongId", str)
SingerId = NewType("SingerId", int)
EntryId = NewType("EntryId", int)

KEY_MIN, KEY_MAX = -12, 12
TEMPO_MIN, TEMPO_MAX = 0.5, 1.5
STEM_GAIN_MAX = 2.0
MAX_STEMS = 32
MAX_NAME_CHARS = 40
MAX_STEM_NAME_CHARS = 64


class StemRole(enum.StrEnum):
    """What a stem carries. ``lead_vocal`` is the guide; ``click`` and ``cue`` go to in-ears."""

    DRUMS = "drums"
    PERCUSSION = "percussion"
    BASS = "bass"
    KEYS = "keys"
    GUITAR = "guitar"
    STRINGS = "strings"
    BRASS = "brass"
    SYNTH = "synth"
    BACKING_VOCALS = "backing_vocals"
    LEAD_VOCAL = "lead_vocal"
    CLICK = "click"
    CUE = "cue"
    OTHER = "other"
    MIX = "mix"

    @property
    def is_monitor_only(self) -> bool:
        """Click and cue are for the performers' ears, never the room, never pitch-shifted."""
        return self in (StemRole.CLICK, StemRole.CUE)


class SongKind(enum.StrEnum):
    """Where a song came from; decides which reader and which TV scene it needs."""

    NATIVE = "native"
    MP3G = "mp3g"
    ULTRASTAR = "ultrastar"
    KAR = "kar"
    LRC_AUDIO = "lrc_audio"
    VIDEO = "video"  # a karaoke video: the lyrics are in the picture


@dataclass(frozen=True)
class Stem:
    """One audio file of a song. ``file`` is relative to the song's folder."""

    name: str
    role: StemRole
    file: str
    gain_db: float = 0.0
    pan: float = 0.0


@dataclass(frozen=True)
class Song:
    """A catalog entry. ``path`` is the song folder (native) or the main file (foreign)."""

    song_id: SongId
    title: str
    artist: str
    duration_s: float
    path: str
    kind: SongKind = SongKind.NATIVE
    language: str = ""
    tags: tuple[str, ...] = ()
    key: str = ""
    bpm: float = 0.0
    stems: tuple[Stem, ...] = ()
    lyrics_file: str = ""
    notes_file: str = ""
    loudness_lufs: float | None = None  # the room mix with the guide vocal at full level
    loudness_no_guide_lufs: float | None = None  # the same without the guide (None: no guide)

    @property
    def has_stems(self) -> bool:
        """True when the song has separate instrument stems (not only one mix)."""
        return sum(1 for stem in self.stems if not stem.role.is_monitor_only) > 1

    @property
    def has_guide(self) -> bool:
        """True when a lead-vocal guide stem exists, or the song is a multiplex track (guide
        vocal on the right channel), so the guide level means something."""
        return "multiplex" in self.tags or any(
            stem.role is StemRole.LEAD_VOCAL for stem in self.stems
        )

    @property
    def label(self) -> str:
        """'Title - Artist' for messages and the TV."""
        return f"{self.title} - {self.artist}" if self.artist else self.title


@dataclass(frozen=True)
class Loudness:
    """A song's measured loudness (LUFS): the room mix, and the room mix without the guide
    vocal when the song has a guide stem (what is heard while someone sings at guide 0)."""

    lufs: float
    no_guide_lufs: float | None = None


@dataclass(frozen=True)
class MixSettings:
    """Per-entry key, tempo, guide-vocal level and stem gains (linear, 0 = muted, 1 = as mixed).

    Construct freely; call :meth:`validated` at the core's boundary (phones are untrusted).
    """

    key_semitones: int = 0
    tempo_ratio: float = 1.0
    guide_level: float = 1.0
    stem_gains: tuple[tuple[str, float], ...] = ()
    vocal_reduction: bool = False  # songs without stems: take the centred voice out live

    def validated(self) -> MixSettings:
        """Return self if every field is in range, else raise :class:`InvalidRequest`."""
        if not isinstance(self.vocal_reduction, bool):
            raise InvalidRequest("vocal_reduction", "must be true or false")
        _check_int_range("key_semitones", self.key_semitones, KEY_MIN, KEY_MAX)
        _check_float_range("tempo_ratio", self.tempo_ratio, TEMPO_MIN, TEMPO_MAX)
        _check_float_range("guide_level", self.guide_level, 0.0, 1.0)
        if len(self.stem_gains) > MAX_STEMS:
            raise InvalidRequest("stem_gains", f"at most {MAX_STEMS} stems")
        names = [name for name, _ in self.stem_gains]
        if len(set(names)) != len(names):
            raise InvalidRequest("stem_gains", "a stem is named twice")
        for name, gain in self.stem_gains:
            if not isinstance(name, str) or not 0 < len(name) <= MAX_STEM_NAME_CHARS:
                raise InvalidRequest("stem_gains", "stem names are 1-64 characters")
            if not is_scalar_text(name):
                raise InvalidRequest("stem_gains", "stem names must be Unicode text")
            _check_float_range(f"stem_gains.{name}", gain, 0.0, STEM_GAIN_MAX)
        return self

    def stem_gain(self, name: str) -> float:
        """The linear gain set for stem ``name`` (1.0 when not set)."""
        return dict(self.stem_gains).get(name, 1.0)

    def with_stem_gain(self, name: str, gain: float) -> MixSettings:
        """A copy with stem ``name`` at linear ``gain`` (0 mutes it)."""
        gains = dict(self.stem_gains)
        gains[name] = float(gain)
        return replace(self, stem_gains=tuple(sorted(gains.items())))

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready form."""
        return {
            "key_semitones": self.key_semitones,
            "tempo_ratio": self.tempo_ratio,
            "guide_level": self.guide_level,
            "stem_gains": dict(self.stem_gains),
            "vocal_reduction": self.vocal_reduction,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object], base: MixSettings | None = None) -> MixSettings:
        """Build from untrusted JSON-like data; unknown keys and wrong types are refused."""
        base = base or cls()
        allowed = {"key_semitones", "tempo_ratio", "guide_level", "stem_gains", "vocal_reduction"}
        unknown = set(data) - allowed
        if unknown:
            raise InvalidRequest(sorted(unknown)[0], "unknown setting")
        gains = data.get("stem_gains", dict(base.stem_gains))
        if not isinstance(gains, dict):
            raise InvalidRequest("stem_gains", "must be an object of stem name to gain")
        settings = cls(
            key_semitones=_as_int("key_semitones", data.get("key_semitones", base.key_semitones)),
            tempo_ratio=_as_float("tempo_ratio", data.get("tempo_ratio", base.tempo_ratio)),
            guide_level=_as_float("guide_level", data.get("guide_level", base.guide_level)),
            stem_gains=tuple(
                sorted(
                    (_stem_name(name), _as_float(f"stem_gains.{_stem_name(name)}", g))
                    for name, g in gains.items()
                )
            ),
            vocal_reduction=_as_bool(
                "vocal_reduction", data.get("vocal_reduction", base.vocal_reduction)
            ),
        )
        return settings.validated()

    @classmethod
    def from_stored(cls, data: object) -> MixSettings:
        """Settings read back from the store: what is valid of them is kept (a stem gain with a
        name or value no longer allowed is dropped), so old bad data never stops a night."""
        if not isinstance(data, dict):
            return cls()
        gains = data.get("stem_gains")
        kept = {}
        if isinstance(gains, dict):
            for name, gain in gains.items():
                try:
                    kept[_stem_name(name)] = _as_float("stem_gains", gain)
                except InvalidRequest:
                    continue
        fields = {k: v for k, v in data.items() if k != "stem_gains"}
        try:
            return cls.from_dict({**fields, "stem_gains": kept})
        except InvalidRequest:
            try:
                return cls.from_dict(fields)
            except InvalidRequest:
                return cls()


@dataclass(frozen=True)
class Singer:
    """A person in the rotation. ``joined_order`` and ``last_sang_order`` are sequence numbers."""

    singer_id: SingerId
    name: str
    joined_order: int
    last_sang_order: int | None = None
    paused: bool = False
    bump_order: int | None = None


@dataclass(frozen=True)
class QueueEntry:
    """One song queued by one singer, with its settings. ``position`` orders the lists."""

    entry_id: EntryId
    singer_id: SingerId
    song_id: SongId
    settings: MixSettings = field(default_factory=MixSettings)
    position: int = 0
    added_at: float = 0.0


def clean_name(raw: object, field_name: str = "name") -> str:
    """Validate a person's name: trimmed, NFC, 1-40 printable characters, no control characters.

    >>> clean_name("  Ada  ")
    'Ada'
    """
    text = clean_text(raw, field_name, MAX_NAME_CHARS * 4)
    name = clean_text(" ".join(text.split()), field_name, MAX_NAME_CHARS)
    if any(not ch.isprintable() for ch in name):
        raise InvalidRequest(field_name, "control characters are not allowed")
    return name


_SHARP_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_PITCH_CLASS = {
    "C": 0, "B#": 0, "C#": 1, "Db": 1, "D": 2, "D#": 3, "Eb": 3, "E": 4, "Fb": 4, "E#": 5,
    "F": 5, "F#": 6, "Gb": 6, "G": 7, "G#": 8, "Ab": 8, "A": 9, "A#": 10, "Bb": 10, "B": 11,
    "Cb": 11,
}  # fmt: skip


def transpose_key(key: str, semitones: int) -> str:
    """Name of ``key`` (e.g. 'G', 'F#m', 'Bb') moved by ``semitones``; '' if unknown."""
    minor = key.endswith("m")
    root = key[:-1] if minor else key
    if root not in _PITCH_CLASS:
        return ""
    name = _SHARP_NAMES[(_PITCH_CLASS[root] + semitones) % 12]
    return name + ("m" if minor else "")


def _stem_name(name: object) -> str:
    return clean_text(name, "stem_gains", MAX_STEM_NAME_CHARS)


def _as_int(field_name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRequest(field_name, "must be a whole number")
    if isinstance(value, float) and not value.is_integer():
        raise InvalidRequest(field_name, "must be a whole number")
    return int(value)


def _as_bool(field_name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidRequest(field_name, "must be true or false")
    return value


def _as_float(field_name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRequest(field_name, "must be a number")
    return float(value)


def _check_int_range(field_name: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidRequest(field_name, f"must be a whole number from {low} to {high}")


def _check_float_range(field_name: str, value: float, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRequest(field_name, "must be a number")
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidRequest(field_name, f"must be between {low} and {high}")
