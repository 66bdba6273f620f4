"""gpiozero devices for a :class:`~appliance.buttons.layout.Layout`, on an injectable pin factory.

The factory comes from, in order: the caller (tests pass a ``MockFactory``), the config's
``pin_factory`` ('lgpio' on a Pi 4/5, 'mock' for a demo without hardware), the
``GPIOZERO_PIN_FACTORY`` environment variable, or gpiozero's own choice. No usable GPIO raises
:class:`NoGpio` with the reasons gpiozero gave, so the box can go on without buttons::

    >>> from gpiozero.pins.mock import MockFactory
    >>> isinstance(pin_factory("mock"), MockFactory)
    True
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

from gpiozero import LED, PWMLED, Button, Device, RotaryEncoder
from gpiozero.exc import GPIOZeroError, PinPWMUnsupported
from gpiozero.pins.mock import MockFactory, MockPWMPin

from appliance.buttons.layout import Layout
from appliance.core.errors import DeviceError

log = logging.getLogger(__name__)


class NoGpio(DeviceError):
    """This machine has no GPIO gpiozero can use (not a Pi, no permission, no library)."""


def pin_factory(name: str = "") -> Any:
    """The named gpiozero pin factory ('' = GPIOZERO_PIN_FACTORY or gpiozero's default)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if name.lower() == "mock":
                return MockFactory(pin_class=MockPWMPin)
            if name:
                return _named_factory(name)
            Device.ensure_pin_factory()
            return Device.pin_factory
        except NoGpio:
            raise
        except Exception as error:
            reasons = [str(w.message).removeprefix("Falling back from ") for w in caught]
            reasons.append(f"{type(error).__name__}: {error}")
            raise NoGpio("; ".join(reasons)) from error


def _named_factory(name: str) -> Any:
    group = entry_points(group="gpiozero_pin_factories")
    for entry in group:
        if entry.name == name.lower():
            return entry.load()()
    known = ", ".join(sorted(entry.name for entry in group))
    raise NoGpio(f"unknown pin factory {name!r} (gpiozero knows: {known})")


@dataclass
class Board:
    """The opened devices. ``problems``: devices that could not be opened (the rest work)."""

    buttons: dict[str, Button] = field(default_factory=dict)
    encoder: RotaryEncoder | None = None
    leds: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def devices(self) -> list[Any]:
        """Every opened device."""
        found = [*self.buttons.values(), *self.leds.values()]
        return [*found, self.encoder] if self.encoder is not None else found

    def close(self) -> None:
        """Release every pin."""
        for device in self.devices():
            try:
                device.close()
            except Exception:
                log.exception("buttons: could not close %r", device)


def open_board(
    layout: Layout,
    factory: Any,
    on_edge: Callable[[str], None],
    on_step: Callable[[int], None],
) -> Board:
    """Open every device of ``layout``; handlers get the button name / +1 or -1 per detent.

    Buttons are wired to GND with the internal pull-up. gpiozero's own ``bounce_time`` is not
    used: debounce happens in :mod:`appliance.buttons.debounce`, identically on mock pins.
    """
    board = Board()
    for spec in layout.buttons:
        what = f"button {spec.name} (GPIO{spec.pin})"
        button = _open(board, what, Button, spec.pin, pin_factory=factory)
        if button is not None:
            button.when_pressed = _calls(on_edge, spec.name)
            button.when_released = _calls(on_edge, spec.name)
            board.buttons[spec.name] = button
    if layout.encoder is not None:
        enc = layout.encoder
        where = f"encoder (GPIO{enc.a}, GPIO{enc.b})"
        encoder = _open(board, where, RotaryEncoder, enc.a, enc.b, pin_factory=factory, max_steps=0)
        if encoder is not None:
            encoder.when_rotated_clockwise = _calls(on_step, +1)
            encoder.when_rotated_counter_clockwise = _calls(on_step, -1)
            board.encoder = encoder
    for name, pin in layout.leds.items():
        led = _open_led(board, name, pin, factory)
        if led is not None:
            board.leds[name] = led
    return board


def _open_led(board: Board, name: str, pin: int, factory: Any) -> Any:
    try:
        return PWMLED(pin, pin_factory=factory)
    except PinPWMUnsupported:
        log.info("buttons: no PWM on GPIO%d; LED %s blinks instead of breathing", pin, name)
    except (GPIOZeroError, OSError):
        pass
    return _open(board, f"LED {name} (GPIO{pin})", LED, pin, pin_factory=factory)


def _open(board: Board, what: str, kind: type, *args: Any, **kwargs: Any) -> Any:
    try:
        return kind(*args, **kwargs)
    except (GPIOZeroError, OSError) as error:
        board.problems.append(f"{what}: {error}")
        log.error("buttons: cannot open %s: %s", what, error)
        return None


def _calls(handler: Callable[[Any], None], argument: Any) -> Callable[[], None]:
    def call() -> None:
        handler(argument)

    return call
