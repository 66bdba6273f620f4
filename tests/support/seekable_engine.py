"""An engine's published position for display tests: song seconds, updated once per audio
block (as the real engine publishes it), that can be moved (a seek) and paused (rate 0)::

    engine = SeekableEngine(0.8, start_s=1.0)
    engine.position_s()                   # what the display reads
    engine.true_position(time.monotonic())  # what it should draw
    engine.jump(6.0)                      # a seek
"""

from __future__ import annotations

import math
import time

BLOCK_S = 1024 / 48000  # how often the engine publishes its position


class SeekableEngine:
    """See the module doc."""

    def __init__(self, rate: float, start_s: float = 10.0) -> None:
        self.rate, self.start_s, self.t0 = rate, start_s, time.monotonic()

    def true_position(self, now: float) -> float:
        return self.start_s + self.rate * (now - self.t0)

    def position_s(self) -> float:
        blocks = math.floor((time.monotonic() - self.t0) / BLOCK_S)
        return self.start_s + self.rate * blocks * BLOCK_S

    def jump(self, to_s: float, rate: float | None = None) -> None:
        self.start_s, self.t0 = to_s, time.monotonic()
        self.rate = self.rate if rate is None else rate
