"""Split a MIDI file into one MIDI file per stem group, and find its melody channel.

Every note goes to one group (:func:`appliance.importers.gm.group_of_note`, following program
changes over time); each group's file keeps every other event (tempo, programs, controllers,
pitch bends), so the group files play in lock-step and their renders sum to the whole song::

    midi = load_midi(data, "song.kar")
    melody = find_melody_channel(note_onsets(midi), [word.start_s for word in words])
    files = split_by_group(midi, melody)      # {StemGroup: mido.MidiFile}

The melody channel is the one whose note onsets best match the lyric syllables' start times
(within 50 ms both ways: most syllables hit, fewest notes between them): the library's
:mod:`appliance.library.formats.kar_melody`, which also scores KARs played in place.
"""

from __future__ import annotations

from collections import defaultdict, deque

import mido

from appliance.importers.gm import StemGroup, group_of_note
from appliance.library.formats.kar_melody import (
    NOTE_TYPES,
    find_melody_channel,
    is_note_on,
    note_onsets,
    seconds_clock,
    timeline,
)
from appliance.library.formats.midifile import load_midi

__all__ = [
    "find_melody_channel",
    "load_midi",
    "note_onsets",
    "seconds_clock",
    "split_by_group",
]


def note_groups(
    midi: mido.MidiFile, melody_channel: int | None
) -> dict[tuple[int, int], StemGroup]:
    """(track, message index) -> group, for every note-on and note-off that closes one."""
    programs = [0] * 16
    open_notes: dict[tuple[int, int], deque[StemGroup]] = defaultdict(deque)
    groups: dict[tuple[int, int], StemGroup] = {}
    for event in timeline(midi):
        message = event.message
        if message.type == "program_change":
            programs[message.channel] = message.program
        elif message.type in NOTE_TYPES:
            key = (message.channel, message.note)
            if is_note_on(message):
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
        if message.type in NOTE_TYPES and owner is not None and owner != group:
            carried += message.time
            continue
        kept.append(message.copy(time=message.time + carried))
        carried = 0
    return kept
