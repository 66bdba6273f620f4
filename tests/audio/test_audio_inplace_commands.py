"""``karaoke export`` and ``karaoke play`` of songs indexed in place (an MP3+G zip): the source
is decoded into the state dir's transcode cache, as the engine does, and the result is the
source decoded and resampled to 48 kHz."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from appliance.cli import main
from appliance.core.paths import transcode_cache_dir
from tests.support.mp3g_audio import (
    ZIP_SONG,
    compare,
    decoded_reference,
    encoded,
    expected_gain_db,
    music,
    sounding_runs,
    write_zip,
)


@pytest.fixture(scope="module")
def zip_song(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    """An MP3+G zip (44.1 kHz MP3, deflated) and its source decoded and resampled at once."""
    root = tmp_path_factory.mktemp("stick")
    audio = encoded(music(5, 44_100), 44_100, "MP3")
    write_zip(root / f"{ZIP_SONG}.zip", ZIP_SONG, audio)
    return root / f"{ZIP_SONG}.zip", decoded_reference(audio)


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private state dir (and no config file found)."""
    monkeypatch.delenv("KARAOKE_STATE_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("KARAOKE_CONFIG", str(tmp_path / "config" / "none.toml"))
    return tmp_path / "state" / "karaoke"


def test_export_of_an_mp3g_zip_is_the_decoded_source(zip_song, state, tmp_path, margin):
    path, reference = zip_song
    out = tmp_path / "mine.wav"
    assert main(["export", str(path), "--out", str(out)]) == 0
    written, rate = sf.read(out, dtype="float32", always_2d=True)
    assert rate == 48_000
    assert abs(len(written) - len(reference)) < 4800
    error_db, gain_db = compare(written, 0, reference)
    margin("export of a zip vs decoded source", error_db, "<", -60, "dB")
    margin("export of a zip: gain error", abs(gain_db - expected_gain_db(reference)), "<", 0.2)
    cached = sorted(transcode_cache_dir(state).glob("*.flac"))
    assert len(cached) == 1 and sf.info(str(cached[0])).samplerate == 48_000
    # a second export (or a play at night) finds it decoded: the cache entry is reused
    first_mtime_ns = cached[0].stat().st_mtime_ns
    assert main(["export", str(path), "--out", str(tmp_path / "again.flac"), "--key", "2"]) == 0
    assert sorted(transcode_cache_dir(state).glob("*.flac")) == cached
    assert cached[0].stat().st_mtime_ns >= first_mtime_ns


def test_export_high_quality_of_an_mp3g_zip(zip_song, state, tmp_path):
    path, reference = zip_song
    out = tmp_path / "best.flac"
    assert main(["export", str(path), "--out", str(out), "--quality", "high"]) == 0
    written, _ = sf.read(out, dtype="float32", always_2d=True)
    error_db, _ = compare(written, 0, reference)
    assert error_db < -40, error_db  # no stretch at key 0 tempo 1: the same audio


def test_play_of_an_mp3g_zip_through_alsa(jack, zip_song, tmp_path, margin):
    path, reference = zip_song
    env = {**os.environ, **jack.alsa_env(tmp_path / "home", 2)}
    env.pop("KARAOKE_STATE_DIR", None)
    env.update(XDG_STATE_HOME=str(tmp_path / "state"), KARAOKE_CONFIG=str(tmp_path / "no.toml"))
    command = [sys.executable, "-m", "appliance.cli", "play", str(path)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    captured, _ = sf.read(tmp_path / "home" / "out.wav", dtype="float32", always_2d=True)
    runs = sounding_runs(captured)
    assert len(runs) == 1, runs
    error_db, _ = compare(captured, runs[0][0], reference)
    margin("karaoke play of a zip vs decoded source", error_db, "<", -60, "dB")
    assert abs((runs[0][1] - runs[0][0]) - len(reference)) < 4800
