"""The ``[buttons]`` section of the configuration: GPIO buttons, the volume knob, LEDs, TV keys.

Loaded with every other section by :mod:`appliance.config`, which also runs
:func:`appliance.buttons.layout.layout_problems` so a bad pinout is reported with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ButtonsConfig:
    """GPIO buttons, volume knob and LEDs. ``map``: button name -> {pin, press, hold}."""

    enabled: bool = True
    pin_factory: str = ""
    debounce_ms: int = 30
    hold_s: float = 1.0
    volume_step: float = 0.05
    map: dict[str, Any] = field(default_factory=dict)
    encoder: dict[str, Any] = field(default_factory=dict)
    leds: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, Any] = field(default_factory=dict)
