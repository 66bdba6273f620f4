"""UltraStar ``.txt`` files (unversioned and v1.x): header metadata plus a :class:`NoteTrack`.

Time of a beat (in ms) is ``GAP + beat * 60000 / (BPM * 4)``; pitch 0 is C4 (MIDI 60)::

    >>> head = "#TITLE:Hi\\n#ARTIST:Me\\n#MP3:a.mp3\\n#BPM:150\\n#GAP:1000\\n"
    >>> song = parse_ultrastar((head + ": 0 4 0 Hel\\n: 4 4 2 lo\\nE\\n").encode(), "hi.txt")
    >>> [(n.text, n.start_s, n.pitch_midi) for n in song.track.notes]
    [('Hel', 1.0, 60), ('lo', 1.4, 62)]

Odd cases handled (see FORMATS.md): keys in any case, values containing ':', ``#AUDIO``
superseding ``#MP3`` (a ``#VIDEO`` gives the audio when neither is there), decimal commas (also in
``#VIDEOGAP``, the background video's offset in seconds: a bad one reads as 0), note
types ``: * F R G`` (others read as freestyle), text keeping its spaces, ``~`` holds, ``- beat``
phrase ends (and the old ``- beat beat`` form, relative mode included), ``P1``..``P9`` duet
voices, ``E``, no space after the note type, runs of spaces, negative numbers, notes with no
text, a missing final ``-``, BOMs, UTF-16 and legacy code pages with or without ``#ENCODING``
(``#LANGUAGE`` helps tell them apart). Malformed input raises only :class:`SongFormatError`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from appliance.core.errors import SongFormatError
from appliance.library.formats.lyrics import Note, NoteKind, NoteTrack
from appliance.library.formats.textcodec import decode_text
from appliance.library.songfolder.bounded import read_bounded

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_BEAT = 10**7
MAX_BPM = 10**5
PITCH_OFFSET = 60

_NOTE_KINDS = {
    ":": NoteKind.NORMAL,
    "*": NoteKind.GOLDEN,
    "F": NoteKind.FREESTYLE,
    "R": NoteKind.RAP,
    "G": NoteKind.GOLDEN_RAP,
}
_NOTE = re.compile(r"([^\s\d\-#])[ \t]*(-?\d+)[ \t]+(-?\d+)[ \t]+(-?\d+)(?:[ \t](.*))?\Z")
_BREAK = re.compile(r"-[ \t]*(-?\d+)(?:[ \t]+(-?\d+))?[ \t]*\Z")
_VOICE = re.compile(r"P[ \t]*(\d)[ \t]*\Z", re.IGNORECASE)
_DECLARED = re.compile(rb"^[ \t]*#ENCODING[ \t]*:[ \t]*([A-Za-z0-9_\-]+)", re.IGNORECASE | re.M)
_LANGUAGE = re.compile(rb"^[ \t]*#LANGUAGE[ \t]*:[ \t]*([^\r\n]+)", re.IGNORECASE | re.M)


@dataclass(frozen=True)
class UltraStarSong:
    """What an UltraStar file says: metadata, audio file names (relative) and the notes."""

    path: str
    title: str
    artist: str
    bpm: float
    gap_ms: float
    track: NoteTrack
    audio: str = ""
    vocals: str = ""
    instrumental: str = ""
    video: str = ""
    video_gap_s: float = 0.0
    background: str = ""
    cover: str = ""
    language: str = ""
    year: str = ""
    genre: str = ""
    version: str = ""
    part_names: tuple[str, ...] = ()
    start_s: float = 0.0
    end_ms: float = 0.0
    encoding: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def is_duet(self) -> bool:
        """True when the notes are split into parts (P1/P2...)."""
        return any(note.part for note in self.track.notes)


def read_ultrastar(path: str | Path, *, require_audio: bool = True) -> UltraStarSong:
    """Read and parse an UltraStar file. ``require_audio=False`` for native notes files."""
    data = read_bounded(path, MAX_FILE_BYTES, "an UltraStar file")
    return parse_ultrastar(data, str(path), require_audio=require_audio)


def parse_ultrastar(data: bytes, path: str, *, require_audio: bool = True) -> UltraStarSong:
    """Parse the bytes of an UltraStar file; ``path`` only names it in errors."""
    declared = _DECLARED.search(data[:8192])
    language = _LANGUAGE.search(data[:8192])
    text, encoding = decode_text(
        data,
        declared.group(1).decode() if declared else None,
        language=language.group(1).decode("latin-1") if language else "",
    )
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headers, body_start = _read_headers(lines)
    song = _metadata(headers, path, require_audio)
    notes, breaks, break_parts = _Body(path, song.bpm, song.gap_ms, headers).read(lines, body_start)
    track = NoteTrack(
        notes=tuple(notes),
        line_breaks_s=tuple(breaks),
        line_break_parts=tuple(break_parts),
        title=song.title,
        artist=song.artist,
    )
    return _replace_track(song, track, encoding)


def _read_headers(lines: list[str]) -> tuple[dict[str, str], int]:
    """``{KEY: value}`` (keys upper-cased, first wins) and the index of the first body line."""
    headers: dict[str, str] = {}
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            return headers, index
        key, colon, value = line[1:].partition(":")
        if colon:
            headers.setdefault(key.strip().upper(), value.strip())
    return headers, len(lines)


def _metadata(headers: dict[str, str], path: str, require_audio: bool) -> UltraStarSong:
    version = headers.get("VERSION", "")
    if version and not re.match(r"\s*[01](\.|\s*\Z)", version):
        raise SongFormatError(path, f"unsupported UltraStar version {version!r}", "VERSION")
    for key in ("TITLE", "ARTIST", "BPM"):
        if not headers.get(key):
            raise SongFormatError(path, f"missing #{key}", key)
    audio = headers.get("AUDIO") or headers.get("MP3") or headers.get("VIDEO", "")
    if require_audio and not audio:
        raise SongFormatError(path, "missing #AUDIO (or #MP3, or a #VIDEO with sound)", "AUDIO")
    bpm = _number(headers["BPM"], path, "BPM")
    if not 0 < bpm <= MAX_BPM:
        raise SongFormatError(path, f"BPM must be positive, not {headers['BPM']!r}", "BPM")
    gap = _number(headers.get("GAP") or "0", path, "GAP")
    parts = tuple(headers.get(f"P{n}") or headers.get(f"DUETSINGERP{n}", "") for n in (1, 2))
    return UltraStarSong(
        path=path,
        title=headers["TITLE"],
        artist=headers["ARTIST"],
        bpm=bpm,
        gap_ms=gap,
        track=NoteTrack(notes=()),
        audio=audio,
        vocals=headers.get("VOCALS", ""),
        instrumental=headers.get("INSTRUMENTAL", ""),
        video=headers.get("VIDEO", ""),
        video_gap_s=_lenient_number(headers.get("VIDEOGAP", "")),
        background=headers.get("BACKGROUND", ""),
        cover=headers.get("COVER", ""),
        language=headers.get("LANGUAGE", ""),
        year=headers.get("YEAR", ""),
        genre=headers.get("GENRE", ""),
        version=version,
        part_names=parts if any(parts) else (),
        start_s=_number(headers.get("START") or "0", path, "START"),
        end_ms=_number(headers.get("END") or "0", path, "END"),
        headers=dict(headers),
    )


def _replace_track(song: UltraStarSong, track: NoteTrack, encoding: str) -> UltraStarSong:
    values = {name: getattr(song, name) for name in song.__dataclass_fields__}
    values.update(track=track, encoding=encoding)
    return UltraStarSong(**values)


def _number(raw: str, path: str, key: str) -> float:
    """A decimal number that may use a comma: '120,5' -> 120.5."""
    try:
        value = float(raw.strip().replace(",", "."))
    except ValueError:
        raise SongFormatError(path, f"not a number: {raw!r}", key) from None
    if not math.isfinite(value) or abs(value) > 1e12:
        raise SongFormatError(path, f"not a usable number: {raw!r}", key)
    return value


def _lenient_number(raw: str) -> float:
    """A header that only places a picture (``#VIDEOGAP``): a bad value reads as 0, never
    costing the song.

    >>> _lenient_number("-1,5"), _lenient_number("soon"), _lenient_number("")
    (-1.5, 0.0, 0.0)
    """
    try:
        return _number(raw, "", "") if raw.strip() else 0.0
    except SongFormatError:
        return 0.0


class _Body:
    """Reads note, break and voice lines; keeps the state the format needs (part, relative base)."""

    def __init__(self, path: str, bpm: float, gap_ms: float, headers: dict[str, str]) -> None:
        self.path = path
        self.beat_s = 60.0 / (bpm * 4.0)
        self.gap_s = gap_ms / 1000.0
        self.relative = headers.get("RELATIVE", "").strip().lower() in ("yes", "true", "1")
        self.base = 0
        self.part = 0
        self.notes: list[Note] = []
        self.breaks: list[float] = []
        self.break_parts: list[int] = []

    def read(self, lines: list[str], start: int) -> tuple[list[Note], list[float], list[int]]:
        for number, raw in enumerate(lines[start:], start=start + 1):
            line = raw.rstrip("\n")
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if stripped[0] in "Ee" and stripped[1:].strip() == "":
                break
            self._line(line.lstrip(" \t\ufeff"), number)
        if not self.notes:
            raise SongFormatError(self.path, "no notes")
        return self.notes, self.breaks, self.break_parts

    def _line(self, line: str, number: int) -> None:
        voice = _VOICE.match(line)
        if voice:
            self.part = int(voice.group(1))
            self.base = 0
            return
        brk = _BREAK.match(line.rstrip())
        if brk:
            self._phrase_break(int(brk.group(1)), brk.group(2), number)
            return
        note = _NOTE.match(line)
        if not note:
            raise SongFormatError(self.path, f"line {number}: cannot read {line[:40]!r}")
        self._note(note, number)

    def _note(self, match: re.Match[str], number: int) -> None:
        kind = _NOTE_KINDS.get(match.group(1), NoteKind.FREESTYLE)
        start, duration, pitch = (int(match.group(i)) for i in (2, 3, 4))
        if duration < 0 or abs(start) > MAX_BEAT or duration > MAX_BEAT or abs(pitch) > 1000:
            raise SongFormatError(self.path, f"line {number}: note out of range")
        text = (match.group(5) or "").rstrip("\r")
        self.notes.append(
            Note(
                start_s=self._time(self.base + start),
                duration_s=duration * self.beat_s,
                pitch_midi=pitch + PITCH_OFFSET,
                text=text,
                kind=kind,
                part=self.part,
            )
        )

    def _phrase_break(self, beat: int, second: str | None, number: int) -> None:
        if abs(beat) > MAX_BEAT:
            raise SongFormatError(self.path, f"line {number}: phrase break out of range")
        self.breaks.append(self._time(self.base + beat))
        self.break_parts.append(self.part)
        if self.relative:
            offset = int(second) if second is not None else beat
            if abs(offset) > MAX_BEAT:
                raise SongFormatError(self.path, f"line {number}: phrase break out of range")
            self.base += offset

    def _time(self, beat: int) -> float:
        return self.gap_s + beat * self.beat_s
