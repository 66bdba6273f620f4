"""Every button pressed and held on mock pins, checked against a real core's state."""

from __future__ import annotations

import pytest

from appliance.buttons.settings import ButtonsConfig
from tests.support.buttons_rig import KNOB, make_rig, queue
from tests.support.waiting import eventually


@pytest.fixture
def rig():
    rig = make_rig()
    queue(rig.core, "Ada", "s1", "s2")
    queue(rig.core, "Bob", "s3")
    yield rig
    rig.part.stop()
    rig.core.close()


def live(rig):
    return rig.core.current_settings()


def test_next_and_play_pause(rig):
    assert rig.state() == "up_next"
    rig.press("next")
    assert rig.state() == "playing"
    assert rig.core.snapshot().now.song.song_id == "s1"
    rig.press("play")
    assert rig.state() == "paused"
    rig.press("play")
    assert rig.state() == "playing"


def test_play_starts_the_countdown_singer_too(rig):
    rig.press("play")
    assert rig.state() == "playing"


def test_key_buttons_and_key_reset_on_hold(rig):
    rig.press("next")
    rig.press("key_up")
    rig.press("key_up")
    assert live(rig).key_semitones == 2
    rig.press("key_down")
    rig.press("key_down")
    rig.press("key_down")
    assert live(rig).key_semitones == -1
    rig.hold("key_up")
    assert live(rig).key_semitones == 0  # back to the original key, and no extra key_up


def test_guide_toggles(rig):
    rig.press("next")
    assert live(rig).guide_level == 1.0
    rig.press("guide")
    assert live(rig).guide_level == 0.0
    rig.press("guide")
    assert live(rig).guide_level == 1.0


def test_skip_and_restart_on_hold(rig):
    rig.press("next")
    rig.clock.advance(42.0)
    assert rig.player.position_s() == pytest.approx(42.0, abs=0.5)
    rig.hold("skip")
    assert rig.state() == "playing"  # restarted, not skipped
    assert rig.player.position_s() < 1.0
    rig.press("skip")
    snapshot = rig.core.snapshot()
    assert snapshot.state.value == "up_next"
    assert snapshot.up_next.singer.name == "Bob"
    assert rig.core.history(5)[0].outcome == "skipped"


def test_refused_action_is_harmless(rig):
    rig.press("skip")  # nothing plays yet: refused with a reason, nothing breaks
    rig.press("key_up")
    assert rig.state() == "up_next"


def test_knob_turns_volume_by_the_configured_step_and_push_mutes():
    rig = make_rig(ButtonsConfig(volume_step=0.1))
    try:
        assert rig.core.volume() == (0.8, False)
        rig.turn(+2)
        assert rig.core.volume()[0] == pytest.approx(1.0)
        rig.turn(+3)  # clamped at full volume
        assert rig.core.volume()[0] == pytest.approx(1.0)
        rig.turn(-5)
        assert rig.core.volume()[0] == pytest.approx(0.5)
        rig.press(KNOB)
        assert rig.core.volume() == (pytest.approx(0.5), True)
        rig.press(KNOB)
        assert rig.core.volume()[1] is False
        assert rig.player.volume == pytest.approx(0.5)
    finally:
        rig.part.stop()


def test_default_step_is_five_percent(rig):
    rig.turn(+1)
    assert rig.core.volume()[0] == pytest.approx(0.85)
    rig.turn(-3)
    assert rig.core.volume()[0] == pytest.approx(0.7)


def test_a_chattering_contact_gives_one_action(rig):
    rig.press("next")
    pin = rig.pin("key_up")
    for i in range(25):  # 25 edges in 6 ms, ending pressed
        (pin.drive_low if i % 2 == 0 else pin.drive_high)()
        rig.clock.advance(0.00025)
        rig.part.service()
    rig.settle(0.2)
    for i in range(24):  # the release chatters as well, ending released
        (pin.drive_high if i % 2 == 0 else pin.drive_low)()
        rig.clock.advance(0.00025)
        rig.part.service()
    pin.drive_high()
    rig.settle()
    rig.done()
    assert live(rig).key_semitones == 1


def test_a_spike_shorter_than_the_debounce_gives_nothing(rig):
    version = rig.core.version
    pin = rig.pin("play")
    pin.drive_low()
    rig.clock.advance(0.002)
    pin.drive_high()
    rig.settle(0.5)
    rig.done()
    assert rig.core.version == version
    assert rig.state() == "up_next"


def test_a_stuck_button_fires_once(rig):
    rig.press("next")
    pin = rig.pin("play")
    pin.drive_low()
    for _ in range(600):  # ten minutes stuck down
        rig.settle(1.0)
    rig.done()
    assert rig.state() == "paused"  # exactly one play_pause
    version = rig.core.version
    rig.pin("skip").drive_low()  # stuck on a button with a hold action: the hold fires once
    for _ in range(300):
        rig.settle(1.0)
    rig.done()
    assert rig.core.version == version + 1  # one restart (a seek) and nothing more
    assert rig.state() == "paused"
    pin.drive_high()
    rig.pin("skip").drive_high()
    rig.settle()
    rig.done()
    assert rig.core.version == version + 1  # releasing after the hold does not skip


def test_a_button_stuck_at_boot_is_ignored_until_pressed_again():
    rig = make_rig()
    try:
        queue(rig.core, "Ada", "s1")
        rig.part.stop()
        factory = rig.factory
        factory.pin(25).drive_low()  # "next" is wired down already
        from appliance.buttons.part import start_buttons

        part = start_buttons(
            rig.core, ButtonsConfig(), factory=factory, clock=rig.clock.monotonic, run_thread=False
        )
        rig.part = part
        rig.settle(5.0)
        assert part.worker.wait_idle(2.0)
        assert rig.state() == "up_next"
        factory.pin(25).drive_high()
        rig.settle()
        rig.press("next")
        assert rig.state() == "playing"
    finally:
        rig.part.stop()


def test_every_action_shows_a_notice(rig):
    seen = []
    rig.core.subscribe("test-notices", lambda e: seen.append(getattr(e, "message", None)))
    rig.press("next")
    rig.press("key_up")
    assert eventually(lambda: "Key +1" in seen and "Starting now" in seen)


def test_holding_guide_shows_the_host_pin_on_the_tv_only(rig):
    """Physical access is host rights: the held button asks the TV to show the PIN; the event
    (which every listener, phones included, hears) carries no PIN, and the song does not start."""
    from appliance.core import events

    heard: list[events.Event] = []
    rig.core.subscribe("test-pin", heard.append)
    rig.hold("guide")
    eventually(lambda: any(isinstance(e, events.PinShown) for e in heard))
    shown = next(e for e in heard if isinstance(e, events.PinShown))
    assert shown.seconds == 10.0 and not hasattr(shown, "pin")
    assert rig.state() == "up_next"  # the hold did nothing else
    eventually(lambda: any(getattr(e, "message", "") == "Host PIN on the TV" for e in heard))
