"""A click (or in-ear guide) bus made of mono files at pan 0 is stretched as one channel: the
same output, bit for bit, as the stereo stretcher gives the same audio in a stereo file."""

from __future__ import annotations

import numpy as np
import pytest

from appliance.audio.dsp.routing import Routing
from appliance.audio.dsp.song_renderer import RenderOptions, SongRenderer
from appliance.audio.export import render_song
from appliance.core.models import MixSettings
from tests.support.audio_songs import clicks, make_song, music, tone

SETTINGS = MixSettings(key_semitones=2, tempo_ratio=0.9)


def song_with(folder, channels: int) -> object:
    def shaped(stereo: np.ndarray) -> np.ndarray:
        return stereo if channels == 2 else stereo[:, 0]

    return make_song(
        folder,
        {
            "band": ("keys", music(3.0, seed=5)),
            "vox": ("lead_vocal", shaped(tone(523, 3.0, 0.1))),
            "click": ("click", shaped(clicks(3.0))),
        },
    )


@pytest.mark.parametrize("quality", ["r2", "r3"])
@pytest.mark.parametrize("ears", [False, True])
@pytest.mark.parametrize("click_stretch", ["move", "rubberband"])
def test_a_mono_click_file_renders_exactly_as_its_stereo_copy(
    tmp_path, quality, ears, click_stretch
):
    routing = Routing("four", 4, guide_in_ears=ears)
    options = RenderOptions(quality=quality, routing=routing, click_stretch=click_stretch)
    stereo = render_song(song_with(tmp_path / "stereo", 2), SETTINGS, options)
    mono = render_song(song_with(tmp_path / "mono", 1), SETTINGS, options)
    assert np.array_equal(stereo, mono)
    assert np.abs(mono[:, 2:]).max() > 0.3  # the click is there


def test_only_a_bus_of_mono_files_at_pan_0_gets_a_mono_stretcher(tmp_path):
    options = RenderOptions(routing=Routing("four", 4, guide_in_ears=True))
    mono = SongRenderer(song_with(tmp_path / "mono", 1), SETTINGS, options)
    stereo = SongRenderer(song_with(tmp_path / "stereo", 2), SETTINGS, options)
    try:
        assert mono.monitor_stretcher is not None and mono.ears_stretcher is not None
        assert (mono.monitor_stretcher.channels, mono.ears_stretcher.channels) == (1, 1)
        assert stereo.monitor_stretcher is not None
        assert stereo.monitor_stretcher.channels == 2
    finally:
        mono.close()
        stereo.close()
