"""Which output channel carries what.

- ``four``: 1-2 the music, 3-4 click + cue for the performers' in-ears (and the guide vocal
  when ``guide_in_ears`` is on in the config: at its own level, whatever the room's guide
  level, in the song's key and tempo).
- ``stereo``: 1-2 the music (click and cue only when ``click`` is on in the config).
- ``split``: "split track": click/cue on the left, a mono music mix on the right.
- ``auto``: ``four`` on a device with 4+ outputs, else ``stereo``.

    >>> import numpy as np
    >>> music, monitor = np.ones((3, 2), np.float32), np.zeros((3, 2), np.float32)
    >>> route(music, monitor, Routing("four", 4)).shape
    (3, 4)
    >>> resolve_layout("auto", 2)
    'stereo'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Routing:
    """A resolved layout for a device with ``channels`` outputs."""

    layout: str
    channels: int
    click_in_room: bool = False
    guide_in_ears: bool = False

    @property
    def limiter_groups(self) -> list[tuple[int, int]]:
        """The output channels that share a limiter: each pair (and in ``split`` each side,
        click/cue on one, music on the other) is limited on its own."""
        if self.layout == "split":
            return [(0, 1), (1, 2)]
        return [(start, start + 2) for start in range(0, self.channels, 2)]

    @property
    def uses_monitor(self) -> bool:
        """True when click/cue are heard anywhere (else they need not be rendered)."""
        return self.layout in ("four", "split") or self.click_in_room


def resolve_layout(routing: str, device_channels: int) -> str:
    """The concrete layout for the configured ``routing`` on a device."""
    if routing == "auto":
        return "four" if device_channels >= 4 else "stereo"
    if routing == "four" and device_channels < 4:
        return "stereo"
    return routing


def make_routing(
    routing: str, device_channels: int, click: bool = False, guide_in_ears: bool = False
) -> Routing:
    """Routing for the config's ``routing``, ``click`` and ``guide_in_ears`` on a device with
    that many outputs."""
    layout = resolve_layout(routing, device_channels)
    channels = 4 if layout == "four" else 2
    return Routing(
        layout,
        channels,
        click_in_room=click and layout == "stereo",
        guide_in_ears=guide_in_ears and layout == "four",
    )


def route(music: np.ndarray, monitor: np.ndarray, routing: Routing) -> np.ndarray:
    """Output frames (n x routing.channels) from the music and monitor buses (n x 2 each)."""
    out = np.zeros((len(music), routing.channels), np.float32)
    if routing.layout == "four":
        out[:, 0:2] = music
        out[:, 2:4] = monitor
    elif routing.layout == "split":
        out[:, 0] = monitor.mean(axis=1)
        out[:, 1] = music.mean(axis=1)
    else:
        out[:, 0:2] = music + monitor if routing.click_in_room else music
    return out
