"""The pinout of the box: buttons, the volume knob and the status LEDs, checked in one go.

The ``[buttons]`` tables of the config are merged over the documented default pinout
(docs/buttons.md): a button of the same name is changed key by key, a new name adds a button,
``name = false`` removes one. Pins are BCM GPIO numbers. Every problem is reported at once::

    >>> from appliance.buttons.settings import ButtonsConfig
    >>> layout = layout_from_config(ButtonsConfig())
    >>> layout.buttons[1]
    ButtonSpec(name='skip', pin=27, press='skip', hold='restart')
    >>> layout_from_config(ButtonsConfig(map={"skip": {"pin": 17, "hold": "restrat"}}))
    Traceback (most recent call last):
    ...
    appliance.core.errors.ConfigError: [buttons]: 2 problem(s) in the configuration:
      - [buttons.map.skip] hold: unknown action 'restrat' (did you mean 'restart'?)
      - pin 17 is used twice: by button 'play' and by button 'skip'
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from appliance.buttons.knob import KNOB_MODE
from appliance.buttons.settings import ButtonsConfig
from appliance.core.actions import ACTIONS
from appliance.core.errors import ConfigError

DEFAULT_BUTTONS: dict[str, dict[str, Any]] = {
    "play": {"pin": 17, "press": "play_pause"},
    "skip": {"pin": 27, "press": "skip", "hold": "restart"},
    "key_down": {"pin": 22, "press": "key_down"},
    "key_up": {"pin": 23, "press": "key_up", "hold": "key_reset"},
    "guide": {"pin": 24, "press": "guide_toggle", "hold": "show_pin"},
    "next": {"pin": 25, "press": "start_next", "hold": "undo_skip"},
}
"""Button name -> pin (BCM), press action, optional hold action."""

DEFAULT_ENCODER: dict[str, Any] = {
    "a": 5, "b": 6, "push": 13, "press": "mute_toggle", "hold": KNOB_MODE,
}  # fmt: skip
"""The volume knob: quadrature pins a (CLK) and b (DT), its push switch (SW) and its actions
(held: the knob turns the mic level, then the echo, then the volume again: ``knob.py``)."""

DEFAULT_LEDS: dict[str, Any] = {"ready": 12, "playing": 16, "attention": 26}
"""Status LED name -> pin (BCM)."""

LED_NAMES = ("ready", "playing", "attention")
KNOB = "knob"
"""The name of the encoder's push switch among the buttons."""

_BUTTON_KEYS = ("pin", "press", "hold")
_ENCODER_KEYS = ("enabled", "a", "b", "push", "press", "hold")
_RESERVED = {0: "ID_SD", 1: "ID_SC"}
_LIMITS = {"debounce_ms": (0, 500), "hold_s": (0.2, 10.0), "volume_step": (0.005, 0.5)}


@dataclass(frozen=True)
class ButtonSpec:
    """One push button to GND (internal pull-up): ``press`` on a short press, ``hold`` when
    held ``hold_s`` (no hold action: ``press`` fires as soon as the press is clean)."""

    name: str
    pin: int
    press: str | None
    hold: str | None = None


@dataclass(frozen=True)
class EncoderSpec:
    """A KY-040 style rotary encoder: one detent is one volume step."""

    a: int
    b: int


@dataclass(frozen=True)
class Layout:
    """Everything wired to the header, validated."""

    buttons: tuple[ButtonSpec, ...]
    encoder: EncoderSpec | None
    leds: dict[str, int]
    debounce_s: float
    hold_s: float
    volume_step: float

    def pins(self) -> dict[int, str]:
        """Pin -> what uses it (for logs, doctor and the docs)."""
        used = {
            b.pin: "encoder push" if b.name == KNOB else f"button {b.name}" for b in self.buttons
        }
        if self.encoder:
            used[self.encoder.a] = "encoder a"
            used[self.encoder.b] = "encoder b"
        used.update({pin: f"LED {name}" for name, pin in self.leds.items()})
        return dict(sorted(used.items()))


def layout_from_config(config: ButtonsConfig) -> Layout:
    """Merge ``config`` over the default pinout and check it; ConfigError lists every problem."""
    problems: list[str] = []
    for key, (low, high) in _LIMITS.items():
        value = getattr(config, key)
        if not low <= value <= high:
            problems.append(f"[buttons] {key}: must be between {low} and {high}, not {value!r}")
    users: list[tuple[int, str]] = []
    buttons = _buttons(config.map, problems, users)
    encoder, knob = _encoder(config.encoder, problems, users)
    if knob is not None:
        buttons.append(knob)
    leds = _leds(config.leds, problems, users)
    problems += _pins_used_twice(users)
    if problems:
        raise ConfigError("[buttons]", problems)
    return Layout(
        tuple(buttons),
        encoder,
        leds,
        config.debounce_ms / 1000,
        config.hold_s,
        config.volume_step,
    )


def layout_problems(config: ButtonsConfig) -> list[str]:
    """Every problem of an enabled ``config`` (none: it makes a Layout); the loader's check."""
    if not config.enabled:
        return []
    try:
        layout_from_config(config)
    except ConfigError as error:
        return list(error.problems)
    return []


def _buttons(table: dict[str, Any], problems: list[str], users: list) -> list[ButtonSpec]:
    merged: dict[str, Any] = {name: dict(entry) for name, entry in DEFAULT_BUTTONS.items()}
    for name, entry in table.items():
        if entry is False:
            merged.pop(name, None)
        elif not isinstance(entry, dict):
            problems.append(f"[buttons.map] {name}: must be a table {{pin, press, hold}} or false")
            merged.pop(name, None)
        else:
            merged[name] = {**merged.get(name, {}), **entry}
    specs = []
    for name, entry in merged.items():
        where = f"[buttons.map.{name}]"
        _unknown_keys(entry, _BUTTON_KEYS, where, problems)
        pin = _pin(entry.get("pin"), f"{where} pin", problems)
        press = _action(entry.get("press"), f"{where} press", problems, required=True)
        hold = _action(entry.get("hold"), f"{where} hold", problems)
        if pin is not None:
            users.append((pin, f"button {name!r}"))
        specs.append(ButtonSpec(name, pin if pin is not None else -1, press, hold))
    return specs


def _encoder(
    table: dict[str, Any], problems: list[str], users: list
) -> tuple[EncoderSpec | None, ButtonSpec | None]:
    entry = {**DEFAULT_ENCODER, **table}
    _unknown_keys(entry, _ENCODER_KEYS, "[buttons.encoder]", problems)
    if entry.get("enabled", True) is False:
        return None, None
    a = _pin(entry.get("a"), "[buttons.encoder] a", problems)
    b = _pin(entry.get("b"), "[buttons.encoder] b", problems)
    users += [(pin, f"encoder {side}") for pin, side in ((a, "a"), (b, "b")) if pin is not None]
    encoder = EncoderSpec(a, b) if a is not None and b is not None else None
    if entry.get("push") is False:
        return encoder, None
    push = _pin(entry.get("push"), "[buttons.encoder] push", problems)
    press = _action(entry.get("press"), "[buttons.encoder] press", problems, required=True)
    hold = _action(entry.get("hold"), "[buttons.encoder] hold", problems)
    if push is None:
        return encoder, None
    users.append((push, "encoder push"))
    return encoder, ButtonSpec(KNOB, push, press, hold)


def _leds(table: dict[str, Any], problems: list[str], users: list) -> dict[str, int]:
    merged = {**DEFAULT_LEDS, **table}
    _unknown_keys(merged, LED_NAMES, "[buttons.leds]", problems)
    leds = {}
    for name in LED_NAMES:
        if merged.get(name) is False:
            continue
        pin = _pin(merged.get(name), f"[buttons.leds] {name}", problems)
        if pin is not None:
            leds[name] = pin
            users.append((pin, f"LED {name!r}"))
    return leds


def _pin(value: Any, where: str, problems: list[str]) -> int | None:
    """A BCM GPIO number from 17, "GPIO17" or "BCM17"; None (and a problem) otherwise."""
    number = value
    if isinstance(value, str):
        text = value.strip().upper().removeprefix("GPIO").removeprefix("BCM")
        number = int(text) if text.isdigit() else None
    if isinstance(number, bool) or not isinstance(number, int):
        problems.append(f"{where}: must be a BCM GPIO number such as 17, not {value!r}")
        return None
    if number in _RESERVED:
        problems.append(f"{where}: GPIO{number} ({_RESERVED[number]}) is reserved for HAT EEPROMs")
        return None
    if not 2 <= number <= 27:
        problems.append(f"{where}: GPIO{number} is not on the 40-pin header (use 2 to 27)")
        return None
    return number


def _action(value: Any, where: str, problems: list[str], *, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            problems.append(f"{where}: missing (one of {', '.join([*ACTIONS, KNOB_MODE])})")
        return None
    known = [*ACTIONS, KNOB_MODE]
    if value not in known:
        problems.append(f"{where}: unknown action {value!r}{_did_you_mean(str(value), known)}")
        return None
    return str(value)


def _unknown_keys(entry: dict[str, Any], known: tuple[str, ...], where: str, problems: list):
    for key in entry:
        if key not in known:
            problems.append(f"{where} {key}: unknown key{_did_you_mean(key, known)}")


def _pins_used_twice(users: list[tuple[int, str]]) -> list[str]:
    by_pin: dict[int, list[str]] = {}
    for pin, user in users:
        by_pin.setdefault(pin, []).append(user)
    return [
        f"pin {pin} is used twice: by {' and by '.join(names)}"
        if len(names) == 2
        else f"pin {pin} is used {len(names)} times: by {', '.join(names)}"
        for pin, names in sorted(by_pin.items())
        if len(names) > 1
    ]


def _did_you_mean(word: str, candidates: Any) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
