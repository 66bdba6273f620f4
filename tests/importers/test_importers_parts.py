"""The importer's parts on their own: MIDI splitting (type 0 too, fuzzed), LRC writing."""

from __future__ import annotations

import io

import mido
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.core.errors import SongFormatError
from appliance.importers.gm import BASS, DRUMS, GUIDE, KEYS, group_of_note
from appliance.importers.lrcwriter import lrc_text
from appliance.importers.midisplit import load_midi, note_groups, split_by_group
from appliance.library.formats.lrc import parse_lrc
from tests.support.importer_songs import MELODY_CHANNEL, build_kar


def _notes_per_channel(midi: mido.MidiFile) -> dict[int, int]:
    counts: dict[int, int] = {}
    for track in midi.tracks:
        for message in track:
            if message.type == "note_on" and message.velocity:
                counts[message.channel] = counts.get(message.channel, 0) + 1
    return counts


@pytest.fixture(scope="module")
def kar_bytes(tmp_path_factory) -> bytes:
    return build_kar(tmp_path_factory.mktemp("parts") / "t.kar").read_bytes()


@pytest.mark.parametrize("midi_type", [1, 0])
def test_split_puts_each_channel_in_its_group_and_keeps_the_rest(kar_bytes, midi_type):
    midi = load_midi(kar_bytes, "t.kar")
    if midi_type == 0:
        midi = mido.MidiFile(type=0, ticks_per_beat=midi.ticks_per_beat, tracks=[midi.merged_track])
    parts = split_by_group(midi, MELODY_CHANNEL)
    assert set(parts) == {GUIDE, BASS, DRUMS}
    assert _notes_per_channel(parts[GUIDE]) == {0: 6}
    assert _notes_per_channel(parts[BASS]) == {1: 8}
    assert _notes_per_channel(parts[DRUMS]) == {9: 8}
    for part in parts.values():  # same length and tempo map as the song
        assert part.length == pytest.approx(midi.length)
        tempos = [m.tempo for t in part.tracks for m in t if m.type == "set_tempo"]
        assert tempos == [500_000, 400_000]


def test_program_changes_move_a_channel_between_groups():
    track = mido.MidiTrack()
    track.append(mido.Message("program_change", channel=2, program=0))
    track.append(mido.Message("note_on", channel=2, note=60, velocity=90))
    track.append(mido.Message("program_change", channel=2, program=34, time=100))
    track.append(mido.Message("note_off", channel=2, note=60, time=0))
    track.append(mido.Message("note_on", channel=2, note=40, velocity=90))
    track.append(mido.Message("note_off", channel=2, note=40, time=100))
    groups = note_groups(mido.MidiFile(tracks=[track]), melody_channel=None)
    assert [groups[(0, index)] for index in (1, 3, 4, 5)] == [KEYS, KEYS, BASS, BASS]
    assert group_of_note(9, 0, None) is DRUMS and group_of_note(4, 0, 4) is GUIDE


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_midi_only_raises_song_format_error(kar_bytes, data):
    damaged = bytearray(kar_bytes)
    for _ in range(data.draw(st.integers(1, 8))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(14, len(damaged)))
    try:
        midi = load_midi(bytes(damaged[:cut]), "damaged.kar")
    except SongFormatError:
        return
    for part in split_by_group(midi, data.draw(st.sampled_from([None, 0, 1]))).values():
        part.save(file=io.BytesIO())


def test_lrc_text_reads_back_with_duet_parts_and_breaks():
    source = (
        b"[ti:Duet]\n[00:01.00]M: <00:01.00>one <00:01.50>two<00:02.00>\n"
        b"[00:03.00]F: three\n[00:05.00]\n[00:06.00]D: <00:06.00>all<00:07.00>\n"
    )
    before = parse_lrc(source, "a.lrc")
    after = parse_lrc(lrc_text(before).encode("utf-8"), "b.lrc")
    assert after.title == "Duet"

    def shape(lyrics):
        return [
            (line.part, line.start_s, [(w.text, w.start_s, w.end_s) for w in line.words])
            for line in lyrics.lines
        ]

    assert shape(after) == shape(before)
