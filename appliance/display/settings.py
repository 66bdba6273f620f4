"""The ``[display]`` section of the configuration: the TV's size, frame rates, lyrics offset, font,
the folder of background videos and pictures.

Loaded with every other section by :mod:`appliance.config`; read by :mod:`appliance.display.part`,
which also gets the TV's :class:`KeyControls` (the composition root takes them from ``[buttons]``).
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DisplayConfig:
    """The TV. ``size`` 'WxH' or '' for the screen's own; ``lyrics_offset_ms`` for slow TVs;
    ``backgrounds`` a folder of videos and pictures behind the lyrics of songs without their
    own ('' = the plain background)."""

    enabled: bool = True
    fullscreen: bool = True
    size: str = ""
    fps: int = 60
    idle_fps: int = 10
    lyrics_offset_ms: int = 0
    font: str = ""
    backgrounds: str = ""

    _ranges: typing.ClassVar[dict[str, tuple[float, float]]] = {
        "fps": (10, 240),
        "idle_fps": (1, 60),
        "lyrics_offset_ms": (-2000, 2000),
    }


@dataclass(frozen=True)
class KeyControls:
    """The TV's keyboard, from ``[buttons]``: extra key -> action bindings, the volume step;
    and ``host_pin``, the phone remote's PIN for when the box's buttons ask to show it (the
    composition root hands in the web remote's; '' shows nothing)."""

    keys: Mapping[str, Any]
    volume_step: float
    host_pin: Callable[[], str] = str
