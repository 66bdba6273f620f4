"""Split a MIDI file into one MIDI file per stem group, and find its melody channel.

Every note goes to one group (:func:`appliance.importers.gm.group_of_note`, following program
changes over time); each group's file keeps every other event (tempo, programs, controllers,
pitch bends), so the group files play in lock-step and their renders sum to the whole song::

    midi = load_midi(data, "song.kar")
    melody = find_melody_channel(note_onsets(midi), [word.start_s for word in words])
    files = split_by_group(midi, melody)      # {StemGroup: mido.MidiFile}

The melody channel is the one whose note onsets best match the lyric syllables' start times
(within 50 ms both ways: most syllables hit, fewest notes between them).
"""

from __future__ import annotations

import bisect
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import mido

from appliance.importers.gm import DRUM_CHANNEL, StemGroup, group_of_note
from appliance.library.formats.midifile import load_midi

__all__ = ["find_melody_channel", "load_midi", "note_onsets", "split_by_group"]

DEFAULT_TEMPO_US = 500_000
MATCH_WINDOW_S = 0.05
MIN_MELODY_RECALL = 0.25
_NOTE_TYPES = ("note_on", "note_off")


@dataclass(frozen=True)
class _Timed:
    tick: int
    track: int
    index: int
    message: mido.Message


def _timeline(midi: mido.MidiFile) -> list[_Timed]:
    """All messages at absolute ticks, program changes before notes of the same tick."""
    events: list[_Timed] = []
    for track_number, track in enumerate(midi.tracks):
        tick = 0
        for index, message in enumerate(track):
            tick += message.time
            events.append(_Timed(tick, track_number, index, message))
    events.sort(key=lambda e: (e.tick, e.message.type in _NOTE_TYPES, e.track, e.index))
    return events


def seconds_clock(midi: mido.MidiFile) -> Callable[[int], float]:
    """Ticks -> seconds through the tempo map of all tracks."""
    tempos = sorted(
        (event.tick, event.message.tempo)
        for event in _timeline(midi)
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


def _is_note_on(message: mido.Message) -> bool:
    return message.type == "note_on" and message.velocity > 0


def note_onsets(midi: mido.MidiFile) -> dict[int, list[float]]:
    """Channel -> sorted start times (s) of its notes."""
    clock = seconds_clock(midi)
    onsets: dict[int, list[float]] = defaultdict(list)
    for event in _timeline(midi):
        if _is_note_on(event.message):
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


def note_groups(
    midi: mido.MidiFile, melody_channel: int | None
) -> dict[tuple[int, int], StemGroup]:
    """(track, message index) -> group, for every note-on and note-off that closes one."""
    programs = [0] * 16
    open_notes: dict[tuple[int, int], deque[StemGroup]] = defaultdict(deque)
    groups: dict[tuple[int, int], StemGroup] = {}
    for event in _timeline(midi):
        message = event.message
        if message.type == "program_change":
            programs[message.channel] = message.program
        elif message.type in _NOTE_TYPES:
            key = (message.channel, message.note)
            if _is_note_on(message):
                group = group_of_note(message.channel, programs[message.channel], melody_channel)
                open_notes[key].append(group)
                groups[(event.track, event.index)] = group
            elif open_notes[key]:
                groups[(event.track, event.index)] = open_notes[key].popleft()
    return groups


def split_by_group(
    midi: mido.MidiFile, melody_channel: int | None
) -> dict[StemGroup, mido.MidiFile]:
    """One MIDI file per group that has notes; each keeps all non-note events."""
    groups = note_groups(midi, melody_channel)
    files: dict[StemGroup, mido.MidiFile] = {}
    for group in dict.fromkeys(groups.values()):
        split = mido.MidiFile(type=midi.type, ticks_per_beat=midi.ticks_per_beat)
        for track_number, track in enumerate(midi.tracks):
            split.tracks.append(_filtered_track(track, track_number, groups, group))
        files[group] = split
    return files


def _filtered_track(
    track: mido.MidiTrack,
    track_number: int,
    groups: dict[tuple[int, int], StemGroup],
    group: StemGroup,
) -> mido.MidiTrack:
    """The track without the notes of other groups (their delta times carried forward)."""
    kept = mido.MidiTrack()
    carried = 0
    for index, message in enumerate(track):
        owner = groups.get((track_number, index))
        if message.type in _NOTE_TYPES and owner is not None and owner != group:
            carried += message.time
            continue
        kept.append(message.copy(time=message.time + carried))
        carried = 0
    return kept
