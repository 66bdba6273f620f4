"""The melody taken from a guide vocal: notes at the sung pitches and times, lines from the
lyrics or from pauses, cached in the state dir and taken again when the guide changes."""

from __future__ import annotations

import os

import pytest
import soundfile as sf

from appliance.audio.dsp.pitch import track_pitch
from appliance.audio.melody import melody_sheet, sheet_from_estimates
from appliance.core.models import Song, SongId, Stem, StemRole
from appliance.core.scoring.model import SheetSource
from appliance.library.formats.score_sheet import load_score_sheet, melody_path
from tests.support.sung_notes import SR, sing_notes

# Two phrases of four notes, a 1.6 s pause between them (5.6 s sung: at least 5 s makes a melody).
NOTES = [(0.5 + i * 0.8, 0.7, float(m)) for i, m in enumerate([60, 62, 64, 65])]
NOTES += [(5.2 + i * 0.8, 0.7, float(m)) for i, m in enumerate([67, 65, 64, 62])]


def test_notes_are_the_sung_pitches_at_their_times():
    voice = sing_notes(NOTES, seconds=9.0, seed=2, vibrato_semitones=(0.2, 0.3))
    sheet = sheet_from_estimates(track_pitch(voice.audio, SR), [])
    assert sheet is not None and sheet.source is SheetSource.MELODY
    assert [n.pitch_midi for n in sheet.notes] == [int(m) for _, _, m in NOTES]
    for note, (start, duration, _) in zip(sheet.notes, NOTES, strict=True):
        assert note.start_s == pytest.approx(start, abs=0.06)
        assert note.duration_s == pytest.approx(duration, abs=0.1)
    assert [n.line for n in sheet.notes] == [0] * 4 + [1] * 4  # split at the pause
    on_lyrics = sheet_from_estimates(track_pitch(voice.audio, SR), [0.4, 2.0, 5.1])
    assert on_lyrics is not None
    assert [n.line for n in on_lyrics.notes] == [0, 0, 1, 1, 2, 2, 2, 2]
    assert on_lyrics.line_count == 3


def test_too_little_melody_is_none():
    voice = sing_notes(NOTES[:2], seconds=3.0, seed=2)
    assert sheet_from_estimates(track_pitch(voice.audio, SR), []) is None


def test_the_melody_is_cached_and_taken_again_when_the_guide_changes(tmp_path):
    folder, state = tmp_path / "song", tmp_path / "state"
    folder.mkdir()
    voice = sing_notes(NOTES, seconds=9.0, seed=2)
    sf.write(folder / "guide.flac", voice.audio, SR)
    song = Song(
        SongId("guided"), "Guided", "Tests", 9.0, str(folder),
        stems=(Stem("guide", StemRole.LEAD_VOCAL, "guide.flac"),),
    )  # fmt: skip
    assert load_score_sheet(song, state) is None  # nothing cached yet
    first = melody_sheet(song, state)
    assert first is not None
    assert melody_path(state, song).is_file()
    assert load_score_sheet(song, state) == first
    higher = sing_notes([(s, d, m + 2) for s, d, m in NOTES], seconds=9.0, seed=2)
    sf.write(folder / "guide.flac", higher.audio, SR)
    os.utime(folder / "guide.flac", ns=(1, 1))
    assert load_score_sheet(song, state) is None  # stale
    again = melody_sheet(song, state)
    assert again is not None
    assert [n.pitch_midi for n in again.notes] == [n.pitch_midi + 2 for n in first.notes]
    no_guide = Song(SongId("bare"), "Bare", "Tests", 9.0, str(folder))
    assert melody_sheet(no_guide, state) is None


def test_the_loudness_worker_takes_the_melody_of_a_song_found(tmp_path):
    from appliance.audio.loudness_process import loudness_with_melodies

    folder, state = tmp_path / "song", tmp_path / "state"
    folder.mkdir()
    sf.write(folder / "guide.flac", sing_notes(NOTES, seconds=9.0, seed=2).audio, SR)
    song = Song(
        SongId("found"), "Found", "Tests", 9.0, str(folder),
        stems=(Stem("guide", StemRole.LEAD_VOCAL, "guide.flac"),),
    )  # fmt: skip
    measure = loudness_with_melodies(str(state))
    try:
        assert measure(song) is not None  # the loudness, as before
    finally:
        measure.close()
    sheet = load_score_sheet(song, state)
    assert sheet is not None and sheet.source is SheetSource.MELODY
    assert len(sheet.notes) == len(NOTES)
