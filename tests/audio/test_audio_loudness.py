"""Loudness: songs are brought to the configured target whatever their level, by folder path as
well as scanned, and what is normalised is what is heard (the mix at the entry's guide level:
a guide vocal left out at guide 0 no longer leaves the song under the target)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
import soundfile as sf

from appliance.audio.dsp.song_renderer import RenderOptions
from appliance.audio.export import render_song
from appliance.audio.loudness import song_loudness, with_loudness
from appliance.audio.settings import AudioConfig
from appliance.cli import main
from appliance.core.config import ConfigError
from appliance.core.models import MixSettings
from appliance.library.songfolder.manifest import read_manifest
from tests.support.audio_songs import RATE, make_song, music, tone

LEVELS = {"quiet": 0.2, "middle": 0.4, "loud": 0.9}  # -21, -16, -9 LUFS


def lufs(audio: np.ndarray) -> float:
    return float(pyloudnorm.Meter(RATE).integrated_loudness(audio.astype(np.float64)))


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three songs far apart in level, each with a loud guide vocal, no loudness in song.toml."""
    root = tmp_path_factory.mktemp("loudness")
    for name, level in LEVELS.items():
        make_song(
            root / name,
            {
                "band": ("keys", music(6.0, seed=4, level=level)),
                "vox": ("lead_vocal", tone(523, 6.0, level * 0.3)),
            },
        )
    return {name: root / name for name in LEVELS}


def test_a_song_never_scanned_is_measured_with_and_without_its_guide(folders):
    song = read_manifest(folders["middle"])
    assert song.loudness_lufs is None
    measured = with_loudness(song)
    loudness = song_loudness(song)
    assert loudness is not None and loudness.no_guide_lufs is not None
    assert (measured.loudness_lufs, measured.loudness_no_guide_lufs) == (
        loudness.lufs,
        loudness.no_guide_lufs,
    )
    assert loudness.no_guide_lufs < loudness.lufs - 1.0  # the guide is loud in these songs


def test_export_by_folder_path_normalises_every_song_to_the_target(folders, tmp_path, margin):
    heard = []
    for name, folder in folders.items():
        out = tmp_path / f"{name}.wav"
        assert main(["export", str(folder), "--out", str(out), "--guide", "1"]) == 0
        heard.append(lufs(sf.read(out, dtype="float32")[0]))
    margin("worst distance from -16 LUFS", max(abs(v + 16) for v in heard), "<", 0.3, "LU")
    margin("spread across songs", max(heard) - min(heard), "<", 0.3, "LU")


@pytest.mark.parametrize("guide", [0.0, 0.5, 1.0])
def test_what_is_heard_at_any_guide_level_is_at_the_target(folders, guide, margin):
    song = with_loudness(read_manifest(folders["loud"]))
    rendered = render_song(song, MixSettings(guide_level=guide), RenderOptions())
    margin(f"guide {guide}: distance from -16 LUFS", abs(lufs(rendered) + 16), "<", 0.3, "LU")


def test_the_target_is_a_setting(folders, tmp_path, margin):
    config = tmp_path / "karaoke.toml"
    config.write_text("[audio]\nloudness_target_lufs = -20.0\n")
    out = tmp_path / "at20.wav"
    code = main(["--config", str(config), "export", str(folders["quiet"]), "--out", str(out)])
    assert code == 0
    margin("distance from -20 LUFS", abs(lufs(sf.read(out, dtype="float32")[0]) + 20), "<", 0.3)
    assert AudioConfig().loudness_target_lufs == -16.0


def test_a_target_out_of_range_is_refused_with_a_reason(tmp_path, capsys):
    from appliance.config import load_config

    config = tmp_path / "karaoke.toml"
    config.write_text("[audio]\nloudness_target_lufs = -50\n")
    with pytest.raises(ConfigError, match="loudness_target_lufs"):
        load_config(config)


def test_through_alsa_a_song_played_by_folder_path_at_guide_0_is_at_the_target(
    jack, folders, tmp_path, margin
):
    config = tmp_path / "karaoke.toml"
    config.write_text("[audio]\nvolume = 1.0\n")  # the master volume, else 0.8 (-1.9 dB)
    heard = []
    for name in ("middle", "loud"):  # (quiet at guide 0 needs more than the +6 dB allowed)
        home = tmp_path / name
        env = {**os.environ, **jack.alsa_env(home, 2), "XDG_STATE_HOME": str(tmp_path / "st")}
        command = [sys.executable, "-m", "appliance.cli", "--config", str(config), "play"]
        command += [str(folders[name]), "--guide", "0"]
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=40, check=False
        )
        assert done.returncode == 0, done.stderr
        heard.append(lufs(sf.read(home / "out.wav", dtype="float32")[0]))
    margin("ALSA, guide 0: worst distance from -16", max(abs(v + 16) for v in heard), "<", 0.3)
