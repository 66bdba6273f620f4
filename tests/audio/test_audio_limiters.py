"""A limiter per output pair: a room mix far over full scale on outputs 1-2 is limited there and
never turns down the performers' click on 3-4 (one shared limiter ducked it by up to 6.5 dB)."""

from __future__ import annotations

import numpy as np
import pytest

from appliance.audio.dsp.routing import Routing
from appliance.audio.dsp.song_renderer import RenderOptions
from appliance.audio.export import render_song
from appliance.core.models import MixSettings
from tests.support.audio_songs import RATE, clicks, make_song, tone
from tests.support.sound_analysis import align, relative_error_db

HOT = MixSettings()
CLICK_ONLY = MixSettings().with_stem_gain("s0", 0.0).with_stem_gain("s1", 0.0)


@pytest.fixture(scope="module")
def hot_with_click(tmp_path_factory: pytest.TempPathFactory) -> object:
    """Two stems of 0.99 (the room at +6 dBFS) and a click at 0.5."""
    stems = {f"s{i}": ("other", tone(220, 3.0, 0.99)) for i in range(2)}
    stems["click"] = ("click", clicks(3.0, every_s=0.25))
    return make_song(tmp_path_factory.mktemp("limiters") / "hot_click", stems)


def worst_click_ducking_db(played: np.ndarray, alone: np.ndarray) -> float:
    """The largest drop (dB) of a click burst's peak against the click rendered alone."""
    worst = 0.0
    for start in range(0, len(alone) - 480, int(0.25 * RATE)):
        reference = np.abs(alone[start : start + 480]).max()
        if reference > 0.1:
            got = np.abs(played[start : start + 480]).max()
            worst = max(worst, 20 * np.log10(reference / got))
    return worst


@pytest.mark.parametrize(("layout", "click", "music"), [("four", 2, 0), ("split", 0, 1)])
def test_offline_the_hot_room_does_not_duck_the_click(hot_with_click, layout, click, music):
    options = RenderOptions(routing=Routing(layout, 4 if layout == "four" else 2))
    played = render_song(hot_with_click, HOT, options)
    alone = render_song(hot_with_click, CLICK_ONLY, options)
    assert np.abs(played[:, music]).max() <= 10 ** (-1 / 20) + 1e-6  # the room is limited
    assert np.abs(played[:, music]).max() > 0.8
    assert worst_click_ducking_db(played[:, click], alone[:, click]) < 0.01


def test_through_alsa_the_click_on_3_4_is_untouched_by_the_room(
    engine, hot_with_click, margin, real_time
):
    rig = engine(routing="four", channels=4)
    rig.client.play(hot_with_click, HOT)
    clock = rig.clock()
    assert rig.listener.wait(15)
    real_time(clock)  # a slow clock under load drops blocks: the capture would prove nothing
    captured = rig.capture()
    options = RenderOptions(routing=Routing("four", 4))
    alone = render_song(hot_with_click, CLICK_ONLY, options)
    offset = align(captured[:, 2:], alone[:, 2:])
    ears = captured[offset : offset + len(alone), 2:]
    margin(
        "outputs 3-4 vs the click alone", relative_error_db(ears, alone[:, 2:], 0), "<", -60, "dB"
    )
    margin(
        "worst click ducking",
        worst_click_ducking_db(ears[:, 0], alone[: len(ears), 2]),
        "<",
        0.05,
        "dB",
    )
    margin("room peak", np.abs(captured[:, :2]).max(), "<", 10 ** (-1 / 20) + 1e-3)
