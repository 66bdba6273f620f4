"""The part as the box starts it: pin factory choice, no GPIO, threads, a busy core."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest
from gpiozero import Device

from appliance.buttons import part as buttons_part
from appliance.buttons.checks import checks
from appliance.buttons.part import start_buttons
from appliance.buttons.settings import ButtonsConfig
from appliance.buttons.worker import ActionWorker
from appliance.core.catalog import Catalog
from appliance.core.ports import ManualClock
from appliance.core.service import Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.store import Store
from appliance.parts import PartContext
from tests.support.buttons_rig import make_rig, queue
from tests.support.context import FakeBox
from tests.support.waiting import eventually

NO_CHIP = not list(Path("/dev").glob("gpiochip*"))


def box_for(buttons: ButtonsConfig) -> PartContext[ButtonsConfig]:
    return FakeBox().context(buttons)


@pytest.fixture
def no_global_factory(monkeypatch):
    monkeypatch.setattr(Device, "pin_factory", None)


def test_config_names_the_mock_factory_and_the_box_gets_buttons(caplog):
    caplog.set_level(logging.INFO)
    box = box_for(ButtonsConfig(pin_factory="mock"))
    part = buttons_part.start(box)
    try:
        assert part is not None
        assert set(part.board.buttons) == {
            "play",
            "skip",
            "key_down",
            "key_up",
            "guide",
            "next",
            "knob",
        }
        assert part.board.encoder is not None
        assert part.leds.attention.audio_missing  # no engine: the silent player keeps time
        assert "GPIO17 button play" in caplog.text
    finally:
        part.stop()


def test_disabled_in_config_starts_nothing():
    assert buttons_part.start(box_for(ButtonsConfig(enabled=False))) is None


def test_an_unknown_factory_in_the_environment_means_no_buttons(
    monkeypatch, caplog, no_global_factory
):
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "nosuchfactory")
    assert buttons_part.start(box_for(ButtonsConfig())) is None
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "runs without buttons" in warnings[0].getMessage()


def test_environment_factory_is_used(monkeypatch, no_global_factory):
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "mock")
    monkeypatch.setenv("GPIOZERO_MOCK_PIN_CLASS", "mockpwmpin")
    part = buttons_part.start(box_for(ButtonsConfig()))
    try:
        assert part is not None
        assert type(Device.pin_factory).__name__ == "MockFactory"
    finally:
        part.stop()
        Device.pin_factory.reset()


@pytest.mark.skipif(not NO_CHIP, reason="this machine has GPIO")
def test_no_gpio_on_this_machine_runs_without_buttons_and_says_so_once(
    monkeypatch, caplog, no_global_factory
):
    monkeypatch.delenv("GPIOZERO_PIN_FACTORY", raising=False)
    assert buttons_part.start(box_for(ButtonsConfig())) is None
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "no GPIO on this machine" in warnings[0].getMessage()
    (gpio,) = checks(ButtonsConfig())
    assert gpio.status == "warn" and "no buttons; the keyboard's keys work" in gpio.detail


def test_a_bad_pinout_raises_one_config_error_at_start():
    from appliance.core.errors import ConfigError

    with pytest.raises(ConfigError, match="pin 17 is used twice"):
        buttons_part.start(box_for(ButtonsConfig(pin_factory="mock", map={"skip": {"pin": 17}})))


def test_without_pwm_leds_still_work_by_blinking(monkeypatch, no_global_factory):
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "mock")
    monkeypatch.delenv("GPIOZERO_MOCK_PIN_CLASS", raising=False)
    box = box_for(ButtonsConfig())
    part = buttons_part.start(box)
    try:
        assert set(part.board.leds) == {"ready", "playing", "attention"}
        assert not part.board.problems
        assert not hasattr(part.board.leds["playing"], "pulse")
    finally:
        part.stop()
        Device.pin_factory.reset()


def test_real_threads_and_real_time():
    """The whole path at real speed: gpiozero callback -> input thread -> worker -> core."""
    clock = ManualClock()
    store = Store.open_memory()
    core = Core(store, SilentPlayer(clock, check_files=False), clock=clock)
    from gpiozero.pins.mock import MockFactory, MockPWMPin

    from appliance.core.models import Song, SongId

    Catalog(store).upsert_songs([(Song(SongId("s1"), "T", "A", 100.0, "/s1"), "x")])
    queue(core, "Ada", "s1")
    factory = MockFactory(pin_class=MockPWMPin)
    part = start_buttons(core, ButtonsConfig(debounce_ms=10, hold_s=1.0), factory=factory)
    try:
        factory.pin(25).drive_low()
        time.sleep(0.05)
        factory.pin(25).drive_high()
        assert eventually(lambda: core.snapshot().state.value == "playing")
        key_up = factory.pin(23)
        for _ in range(5):  # a chattering short press of key up
            key_up.drive_low()
            key_up.drive_high()
        key_up.drive_low()
        time.sleep(0.05)
        key_up.drive_high()
        assert eventually(lambda: core.current_settings().key_semitones == 1, 2.0)
        key_up.drive_low()  # held: back to the original key, and no key up on release
        time.sleep(1.5)
        key_up.drive_high()
        assert eventually(lambda: core.current_settings().key_semitones == 0, 2.0)
        time.sleep(0.1)
        assert core.current_settings().key_semitones == 0
    finally:
        part.stop()


def test_handlers_return_at_once_while_the_core_is_busy():
    rig = make_rig()
    try:
        queue(rig.core, "Ada", "s1")
        locked, release = threading.Event(), threading.Event()

        def busy_core():  # posted work runs under the core's lock
            locked.set()
            release.wait(10)

        rig.core.post(busy_core)
        threading.Thread(target=rig.core.tick, daemon=True).start()
        assert locked.wait(2)
        started = time.perf_counter()
        pin = rig.pin("next")
        pin.drive_low()  # gpiozero calls our handlers right here, on this thread
        rig.settle()
        pin.drive_high()
        rig.settle()
        rig.turn(+5, wait=False)
        took = time.perf_counter() - started
        assert took < 0.1, took
        assert not rig.part.worker.wait_idle(0.2)  # the work waits for the core, not gpiozero
        release.set()
        rig.done()
        assert rig.state() == "playing"
        assert rig.core.volume()[0] == pytest.approx(1.0)
    finally:
        release.set()
        rig.part.stop()


def test_a_full_queue_drops_and_logs_once(caplog):
    gate = threading.Event()
    ran = []
    worker = ActionWorker(lambda action: (gate.wait(5), ran.append(action)), capacity=3)
    accepted = [worker.submit(f"a{i}") for i in range(10)]
    # one is being run (waiting at the gate), three wait in the queue, the rest are dropped
    assert accepted.count(True) in (3, 4)
    assert worker.dropped == 10 - accepted.count(True)
    assert len([r for r in caplog.records if "dropping" in r.getMessage()]) == 1
    gate.set()
    assert worker.wait_idle(5)
    assert ran == [f"a{i}" for i in range(10) if accepted[i]]
    worker.stop()


def test_a_failing_action_does_not_stop_the_worker(caplog):
    ran = []

    def run(action):
        if action == "boom":
            raise RuntimeError("boom")
        ran.append(action)

    worker = ActionWorker(run)
    worker.submit("boom")
    worker.submit("ok")
    assert worker.wait_idle(2)
    assert ran == ["ok"]
    assert "action 'boom' failed" in caplog.text
    worker.stop()
