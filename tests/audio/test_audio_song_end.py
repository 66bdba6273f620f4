"""The end of a song at any tempo: every source frame comes out of the stretcher (R2 kept its last
window back: the last 4-29 ms were lost), offline and through the real ALSA path."""

from __future__ import annotations

import math

import numpy as np
import pytest

from appliance.audio.dsp.song_renderer import RenderOptions
from appliance.audio.export import render_song
from appliance.core.models import MixSettings
from tests.support.audio_songs import RATE, make_song, music, rms_db
from tests.support.sound_analysis import align, relative_error_db

SECONDS = 2.5


@pytest.fixture(scope="module")
def sustained(tmp_path_factory: pytest.TempPathFactory) -> object:
    """Music that sounds up to its very last frame (no fade out)."""
    data = music(SECONDS, seed=3, level=0.3)
    t = np.arange(len(data)) / RATE
    data += (0.2 * np.sin(2 * np.pi * 330 * t)).astype(np.float32)[:, None]
    data[-2:] = 0.0
    return make_song(tmp_path_factory.mktemp("end") / "sustained", {"keys": ("keys", data)})


@pytest.mark.parametrize("quality", ["r2", "r3"])
@pytest.mark.parametrize("tempo", [0.8, 0.9, 1.1, 1.25])
@pytest.mark.parametrize("key", [0, 3])
def test_the_rendered_length_is_the_songs_over_the_tempo(sustained, quality, tempo, key):
    rendered = render_song(
        sustained, MixSettings(key_semitones=key, tempo_ratio=tempo), RenderOptions(quality=quality)
    )
    assert len(rendered) == math.ceil(SECONDS * RATE / tempo - 1e-6)  # the frame that has any
    before = rms_db(rendered[-4802:-962])
    last_20_ms = rms_db(rendered[-962:-2])
    assert last_20_ms > before - 4, (last_20_ms, before)  # sound to the end, not a lost tail


def test_through_alsa_the_whole_r2_song_is_played_at_tempo_1_25(
    engine, sustained, margin, real_time
):
    settings = MixSettings(tempo_ratio=1.25, key_semitones=-2)
    rig = engine(quality="r2")
    rig.client.play(sustained, settings)
    clock = rig.clock()
    assert rig.listener.wait(15)
    real_time(clock)
    assert rig.client.engine_status()["underflows"] == 0
    captured = rig.capture()
    expected = render_song(sustained, settings, RenderOptions(quality="r2"))
    offset = align(captured, expected)
    margin("capture vs export", relative_error_db(captured, expected, offset), "<", -60, "dB")
    end = offset + len(expected)
    margin(
        "last 10 ms vs the export's",
        rms_db(captured[end - 482 : end - 2]) - rms_db(expected[-482:-2]),
        ">",
        -0.5,
        "dB",
    )
    sounding = np.nonzero(np.abs(captured).max(axis=1) > 2e-3)[0]
    played = int(sounding[-1]) + 1 - offset
    song_frames = math.ceil(SECONDS * RATE / 1.25 - 1e-6)
    margin("frames played short of the song / tempo", song_frames - played, "<", 8, "frames")
