"""UltraStar and audio + LRC -> native folders; MP3+G left in place; resampling; no half folders."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import soundfile
from scipy.signal import resample_poly

from appliance.core.models import StemRole
from appliance.importers import Status, import_paths
from appliance.importers.audiofiles import blocks_48k, can_read_mp3, decode_problem
from appliance.library.formats.lrc import read_lrc
from appliance.library.formats.songfiles import load_lyrics, load_notes
from appliance.library.formats.ultrastar import read_ultrastar
from appliance.library.songfolder.manifest import read_manifest
from tests.support.codec_audio import write_tone as write_codec_tone
from tests.support.importer_songs import build_ultrastar, write_tone


def _only_outcome(report):
    assert len(report.outcomes) == 1, report.lines()
    return report.outcomes[0]


def _dominant_hz(audio: np.ndarray, rate: int = 48_000) -> float:
    spectrum = np.abs(np.fft.rfft(audio[:, 0] * np.hanning(len(audio))))
    return float(np.argmax(spectrum)) * rate / len(audio)


def test_ultrastar_becomes_a_mix_stem_at_48k_and_notes(tmp_path):
    source = build_ultrastar(tmp_path / "in" / "Tone Song")
    outcome = _only_outcome(import_paths([source], tmp_path / "songs"))
    assert outcome.status is Status.IMPORTED
    folder = Path(outcome.folder)
    assert folder.name == "Test Band - Tone Song"
    song = read_manifest(folder)
    assert [(s.name, s.role) for s in song.stems] == [("mix", StemRole.MIX)]
    assert song.language == "en" and song.bpm == 240.0 and "ultrastar" in song.tags
    audio, rate = soundfile.read(folder / "mix.flac", always_2d=True)
    assert rate == 48_000 and len(audio) == 72_000 and song.duration_s == 1.5
    assert abs(_dominant_hz(audio[4800:-4800]) - 440.0) < 2.0
    notes_text = (folder / "notes.txt").read_text(encoding="utf-8")
    assert "#MP3" not in notes_text and "#COVER" not in notes_text
    assert load_notes(song).notes == read_ultrastar(source).track.notes
    assert [line.text for line in load_lyrics(song).lines] == ["One two", "Three"]


def test_ultrastar_vocals_and_instrumental_become_aligned_stems(tmp_path):
    source = build_ultrastar(tmp_path / "in" / "Duo", vocals=True, rate=22_050)
    folder = Path(_only_outcome(import_paths([source], tmp_path / "songs")).folder)
    song = read_manifest(folder)
    roles = {stem.name: stem.role for stem in song.stems}
    assert roles == {"instrumental": StemRole.OTHER, "vocals": StemRole.LEAD_VOCAL}
    vocals, _ = soundfile.read(folder / "vocals.flac", always_2d=True)
    instrumental, _ = soundfile.read(folder / "instrumental.flac", always_2d=True)
    assert len(vocals) == len(instrumental) == 72_000  # the 1.2 s vocal padded to 1.5 s
    assert vocals.shape[1] == 1 and not np.any(vocals[58_000:])
    assert abs(_dominant_hz(vocals[4800:52_800]) - 660.0) < 2.0


def test_ultrastar_with_an_mp3_is_decoded(tmp_path):
    if not can_read_mp3():
        pytest.skip("this libsndfile cannot read MP3")
    folder = build_ultrastar(tmp_path / "in" / "Mp3 Song").parent
    tone, rate = soundfile.read(folder / "tone.wav")
    soundfile.write(folder / "tone.mp3", tone, rate, format="MP3")
    txt = folder / "Tone Song.txt"
    txt.write_text(txt.read_text().replace("#MP3:tone.wav", "#MP3:tone.mp3"))
    (folder / "tone.wav").unlink()
    outcome = _only_outcome(import_paths([txt], tmp_path / "songs"))
    assert outcome.status is Status.IMPORTED, outcome.reason
    audio, rate = soundfile.read(Path(outcome.folder) / "mix.flac", always_2d=True)
    assert rate == 48_000 and abs(len(audio) / rate - 1.5) < 0.1


@pytest.mark.parametrize("extension", [".m4a", ".opus", ".wma", ".mp4"])
def test_ultrastar_with_m4a_opus_wma_or_video_audio_is_imported(tmp_path, extension):
    folder = build_ultrastar(tmp_path / "in" / "Codec Song").parent
    (folder / "tone.wav").unlink()
    write_codec_tone(folder / f"tone{extension}", seconds=1.5, hz=440.0, video=extension == ".mp4")
    txt = folder / "Tone Song.txt"
    key = "#VIDEO" if extension == ".mp4" else "#MP3"  # a video alone gives the audio
    txt.write_text(txt.read_text().replace("#MP3:tone.wav", f"{key}:tone{extension}"))
    outcome = _only_outcome(import_paths([txt], tmp_path / "songs"))
    assert outcome.status is Status.IMPORTED, outcome.reason
    audio, rate = soundfile.read(Path(outcome.folder) / "mix.flac", always_2d=True)
    assert rate == 48_000 and abs(len(audio) / rate - 1.5) < 0.06
    assert abs(_dominant_hz(audio[12_000:60_000]) - 440.0) < 2.0


def test_midi_or_empty_audio_is_refused_before_any_work_with_the_reason(tmp_path):
    (tmp_path / "song.mid").write_bytes(b"MThd\0\0\0\6\0\1\0\1\0\x60")
    (tmp_path / "empty.m4a").write_bytes(b"")
    assert "this is MIDI, not audio" in decode_problem(tmp_path / "song.mid")
    assert "empty.m4a: the file is empty" in decode_problem(tmp_path / "empty.m4a")
    assert decode_problem(tmp_path / "gone.mp3") == "audio file not found: gone.mp3"


def test_audio_with_lrc_becomes_one_mix_stem_with_the_same_lyrics(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    write_tone(source / "Singer - Tune.wav", 1.0, 48_000, 330.0)
    lrc = "[offset:100]\n[00:00.50]la la la\n[00:00.90]<00:00.90>hey <00:00.95>ho<00:01.00>\n"
    (source / "Singer - Tune.lrc").write_bytes(lrc.encode("cp1252"))
    outcome = _only_outcome(import_paths([source / "Singer - Tune.wav"], tmp_path / "songs"))
    folder = Path(outcome.folder)
    assert folder.name == "Singer - Tune"
    song = read_manifest(folder)
    assert [(s.name, s.role) for s in song.stems] == [("mix", StemRole.MIX)]
    before = read_lrc(source / "Singer - Tune.lrc").lines
    after = load_lyrics(song).lines
    assert [[(w.text, w.start_s, w.end_s) for w in line.words] for line in after] == [
        [(w.text, pytest.approx(w.start_s, abs=1e-3), pytest.approx(w.end_s, abs=1e-3))
         for w in line.words]
        for line in before
    ]  # fmt: skip


def test_mp3g_is_reported_as_indexed_in_place(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "SC1234-01 - Band - Song.mp3").write_bytes(b"\xff\xfb" + bytes(400))
    (source / "SC1234-01 - Band - Song.cdg").write_bytes(bytes(24 * 300))
    report = import_paths([source], tmp_path / "songs")
    outcome = _only_outcome(report)
    assert outcome.status is Status.IN_PLACE
    assert "indexed in place, not converted" in outcome.reason
    assert not report.failed and not (tmp_path / "songs").exists()


def test_a_failing_build_leaves_no_folder_and_the_batch_goes_on(tmp_path):
    broken = build_ultrastar(tmp_path / "in" / "Broken")
    (broken.parent / "tone.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    good = build_ultrastar(tmp_path / "in" / "Good")
    good.write_text(good.read_text().replace("Tone Song", "Other Song"))
    dest = tmp_path / "songs"
    report = import_paths([tmp_path / "in"], dest)
    statuses = {Path(o.source).parent.name: o.status for o in report.outcomes}
    assert statuses == {"Broken": Status.SKIPPED, "Good": Status.IMPORTED}
    assert sorted(p.name for p in dest.iterdir()) == ["Test Band - Other Song"]


def test_existing_song_is_kept_unless_replaced(tmp_path):
    source = build_ultrastar(tmp_path / "in" / "Tone Song")
    dest = tmp_path / "songs"
    assert _only_outcome(import_paths([source], dest)).status is Status.IMPORTED
    again = _only_outcome(import_paths([source], dest))
    assert again.status is Status.EXISTS and "--replace" in again.reason
    replaced = _only_outcome(import_paths([source], dest, replace=True))
    assert replaced.status is Status.IMPORTED
    assert [p.name for p in dest.iterdir()] == ["Test Band - Tone Song"]


def test_unknown_files_are_reported(tmp_path):
    stray = tmp_path / "notes.pdf"
    stray.write_bytes(b"%PDF")
    report = import_paths([stray, tmp_path / "missing.kar"], tmp_path / "songs")
    reasons = [outcome.reason for outcome in report.outcomes]
    assert "not a song this can import" in reasons[0] and reasons[1] == "no such file or folder"


@pytest.mark.parametrize(
    ("rate", "frames", "channels"), [(44_100, 150_001, 2), (96_000, 70_000, 1)]
)
def test_block_resampling_equals_resampling_the_whole_file(tmp_path, rate, frames, channels):
    noise = np.random.default_rng(7).standard_normal((frames, channels)).astype(np.float32) * 0.1
    path = tmp_path / "noise.wav"
    soundfile.write(path, noise, rate, subtype="FLOAT")
    blocks = np.concatenate(list(blocks_48k(path, block_frames=16_384)))
    divisor = math.gcd(48_000, rate)
    whole = resample_poly(noise, 48_000 // divisor, rate // divisor, axis=0)
    assert blocks.shape == whole.shape
    assert np.max(np.abs(blocks - whole)) < 1e-6
