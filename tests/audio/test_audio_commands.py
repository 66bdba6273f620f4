"""``karaoke play / export / devices`` and ``karaoke doctor``'s audio checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest
import soundfile as sf

from appliance.audio.checks import checks
from appliance.audio.engine.status import STATUS_FILE
from appliance.audio.export import render_song
from appliance.audio.loudness import with_loudness
from appliance.audio.settings import AudioConfig
from appliance.cli import main
from appliance.core.models import MixSettings
from tests.support.audio_songs import RATE, cents, peak_frequency


def test_export_writes_the_same_audio_as_the_engine_renders(songs, tmp_path):
    out = tmp_path / "mine.wav"
    song = songs["band"]
    code = main(["export", song.path, "--out", str(out), "--key", "-2", "--mute", "drums"])
    assert code == 0
    written, rate = sf.read(out, dtype="float32")
    expected = render_song(  # never scanned: the export measures its loudness first
        with_loudness(song), MixSettings(key_semitones=-2).with_stem_gain("drums", 0.0)
    )
    assert rate == RATE
    np.testing.assert_allclose(written, expected, atol=1e-6)


def test_export_refuses_an_unknown_stem_and_a_bad_key(songs, tmp_path, capsys):
    song = songs["band"]
    assert main(["export", song.path, "--out", str(tmp_path / "x.wav"), "--mute", "nope"]) == 2
    assert "no stem 'nope'" in capsys.readouterr().err
    assert main(["export", song.path, "--out", str(tmp_path / "x.wav"), "--key", "13"]) == 2


def test_play_plays_a_song_through_alsa(jack, songs, tmp_path):
    env = {**os.environ, **jack.alsa_env(tmp_path / "home", 2)}
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    song = songs["short"]
    command = [sys.executable, "-m", "appliance.cli", "play", song.path, "--key", "3"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    captured, _ = sf.read(tmp_path / "home" / "out.wav")
    assert abs(captured).max() > 0.1
    start = int(np.argmax(np.abs(captured[:, 0]) > 0.05)) + RATE // 4
    sounding = captured[start : start + RATE // 2, 0]
    assert abs(cents(peak_frequency(sounding) / 330.0 / 2 ** (3 / 12))) < 5


def test_devices_lists_what_alsa_offers(jack, tmp_path):
    env = {**os.environ, **jack.alsa_env(tmp_path / "home", 2)}
    command = [sys.executable, "-m", "appliance.cli", "devices", "--json"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0
    assert '"default"' in done.stdout


@pytest.mark.parametrize(
    "name", ["sound device", "key and tempo", "audio decoders", "real-time priority", "engine"]
)
def test_doctor_has_the_audio_checks(tmp_path, name):
    assert name in [check.name for check in checks(AudioConfig(), tmp_path)]


def test_doctor_names_the_decoders_songs_played_in_place_need(tmp_path):
    check = next(c for c in checks(AudioConfig(), tmp_path) if c.name == "audio decoders")
    assert check.ok, check
    assert "PyAV" in check.detail and "M4A/AAC, Opus, WMA" in check.detail


def test_doctor_says_a_stopped_engine_is_stopped(tmp_path):
    """A fresh status file whose engine process is gone (killed, crashed) is not 'running'."""
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    status = {"time": time.time(), "pid": int(gone), "state": "playing", "underflows": 0}
    (tmp_path / STATUS_FILE).write_text(json.dumps(status))
    engine = next(check for check in checks(AudioConfig(), tmp_path) if check.name == "engine")
    assert engine.detail.startswith("not running") and f"pid {gone} gone" in engine.detail
    status["pid"] = os.getpid()
    (tmp_path / STATUS_FILE).write_text(json.dumps(status))
    engine = next(check for check in checks(AudioConfig(), tmp_path) if check.name == "engine")
    assert engine.detail.startswith(f"pid {os.getpid()}") and "playing" in engine.detail
