"""The status LEDs follow the core's state, on mock PWM pins."""

from __future__ import annotations

import time

import pytest

from appliance.buttons.leds import Pattern, led_patterns
from appliance.core.snapshot import PlaybackState
from tests.support.buttons_rig import HOST, make_rig, queue
from tests.support.waiting import eventually


@pytest.fixture
def rig():
    rig = make_rig()
    yield rig
    rig.part.stop()
    rig.core.close()


def shows(rig, **wanted: Pattern) -> bool:
    return eventually(lambda: all(rig.part.leds.shown.get(n) is p for n, p in wanted.items()))


def values_over(pin, seconds: float) -> set[float]:
    """The levels a (PWM) pin takes over ``seconds`` of real time."""
    seen, deadline = set(), time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen.add(round(float(pin.state), 2))
        time.sleep(0.01)
    return seen


def test_the_patterns_are_distinct_for_every_state():
    table = {state: led_patterns(state, attention=False) for state in PlaybackState}
    assert len({tuple(p.values()) for p in table.values()}) == len(PlaybackState)
    assert led_patterns(PlaybackState.IDLE, attention=True)["attention"] is Pattern.BLINK_FAST


def test_idle_shows_ready_steady(rig):
    assert shows(rig, ready=Pattern.ON, playing=Pattern.OFF, attention=Pattern.OFF)
    assert rig.pin("ready").state == 1
    assert rig.pin("playing").state == 0
    assert values_over(rig.pin("attention"), 0.3) == {0.0}


def test_up_next_blinks_ready_then_playing_is_steady_and_pause_breathes(rig):
    queue(rig.core, "Ada", "s1")
    assert shows(rig, ready=Pattern.BLINK_SLOW, playing=Pattern.OFF)
    assert values_over(rig.pin("ready"), 1.2) == {0.0, 1.0}  # blinking
    rig.press("next")
    assert shows(rig, ready=Pattern.OFF, playing=Pattern.ON)
    assert values_over(rig.pin("playing"), 0.3) == {1.0}  # steady
    rig.press("play")
    assert shows(rig, playing=Pattern.BREATHE)
    levels = values_over(rig.pin("playing"), 1.5)
    assert len([v for v in levels if 0.05 < v < 0.95]) >= 5  # fading through many levels
    rig.press("play")
    assert shows(rig, playing=Pattern.ON)


def test_a_failed_song_blinks_attention_until_a_song_plays(rig):
    queue(rig.core, "Ada", "broken")
    queue(rig.core, "Bob", "s1")
    rig.press("next")  # the broken song fails to load; Bob is up next
    assert rig.core.snapshot().last_failure
    assert shows(rig, attention=Pattern.BLINK_FAST, ready=Pattern.BLINK_SLOW)
    assert values_over(rig.pin("attention"), 0.6) == {0.0, 1.0}
    rig.press("next")
    assert shows(rig, attention=Pattern.OFF, playing=Pattern.ON)


def test_attention_ends_after_its_window(rig):
    queue(rig.core, "Ada", "broken")
    rig.press("next")
    assert shows(rig, attention=Pattern.BLINK_FAST, ready=Pattern.ON)
    rig.settle(rig.part.leds.attention.window_s + 1.0)
    assert rig.part.leds.shown["attention"] is Pattern.OFF


def test_a_device_warning_raises_attention(rig):
    rig.core.notify("sound device unplugged", "warning")
    assert shows(rig, attention=Pattern.BLINK_FAST)


def test_no_sound_keeps_attention_blinking():
    rig = make_rig(audio_missing=True)
    try:
        assert shows(rig, attention=Pattern.BLINK_FAST, ready=Pattern.ON)
        rig.settle(3600.0)
        assert rig.part.leds.shown["attention"] is Pattern.BLINK_FAST
    finally:
        rig.part.stop()


def test_volume_changes_leave_the_leds_alone(rig):
    queue(rig.core, "Ada", "s1")
    rig.core.start_next_now(HOST)
    assert shows(rig, playing=Pattern.ON)
    before = list(rig.pin("playing").states)
    rig.turn(+2)
    time.sleep(0.1)
    assert rig.pin("playing").states == before


def test_stop_darkens_every_led(rig):
    queue(rig.core, "Ada", "s1")
    assert shows(rig, ready=Pattern.BLINK_SLOW)
    pins = [rig.pin(name) for name in ("ready", "playing", "attention")]
    rig.part.stop()
    assert [pin.state for pin in pins] == [0, 0, 0]
    rig.part.stop()  # stopping twice is harmless
