"""It is music: a count-in, a groove on the beat grid, a bass on the chord roots, a form."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from appliance.demosongs import SONG_IDS, SONGS
from appliance.demosongs.patterns import chord_spans
from appliance.demosongs.render import GROOVE_KINDS
from appliance.demosongs.theory import bass_note
from tests.support.sound_analysis import SR, mean_pitch_midi, onsets, read_mono

REQUIRED_TITLES = {
    "Amazing Grace", "Oh! Susanna", "Auld Lang Syne", "When the Saints Go Marching In",
    "Home on the Range", "Twinkle, Twinkle, Little Star",
}  # fmt: skip


def test_the_library_has_the_six_songs_with_a_real_form():
    assert {song.spec.title for song in SONGS.values()} >= REQUIRED_TITLES
    for song in SONGS.values():
        kinds = [section.kind for section in song.sections]
        assert kinds[0] == "countin" and kinds[1] == "intro" and kinds[-1] == "ending"
        assert "break" in kinds and kinds.count("sing") >= 2
        assert song.duration_s >= 60.0
    assert SONGS["demo-amazing-grace"].spec.beats_per_bar == 3
    assert SONGS["demo-home-on-the-range"].spec.beats_per_bar == 3


def _groove_beats(song_id: str) -> list[Fraction]:
    song = SONGS[song_id]
    beats = []
    for section in song.sections:
        if section.kind in GROOVE_KINDS:
            start = int(section.start)
            beats.extend(range(start, start + section.bars * song.spec.beats_per_bar))
    return beats


@pytest.mark.parametrize("song_id", SONG_IDS)
def test_drum_onsets_sit_on_the_grid_of_the_songs_bpm(demo_library: Path, song_id):
    song = SONGS[song_id]
    times = onsets(read_mono(demo_library / song_id / "drums.flac"))
    sixteenth = song.beat_s / 4
    off_grid = np.abs(times / sixteenth - np.round(times / sixteenth)) * sixteenth
    assert np.mean(off_grid < 0.012) > 0.97, f"{song_id}: onsets off the {song.bpm} bpm grid"
    beat_times = np.array([song.seconds(b) for b in _groove_beats(song_id)])
    nearest = np.min(np.abs(beat_times[:, None] - times[None, :]), axis=1)
    assert np.mean(nearest < 0.012) > 0.97, f"{song_id}: beats without a drum hit"


@pytest.mark.parametrize("song_id", SONG_IDS)
def test_the_bass_plays_each_chords_root_on_its_first_beat(demo_library: Path, song_id):
    song = SONGS[song_id]
    bass = read_mono(demo_library / song_id / "bass.flac")
    for span in chord_spans(song, GROOVE_KINDS):
        at = round(song.seconds(span.start) * SR) + int(0.03 * SR)
        measured = mean_pitch_midi(bass[at : at + 6000], fmin=40.0, fmax=400.0, window=2048)
        assert measured is not None
        expected = bass_note(span.chord.root_pc)
        assert abs(measured - expected) < 0.1, f"{song_id} {span.name} at beat {span.start}"


@pytest.mark.parametrize("song_id", SONG_IDS)
def test_the_click_accents_each_downbeat(demo_library: Path, song_id):
    song = SONGS[song_id]
    click = read_mono(demo_library / song_id / "click.flac")
    bpb = song.spec.beats_per_bar
    peaks = [
        np.abs(click[round(song.seconds(b) * SR) :][:1200]).max()
        for b in range(int(song.total_beats))
    ]
    accents = np.array(peaks[::bpb])
    others = np.array([p for i, p in enumerate(peaks) if i % bpb])
    assert accents.min() > 1.3 * others.max()
    assert others.min() > 0


def test_the_count_in_has_only_sticks_and_click(demo_library: Path):
    song = SONGS["demo-oh-susanna"]
    bar = round(song.seconds(song.spec.beats_per_bar) * SR)
    for name in ("bass", "keys", "backing_vocals", "lead_vocal"):
        audio = read_mono(demo_library / song.song_id / f"{name}.flac", stop=bar - 2400)
        assert np.abs(audio).max() < 1e-3, name
