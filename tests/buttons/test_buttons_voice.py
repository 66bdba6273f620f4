"""The singer's mic from the box (issue 15): holding the knob makes it turn the mic level, then
the echo, then the volume again (back to the volume on its own after a pause); buttons mapped to
mic_up / echo_down step the same. Mock pins, a real core."""

from __future__ import annotations

import pytest

from appliance.buttons.knob import MODE_IDLE_S
from appliance.buttons.settings import ButtonsConfig
from appliance.core.voice import VoiceSettings
from tests.support.buttons_rig import KNOB, make_rig, queue


@pytest.fixture
def rig():
    rig = make_rig()
    queue(rig.core, "Ada", "s1")
    seen: list[str] = []
    rig.core.subscribe("notices", lambda event: seen.append(getattr(event, "message", "")))
    rig.notices = seen  # type: ignore[attr-defined]
    yield rig
    rig.part.stop()
    rig.core.close()


def ada(rig) -> int:  # type: ignore[no-untyped-def]
    return rig.core.snapshot().now.singer.singer_id


def test_holding_the_knob_turns_the_singers_mic_then_echo_then_volume(rig):
    rig.press("next")
    volume = rig.core.volume()[0]
    rig.hold(KNOB)
    rig.turn(+2)
    assert rig.core.voice_of(ada(rig)) == VoiceSettings(level_db=4.0, echo=0.3)
    assert rig.player.voices[1] == VoiceSettings(level_db=4.0, echo=0.3)  # heard at once
    assert rig.core.volume()[0] == volume  # the music did not move
    rig.hold(KNOB)
    rig.turn(-1)
    assert rig.core.voice_of(ada(rig)).echo == pytest.approx(0.2)
    rig.hold(KNOB)
    rig.turn(+1)
    assert rig.core.volume()[0] == pytest.approx(volume + 0.05)
    assert rig.core.voice_of(ada(rig)) == VoiceSettings(level_db=4.0, echo=0.2)
    assert rig.core.volume()[1] is False  # holding did not mute


def test_the_knob_falls_back_to_the_volume_after_a_pause(rig):
    rig.press("next")
    rig.hold(KNOB)
    rig.turn(-1)
    assert rig.core.voice_of(ada(rig)).level_db == -2.0
    rig.clock.advance(MODE_IDLE_S + 0.1)
    volume = rig.core.volume()[0]
    rig.turn(+1)
    assert rig.core.volume()[0] == pytest.approx(volume + 0.05)
    assert rig.core.voice_of(ada(rig)).level_db == -2.0


def test_the_tv_is_told_what_the_knob_turns(rig):
    from tests.support.waiting import eventually

    rig.hold(KNOB)
    assert eventually(lambda: "Knob: mic level" in rig.notices)
    rig.turn(+1)  # between songs: everyone's default
    assert eventually(lambda: "Everyone's mic level +2 dB" in rig.notices)
    assert rig.core.default_voice().level_db == 2.0


def test_buttons_mapped_to_the_mic_actions_step_the_voice_to_its_ends():
    config = ButtonsConfig(
        map={
            "mic_up": {"pin": 20, "press": "mic_up"},
            "echo_down": {"pin": 21, "press": "echo_down"},
        }
    )
    rig = make_rig(config)
    try:
        queue(rig.core, "Ada", "s1")
        rig.press("next")
        singer = rig.core.snapshot().now.singer.singer_id
        for _ in range(10):
            rig.press("mic_up")
            rig.press("echo_down")
        assert rig.core.voice_of(singer) == VoiceSettings(level_db=12.0, echo=0.0)
    finally:
        rig.part.stop()
        rig.core.close()
