"""The sound of a karaoke video goes through the engine like an MP3+G song's: its audio track
decoded into the transcode cache (PyAV, :mod:`appliance.audio.sources.avdecode`), so key and
tempo apply to it; ``karaoke export`` of a video song is the video's tone."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from appliance.audio.sources.locate import needs_transcode
from appliance.cli import main
from appliance.core.models import SongKind
from appliance.library.scanning.registry import read_song_at
from tests.support.codec_audio import dominant_hz, rms
from tests.support.video_gen import TONE_HZ, write_counter_video

SECONDS = 3.0


@pytest.fixture
def state(tmp_path, monkeypatch):
    monkeypatch.delenv("KARAOKE_STATE_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("KARAOKE_CONFIG", str(tmp_path / "none.toml"))
    return tmp_path


def exported(path, out, *options: str) -> np.ndarray:
    assert main(["export", str(path), "--out", str(out), *options]) == 0
    written, rate = sf.read(out, dtype="float32", always_2d=True)
    assert rate == 48_000
    return written


@pytest.mark.parametrize("extension", [".mp4", ".webm"])
def test_export_of_a_video_song_is_its_tone(state, extension):
    path = write_counter_video(state / f"Ann - Tone (Karaoke Version){extension}", seconds=SECONDS)
    song = read_song_at(str(path))
    assert song.kind is SongKind.VIDEO and needs_transcode(song)
    written = exported(path, state / "out.wav")
    middle = written[len(written) // 4 : 3 * len(written) // 4]
    assert abs(dominant_hz(middle, 48_000) - TONE_HZ) < 0.5
    assert abs(len(written) / 48_000 - SECONDS) < 0.08
    assert rms(middle) > 0.01


def test_key_and_tempo_apply_to_a_video_song(state):
    path = write_counter_video(state / "Ann - Tone.mp4", seconds=SECONDS)
    written = exported(path, state / "up.wav", "--key", "2", "--tempo", "0.8")
    middle = written[len(written) // 4 : 3 * len(written) // 4]
    assert abs(dominant_hz(middle, 48_000) - TONE_HZ * 2 ** (2 / 12)) < 1.0
    assert abs(len(written) / 48_000 - SECONDS / 0.8) < 0.1
