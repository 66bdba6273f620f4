"""The guide vocal in the performers' in-ears (``[audio] guide_in_ears``) on a 4-output device:
on 3-4 only when asked, at its own level and in the song's key; on 1-2 by the guide level as
before. The test song's guide is a 660 Hz tone at 0.15 (``songs["band"]``)."""

from __future__ import annotations

import numpy as np
import pytest

from appliance.audio.dsp.routing import make_routing
from appliance.audio.dsp.song_renderer import RenderOptions
from appliance.audio.engine.device import EngineOptions, device_routing
from appliance.audio.export import render_song
from appliance.audio.settings import AudioConfig
from appliance.core.models import MixSettings
from tests.support.audio_songs import RATE
from tests.support.sound_analysis import align, relative_error_db

GUIDE_HZ, GUIDE_LEVEL = 660.0, 0.15


def amplitude(signal: np.ndarray, freq: float) -> float:
    """Amplitude of the sine at ``freq`` in ``signal`` (lock-in over whole periods' worth)."""
    t = np.arange(len(signal)) / RATE
    return float(2 * np.abs(np.mean(signal * np.exp(-2j * np.pi * freq * t))))


def guide_levels(out: np.ndarray, freq: float = GUIDE_HZ) -> tuple[float, float]:
    """(room, in-ears) amplitude of the guide between 1 s and 3 s."""
    middle = out[RATE : 3 * RATE]
    return amplitude(middle[:, 0], freq), amplitude(middle[:, 2], freq)


def db(value: float) -> float:
    return 20 * np.log10(max(value, 1e-12) / GUIDE_LEVEL)


@pytest.mark.parametrize(
    ("in_ears", "guide"), [(False, 1.0), (False, 0.0), (True, 0.0), (True, 0.5), (True, 1.0)]
)
def test_the_guide_is_on_3_4_only_when_asked_and_on_1_2_by_the_guide_level(
    songs, margin, in_ears, guide
):
    routing = make_routing("four", 4, guide_in_ears=in_ears)
    out = render_song(songs["band"], MixSettings(guide_level=guide), RenderOptions(routing=routing))
    room, ears = guide_levels(out)
    case = f"in_ears={in_ears} guide={guide}"
    if guide > 0:
        margin(
            f"{case}: room guide vs its level", abs(db(room) - db(guide * GUIDE_LEVEL)), "<", 0.5
        )
    else:
        margin(f"{case}: room guide", db(room), "<", -60, "dB")
    if in_ears:
        margin(f"{case}: in-ear guide vs full level", abs(db(ears)), "<", 0.5, "dB")
    else:
        # the click's 5 ms bursts have some 660 Hz of their own: -54 dB of the guide's level
        margin(f"{case}: in-ear guide", db(ears), "<", -40, "dB")
    assert np.abs(out[:, 2:]).max() > 0.3  # the click is still there


def test_the_in_ear_guide_follows_the_key(songs, margin):
    routing = make_routing("four", 4, guide_in_ears=True)
    settings = MixSettings(key_semitones=2, guide_level=0.0)
    out = render_song(songs["band"], settings, RenderOptions(routing=routing))
    shifted = GUIDE_HZ * 2 ** (2 / 12)
    _, ears = guide_levels(out, shifted)
    _, unshifted = guide_levels(out, GUIDE_HZ)
    margin("in-ear guide at key +2 vs full level", abs(db(ears)), "<", 1.0, "dB")
    margin("in-ear guide left at the old key", db(unshifted), "<", -40, "dB")


def test_guide_in_ears_is_off_by_default_and_only_for_four_outputs():
    assert AudioConfig().guide_in_ears is False
    options = EngineOptions.from_config(AudioConfig(guide_in_ears=True))
    four = {"name": "USB Audio", "channels": 4}
    stereo = {"name": "USB Audio", "channels": 2}
    assert device_routing(options, four).guide_in_ears
    assert not device_routing(options, stereo).guide_in_ears
    assert not device_routing(EngineOptions.from_config(AudioConfig()), four).guide_in_ears


def test_through_alsa_the_guide_reaches_3_4_at_guide_level_0(engine, songs, margin):
    rig = engine(routing="four", channels=4, guide_in_ears=True)
    settings = MixSettings(guide_level=0.0)
    rig.client.play(songs["band"], settings)
    assert rig.listener.wait(15)
    captured = rig.capture()
    assert captured.shape[1] == 4
    reference = render_song(
        songs["band"], settings, RenderOptions(routing=make_routing("four", 4, guide_in_ears=True))
    )
    offset = align(captured, reference)
    played = captured[offset : offset + len(reference)]
    margin("in-ears capture vs render", relative_error_db(played, reference, 0), "<", -60, "dB")
    room, ears = guide_levels(played)
    margin("ALSA room guide at guide 0", db(room), "<", -60, "dB")
    margin("ALSA in-ear guide vs full level", abs(db(ears)), "<", 0.5, "dB")
