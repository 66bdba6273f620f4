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
import io
from dataclasses import dataclass
from pathlib import Path

import mido

from appliance.core.errors import SongFormatError
from appliance.library.formats.lyrics import LyricLine, Lyrics, Word
from appliance.library.formats.textcodec import LEGACY_WITH_ASIAN, decode_text
from appliance.library.songfolder.bounded import read_bounded

MAX_FILE_BYTES = 16 * 1024 * 1024
DEFAULT_TEMPO_US = 500_000
MAX_WORD_S = 1.5
SOFT_KARAOKE_TRACK = "words"


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
    midi = _load_midi(data, path)
    tempos, tracks, last_tick = _scan_tracks(midi)
    clock = _Clock(int.from_bytes(data[12:14]), tempos)
    events = _pick_lyric_track(tracks)
    track_name_title = tracks[0][0] if tracks and tracks[0][0].strip().lower() != "words" else ""
    if not events:
        raise SongFormatError(path, "no lyrics in this MIDI file")
    _, encoding = decode_text(b"\n".join(e.raw for e in events), None, LEGACY_WITH_ASIAN)
    lyrics = _build_lyrics(events, encoding, clock, track_name_title)
    if lyrics.is_empty:
        raise SongFormatError(path, "no lyrics in this MIDI file")
    return KarFile(path, lyrics, clock.seconds_at(last_tick), encoding)


def _load_midi(data: bytes, path: str) -> mido.MidiFile:
    if not data.startswith(b"MThd") or len(data) < 14:
        raise SongFormatError(path, "not a MIDI file (no MThd header)")
    try:
        return mido.MidiFile(file=io.BytesIO(data), clip=True)
    except Exception as error:  # mido raises many types on bad input
        reason = str(error) or type(error).__name__
        raise SongFormatError(path, f"corrupt MIDI data: {reason}") from None


def _scan_tracks(midi: mido.MidiFile) -> tuple[list[tuple[int, int]], list, int]:
    """Tempo changes of all tracks, each track's (name, text events), and the last tick."""
    tempos: list[tuple[int, int]] = []
    tracks = []
    last_tick = 0
    for track in midi.tracks:
        tick, name, events = 0, "", []
        for message in track:
            tick += message.time
            if message.type == "set_tempo" and message.tempo > 0:
                tempos.append((tick, message.tempo))
            elif message.type == "track_name" and not name:
                name = message.name
            elif message.type in ("text", "lyrics"):
                raw = message.text.encode("latin-1", errors="replace")
                events.append(_Event(tick, raw, message.type == "lyrics"))
        tracks.append((name, events))
        last_tick = max(last_tick, tick)
    return tempos, tracks, last_tick


def _pick_lyric_track(tracks: list) -> list[_Event]:
    """The track that carries the lyrics: a 'Words' track, else the most lyric-like one."""

    def score(entry: tuple[str, list[_Event]]) -> tuple[int, int]:
        name, events = entry
        words = sum(1 for e in events if not e.raw.startswith((b"@", b"%")))
        lyric_events = sum(1 for e in events if e.is_lyric_event)
        is_words = name.strip().lower() == SOFT_KARAOKE_TRACK and words > 0
        return (1 if is_words else 0, lyric_events + words)

    return max(tracks, key=score)[1] if tracks else []


class _LineBuilder:
    """Collects syllables into lines, then sets each syllable's end time."""

    def __init__(self) -> None:
        self.lines: list[list[tuple[float, str]]] = [[]]

    def new_line(self) -> None:
        if self.lines[-1]:
            self.lines.append([])

    def add(self, time_s: float, text: str) -> None:
        if text:
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
            result.append(LyricLine(tuple(words)))
        return tuple(result)


def _build_lyrics(events: list[_Event], encoding: str, clock: _Clock, fallback: str) -> Lyrics:
    builder = _LineBuilder()
    tags: dict[str, list[str]] = {}
    for event in sorted(events, key=lambda e: e.tick):
        text = event.raw.decode(encoding, errors="replace").replace("\x00", "")
        if text.startswith("@") and len(text) >= 2:
            tags.setdefault(text[1].upper(), []).append(text[2:].strip())
            continue
        if text.startswith("%"):
            continue
        _add_syllable(builder, text, clock.seconds_at(event.tick))
    titles = tags.get("T", [])
    title = titles[0] if titles else fallback.strip()
    artist = titles[1] if len(titles) > 1 else ""
    return Lyrics(lines=builder.build(), title=title, artist=artist)


def _add_syllable(builder: _LineBuilder, text: str, time_s: float) -> None:
    """One event's text: leading '/', '\\', CR or LF break before; trailing CR/LF break after."""
    while text[:1] in ("/", "\\", "\r", "\n") and text:
        builder.new_line()
        text = text[1:]
    body = text.rstrip("\r\n")
    builder.add(time_s, body.replace("\r", "").replace("\n", " "))
    if body != text:
        builder.new_line()
