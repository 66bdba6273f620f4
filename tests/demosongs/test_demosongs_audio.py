"""The stems of every demo song: format, alignment, headroom, determinism, guide pitch."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
import soundfile

from appliance.demosongs import SONG_IDS, SONGS, build_demo_library
from appliance.demosongs.render import STEMS
from tests.support.sound_analysis import SR, mean_pitch_midi, read_mono

FULLY_CHECKED = ("demo-amazing-grace", "demo-oh-susanna")


@pytest.mark.parametrize("song_id", SONG_IDS)
def test_stems_are_aligned_48k_stereo_flac_of_the_song_length(demo_library: Path, song_id):
    song = SONGS[song_id]
    infos = {name: soundfile.info(demo_library / song_id / f"{name}.flac") for name in STEMS}
    for info in infos.values():
        assert (info.samplerate, info.channels, info.format) == (SR, 2, "FLAC")
        assert info.subtype in ("PCM_16", "PCM_24")
        assert info.frames == round(song.duration_s * SR)
    assert song.duration_s >= 60.0


@pytest.mark.parametrize("song_id", SONG_IDS)
def test_the_sum_of_all_stems_never_clips_and_each_stem_plays(demo_library: Path, song_id):
    total = None
    for name in STEMS:
        pcm, _ = soundfile.read(demo_library / song_id / f"{name}.flac", dtype="int16")
        assert np.abs(pcm.astype(np.int32)).max() > 1000, f"{name} is (nearly) silent"
        total = pcm.astype(np.int32) if total is None else total + pcm
    assert total is not None
    assert np.abs(total).max() <= 32767
    assert np.abs(total).max() > 32767 * 0.5  # and it is not needlessly quiet


@pytest.mark.parametrize("song_id", SONG_IDS)
def test_stems_are_panned_a_little(demo_library: Path, song_id):
    keys, _ = soundfile.read(demo_library / song_id / "keys.flac", dtype="float64")
    left, right = np.sqrt(np.mean(keys**2, axis=0))
    assert 1.2 < left / right < 4.0


def _notes_to_check(song_id: str):
    notes = SONGS[song_id].notes
    return notes if song_id in FULLY_CHECKED else notes[::5]


@pytest.mark.parametrize("song_id", SONG_IDS)
def test_the_guide_sings_each_note_within_5_cents(demo_library: Path, song_id):
    lead = read_mono(demo_library / song_id / "lead_vocal.flac")
    errors = []
    for note in _notes_to_check(song_id):
        middle = lead[
            round((note.start_s + note.duration_s / 4) * SR) : round(
                (note.end_s - note.duration_s / 4) * SR
            )
        ]
        measured = mean_pitch_midi(middle)
        assert measured is not None, f"no pitch found in {note}"
        errors.append((abs(measured - note.pitch_midi) * 100, note.text, note.start_s))
    worst = max(errors)
    assert worst[0] <= 5.0, f"{song_id}: {worst}"


@pytest.mark.parametrize("song_id", FULLY_CHECKED)
def test_the_guide_is_silent_between_phrases(demo_library: Path, song_id):
    song = SONGS[song_id]
    lead = read_mono(demo_library / song_id / "lead_vocal.flac")
    first = song.notes[0].start_s
    assert np.abs(lead[: round((first - 0.05) * SR)]).max() < 1e-3
    after_last = lead[round((song.notes[-1].end_s + 0.05) * SR) :]
    assert np.abs(after_last).max() < 1e-3


def test_a_build_is_deterministic_byte_for_byte(demo_library: Path, tmp_path: Path):
    song_id = "demo-twinkle-twinkle"
    build_demo_library(tmp_path, songs=[song_id])

    def digest(folder: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}

    assert digest(tmp_path / song_id) == digest(demo_library / song_id)


def test_an_existing_song_is_kept_unless_forced(tmp_path: Path):
    song_id = "demo-home-on-the-range"
    folder = tmp_path / song_id
    folder.mkdir()
    (folder / "song.toml").write_text("kept")
    seen = []
    paths = build_demo_library(tmp_path, songs=[song_id], progress=lambda *a: seen.append(a))
    assert paths == [folder]
    assert (folder / "song.toml").read_text() == "kept"
    assert seen == []
    assert not list(tmp_path.glob(".*building*"))


def test_unknown_song_ids_are_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="no-such-song"):
        build_demo_library(tmp_path, songs=["no-such-song"])
