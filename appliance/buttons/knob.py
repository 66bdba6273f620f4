"""What the volume knob turns: the music's volume, or the singer's mic level, or their echo.

Holding the knob's push switch (action ``knob_mode``) moves it on to the next control; a few
seconds without a turn bring it back to the volume, so a knob left on "echo" never surprises
the next person. Thread-safe: turns arrive on gpiozero's thread, the mode changes on the
worker's::

    >>> modes = KnobModes(clock=lambda: 0.0)
    >>> modes.step_action(+1)
    'volume_up'
    >>> modes.next_mode()
    'Knob: mic level'
    >>> modes.step_action(-1)
    'mic_down'
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

KNOB_MODE = "knob_mode"
"""The buttons' own action: the knob turns the next control."""
MODES = (("volume", "volume"), ("mic", "mic level"), ("echo", "echo"))
"""(action prefix, what the TV says), in the order a hold goes through them."""
MODE_IDLE_S = 8.0
"""Seconds without a turn after which the knob turns the volume again."""


class KnobModes:
    """The knob's current control and when it falls back to the volume."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._index = 0
        self._until = 0.0

    def step_action(self, direction: int) -> str:
        """The action one detent in ``direction`` performs now (``mic_up``, ``volume_down``...)."""
        with self._lock:
            now = self._clock()
            if self._index and now >= self._until:
                self._index = 0
            self._until = now + MODE_IDLE_S
            prefix = MODES[self._index][0]
        return f"{prefix}_{'up' if direction > 0 else 'down'}"

    def next_mode(self) -> str:
        """Move on to the next control; returns what the TV says."""
        with self._lock:
            now = self._clock()
            if self._index and now >= self._until:
                self._index = 0
            self._index = (self._index + 1) % len(MODES)
            self._until = now + MODE_IDLE_S
            return f"Knob: {MODES[self._index][1]}"
