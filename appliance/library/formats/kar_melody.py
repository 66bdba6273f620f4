"""A KAR's melody: which channel sings the lyrics, and its notes at the syllables.

The melody channel is the one whose note onsets best match the lyric syllables' start times
(within 50 ms both ways: most syllables hit, fewest notes between them). Each syllable then
takes the melody note that starts nearest it (within 150 ms), else the one sounding then, and
lasts until that note ends or the next syllable starts; a syllable with no note has none::

    midi = load_midi(data, "song.kar")
    melody = find_melody_channel(note_onsets(midi), [word.start_s for word in words])
    track = syllable_notes(midi, melody, kar.lyrics)   # NoteTrack, a phrase break per line

The importer writes the track as the imported song's ``notes.txt``; a KAR played in place is
scored from it directly (:mod:`.score_sheet`).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import mido

from appliance.library.formats.lyrics import Lyrics, Note, NoteTrack

DEFAULT_TEMPO_US = 500_000
DRUM_CHANNEL = 9  # MIDI channel 10
MATCH_WINDOW_S = 0.05
MIN_MELODY_RECALL = 0.25
NEAR_S = 0.15
NOTE_TYPES = ("note_on", "note_off")


@dataclass(frozen=True)
class Timed:
    """A message at its absolute tick, with where it is in the file."""

    tick: int
    track: int
    index: int
    message: mido.Message


def timeline(midi: mido.MidiFile) -> list[Timed]:
    """All messages at absolute ticks, program changes before notes of the same tick."""
    events: list[Timed] = []
    for track_number, track in enumerate(midi.tracks):
        tick = 0
        for index, message in enumerate(track):
            tick += message.time
            events.append(Timed(tick, track_number, index, message))
    events.sort(key=lambda e: (e.tick, e.message.type in NOTE_TYPES, e.track, e.index))
    return events


def seconds_clock(midi: mido.MidiFile) -> Callable[[int], float]:
    """Ticks -> seconds through the tempo map of all tracks."""
    tempos = sorted(
        (event.tick, event.message.tempo)
        for event in timeline(midi)
        if event.message.type == "set_tempo" and event.message.tempo > 0
    )
    ticks_per_beat = max(midi.ticks_per_beat, 1)
    starts, seconds, values = [0], [0.0], [DEFAULT_TEMPO_US]
    for tick, tempo in tempos:
        if tick == starts[-1]:
            values[-1] = tempo
            continue
        seconds.append(seconds[-1] + (tick - starts[-1]) * values[-1] / 1e6 / ticks_per_beat)
        starts.append(tick)
        values.append(tempo)

    def at(tick: int) -> float:
        index = bisect.bisect_right(starts, tick) - 1
        return seconds[index] + (tick - starts[index]) * values[index] / 1e6 / ticks_per_beat

    return at


def is_note_on(message: mido.Message) -> bool:
    """A note-on that starts a note (velocity 0 is a note-off)."""
    return message.type == "note_on" and message.velocity > 0


def note_onsets(midi: mido.MidiFile) -> dict[int, list[float]]:
    """Channel -> sorted start times (s) of its notes."""
    clock = seconds_clock(midi)
    onsets: dict[int, list[float]] = defaultdict(list)
    for event in timeline(midi):
        if is_note_on(event.message):
            onsets[event.message.channel].append(clock(event.tick))
    return {channel: sorted(times) for channel, times in onsets.items()}


def _near(sorted_times: Sequence[float], time_s: float, window_s: float) -> bool:
    index = bisect.bisect_left(sorted_times, time_s - window_s)
    return index < len(sorted_times) and sorted_times[index] <= time_s + window_s


def find_melody_channel(
    onsets: dict[int, list[float]],
    syllable_times: Sequence[float],
    window_s: float = MATCH_WINDOW_S,
) -> int | None:
    """The channel whose onsets best match the syllables (F-measure), or None if none does.

    >>> find_melody_channel({0: [0.0, 0.5, 1.0], 1: [0.0, 0.25, 0.5, 0.75, 1.0]}, [0.0, 0.5, 1.0])
    0
    """
    syllables = sorted(syllable_times)
    if not syllables:
        return None
    best, best_score = None, 0.0
    for channel in sorted(onsets):
        if channel == DRUM_CHANNEL or not onsets[channel]:
            continue
        distinct = sorted({round(t, 2) for t in onsets[channel]})
        recall = sum(_near(distinct, t, window_s) for t in syllables) / len(syllables)
        precision = sum(_near(syllables, t, window_s) for t in distinct) / len(distinct)
        if recall < MIN_MELODY_RECALL:
            continue
        score = 2 * precision * recall / (precision + recall)
        if score > best_score:
            best, best_score = channel, score
    return best


@dataclass(frozen=True)
class MelodyNote:
    """One note of the melody channel, in seconds."""

    start_s: float
    end_s: float
    pitch: int


def melody_notes(midi: mido.MidiFile, channel: int) -> list[MelodyNote]:
    """The channel's notes in time order (a note-on without its note-off ends with the file)."""
    clock = seconds_clock(midi)
    sounding: dict[int, float] = {}
    notes: list[MelodyNote] = []
    last_tick = 0
    for event in timeline(midi):
        message = event.message
        if message.type not in NOTE_TYPES or message.channel != channel:
            continue
        now, last_tick = clock(event.tick), event.tick
        started = sounding.pop(message.note, None)
        if started is not None and now > started:
            notes.append(MelodyNote(started, now, message.note))
        if is_note_on(message):
            sounding[message.note] = now
    end = clock(last_tick)
    notes += [MelodyNote(s, end, pitch) for pitch, s in sounding.items() if end > s]
    return sorted(notes, key=lambda note: note.start_s)


def _note_for(notes: list[MelodyNote], starts: list[float], time_s: float) -> MelodyNote | None:
    index = bisect.bisect_left(starts, time_s)
    near = [notes[i] for i in (index - 1, index) if 0 <= i < len(notes)]
    near = [n for n in near if abs(n.start_s - time_s) <= NEAR_S]
    if near:
        return min(near, key=lambda n: abs(n.start_s - time_s))
    sounding = [n for n in notes[: index + 1] if n.start_s <= time_s < n.end_s]
    return sounding[-1] if sounding else None


def syllable_notes(midi: mido.MidiFile, channel: int, lyrics: Lyrics) -> NoteTrack | None:
    """The melody's notes at the sung syllables, a phrase break where each lyric line starts
    (None when no syllable has a note)."""
    notes = melody_notes(midi, channel)
    starts = [note.start_s for note in notes]
    words = [(index, word) for index, line in enumerate(lyrics.lines) for word in line.words]
    sung: list[Note] = []
    breaks: list[float] = []
    last_line = None
    for position, (line, word) in enumerate(words):
        note = _note_for(notes, starts, word.start_s)
        if note is None or not word.text.strip():
            continue
        following = words[position + 1][1].start_s if position + 1 < len(words) else note.end_s
        end = max(word.start_s + 0.01, min(note.end_s, following))
        if last_line is not None and line != last_line:
            breaks.append(word.start_s)
        last_line = line
        sung.append(Note(word.start_s, end - word.start_s, note.pitch, word.text))
    if not sung:
        return None
    return NoteTrack(tuple(sung), tuple(breaks), lyrics.title, lyrics.artist)


def kar_note_track(midi: mido.MidiFile, lyrics: Lyrics) -> NoteTrack | None:
    """The sung notes of a KAR: its melody channel's, at its syllables (None: no melody)."""
    syllables = [word.start_s for line in lyrics.lines for word in line.words]
    channel = find_melody_channel(note_onsets(midi), syllables)
    return None if channel is None else syllable_notes(midi, channel, lyrics)
