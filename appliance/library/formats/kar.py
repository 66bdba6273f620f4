"""KAR (karaoke MIDI) lyrics: syllables with times in seconds, from any of the usual layouts.

Lyrics come as text events (FF 01, "Soft Karaoke": a ``Words`` track, ``@K @V @L @T @I`` header
tags that are not lyrics, a leading ``/`` for a new line and ``\\`` for a new paragraph) or lyric
events (FF 05, where ``\\r`` / ``\\n`` break lines); real files mix both and may keep them in
track 0. Times use the whole tempo map (FF 51 in any track, changing mid-song) or SMPTE
division. The text encoding is detected. Use::

    kar = read_kar("song.kar")
    kar.lyrics.lines[0].text, kar.duration_s, kar.encoding

Malformed files raise only :class:`SongFormatError`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

import mido

from appliance.core.errors import SongFormatError
from appliance.library.formats.kar_text import (
    CREDIT,
    SYLLABLE,
    chord_evidence,
    is_title_like,
    kind_of,
)
from appliance.library.formats.lyrics import LyricLine, Lyrics, Word, tidy_words
from appliance.library.formats.midifile import load_midi
from appliance.library.formats.textcodec import LEGACY_WITH_ASIAN, decode_text
from appliance.library.songfolder.bounded import read_bounded

MAX_FILE_BYTES = 16 * 1024 * 1024
DEFAULT_TEMPO_US = 500_000
MAX_WORD_S = 1.5
SOFT_KARAOKE_TRACK = "words"
LYRIC_EVENTS_RULE = 0.6  # a track this much made of lyric events (FF 05) sings only those
_LINE_MARK = re.compile(r"[/\\\r\n]")


@dataclass(frozen=True)
class KarFile:
    """What a KAR file offers the box: its lyrics, length and the text encoding found."""

    path: str
    lyrics: Lyrics
    duration_s: float
    encoding: str


@dataclass(frozen=True)
class _Event:
    tick: int
    raw: bytes
    is_lyric_event: bool


@dataclass(frozen=True)
class _Track:
    name: bytes
    events: list[_Event]


class _Clock:
    """Ticks to seconds through the global tempo map, or SMPTE frames."""

    def __init__(self, division: int, tempos: list[tuple[int, int]]) -> None:
        self.smpte_rate = 0.0
        if division & 0x8000:
            frames = 256 - (division >> 8)
            fps = 29.97 if frames == 29 else float(frames)
            self.smpte_rate = fps * max(division & 0xFF, 1)
        self.ticks_per_beat = max(division & 0x7FFF, 1)
        self.starts: list[int] = [0]
        self.seconds: list[float] = [0.0]
        self.tempos: list[int] = [DEFAULT_TEMPO_US]
        for tick, tempo in sorted(tempos):
            elapsed = self.seconds[-1] + self._span(tick - self.starts[-1], self.tempos[-1])
            if tick == self.starts[-1]:
                self.tempos[-1] = tempo
                continue
            self.starts.append(tick)
            self.seconds.append(elapsed)
            self.tempos.append(tempo)

    def _span(self, ticks: int, tempo: int) -> float:
        return ticks * tempo / 1e6 / self.ticks_per_beat

    def seconds_at(self, tick: int) -> float:
        if self.smpte_rate:
            return tick / self.smpte_rate
        index = bisect.bisect_right(self.starts, tick) - 1
        return self.seconds[index] + self._span(tick - self.starts[index], self.tempos[index])


def read_kar(path: str | Path) -> KarFile:
    """Read a .kar / .mid file's lyrics."""
    return parse_kar(read_bounded(path, MAX_FILE_BYTES, "a MIDI file"), str(path))


def parse_kar(data: bytes, path: str) -> KarFile:
    """Parse the bytes of a KAR/MIDI file; ``path`` only names it in errors."""
    midi = load_midi(data, path)
    tempos, tracks, last_tick = _scan_tracks(midi)
    clock = _Clock(int.from_bytes(data[12:14]), tempos)
    events = _pick_lyric_track(tracks)
    if not events:
        raise SongFormatError(path, "no lyrics in this MIDI file")
    language = next((e.raw[2:].decode("latin-1") for e in events if e.raw[:2] == b"@L"), "")
    text_bytes = b"\n".join(e.raw for e in events)
    _, encoding = decode_text(text_bytes, None, LEGACY_WITH_ASIAN, language)
    lyrics = _build_lyrics(events, encoding, clock, _title_from_names(tracks, encoding))
    if lyrics.is_empty:
        raise SongFormatError(path, "no lyrics in this MIDI file")
    return KarFile(path, lyrics, clock.seconds_at(last_tick), encoding)


def _scan_tracks(midi: mido.MidiFile) -> tuple[list[tuple[int, int]], list[_Track], int]:
    """Tempo changes of all tracks, each track's name and text events, and the last tick."""
    tempos: list[tuple[int, int]] = []
    tracks = []
    last_tick = 0
    for track in midi.tracks:
        tick, name, events = 0, b"", []
        for message in track:
            tick += message.time
            if message.type == "set_tempo" and message.tempo > 0:
                tempos.append((tick, message.tempo))
            elif message.type == "track_name" and not name:
                name = message.name.encode("latin-1", errors="replace")
            elif message.type in ("text", "lyrics"):
                raw = message.text.encode("latin-1", errors="replace")
                events.append(_Event(tick, raw, message.type == "lyrics"))
        tracks.append(_Track(name, events))
        last_tick = max(last_tick, tick)
    return tempos, tracks, last_tick


def _pick_lyric_track(tracks: list[_Track]) -> list[_Event]:
    """The sung events of the track that carries the lyrics: a 'Words' track, else the one with
    the most syllables. Chords, credits and markers are left out (:mod:`kar_text`); so are the
    text events of a track whose syllables are lyric events (FF 05), except their @ tags and
    line breaks."""

    def score(track: _Track) -> tuple[int, int]:
        sung = _sung_events(track.events)
        is_words = track.name.strip().lower() == SOFT_KARAOKE_TRACK.encode() and bool(sung)
        return (1 if is_words else 0, len(sung))

    if not tracks:
        return []
    best = max(tracks, key=score)
    kept = _sung_events(best.events)
    tags = [e for e in best.events if e.raw.startswith(b"@")]
    return sorted(tags + kept, key=lambda e: e.tick)


def _sung_events(events: list[_Event]) -> list[_Event]:
    """The events of one track that are syllables (or line breaks), in file order."""
    texts = [e.raw.decode("latin-1") for e in events]
    evidence = chord_evidence(texts)
    sung = [
        e
        for e, text in zip(events, texts, strict=True)
        if kind_of(text, chord_evidence=evidence) == SYLLABLE
    ]
    lyric_events = sum(1 for e in sung if e.is_lyric_event)
    if lyric_events >= LYRIC_EVENTS_RULE * max(1, len(sung)):
        sung = [e for e in sung if e.is_lyric_event or not e.raw.strip(b"/\\ \r\n")]
    return sung


def _title_from_names(tracks: list[_Track], encoding: str) -> str:
    """The first track's name when it can be a title (not a credit, not 'Words' or 'Track 1')."""
    if not tracks:
        return ""
    name = tracks[0].name.decode(encoding, errors="replace").replace("\x00", "").strip()
    return name if is_title_like(name) else ""


class _LineBuilder:
    """Collects syllables into lines, then sets each syllable's end time."""

    def __init__(self) -> None:
        self.lines: list[list[tuple[float, str]]] = [[]]

    def new_line(self) -> None:
        if self.lines[-1]:
            self.lines.append([])

    def add(self, time_s: float, text: str) -> None:
        if text.strip() or (text and self.lines[-1]):
            self.lines[-1].append((time_s, text))

    def build(self) -> tuple[LyricLine, ...]:
        starts = [syllables[0][0] for syllables in self.lines if syllables]
        result = []
        for number, syllables in enumerate(s for s in self.lines if s):
            next_line = starts[number + 1] if number + 1 < len(starts) else None
            words = []
            for index, (start, text) in enumerate(syllables):
                following = syllables[index + 1][0] if index + 1 < len(syllables) else next_line
                end = (
                    start + MAX_WORD_S if following is None else min(following, start + MAX_WORD_S)
                )
                words.append(Word(text, start, max(end, start)))
            result.append(LyricLine(tidy_words(words)))
        return tuple(line for line in result if line.words)


def _build_lyrics(events: list[_Event], encoding: str, clock: _Clock, fallback: str) -> Lyrics:
    builder = _LineBuilder()
    titles: list[str] = []
    for event in events:
        text = event.raw.decode(encoding, errors="replace").replace("\x00", "")
        if text.startswith("@") and len(text) >= 2:
            if text[1].upper() == "T":
                titles.append(text[2:].strip())
            continue
        _add_syllable(builder, text, clock.seconds_at(event.tick))
    named = [name for name in titles if name and kind_of(name) != CREDIT]
    title = named[0] if named else fallback
    artist = named[1] if len(named) > 1 and title == named[0] else ""
    return Lyrics(lines=builder.build(), title=title, artist=artist)


def _add_syllable(builder: _LineBuilder, text: str, time_s: float) -> None:
    """One event's text: each '/', '\\', CR or LF breaks the line where it stands (the marks are
    never shown); tabs and runs of spaces become one space."""
    for number, piece in enumerate(_LINE_MARK.split(text)):
        if number:
            builder.new_line()
        builder.add(time_s, piece)
