"""The song time to draw at: the engine's position, made smooth between its updates.

The engine publishes its position once per audio block (about every 5-21 ms), so reading it
each frame gives steps. Every reading ``r`` taken at time ``t`` satisfies ``r <= p0 + rate*(t-t0)``
(it is never newer than the truth), so the largest ``r - rate*t`` seen over the last second
estimates ``p0 - rate*t0`` from below and converges on it within a few blocks. A new song, a
seek, a tempo change or a pause starts over::

    >>> tracker = PositionTracker()
    >>> tracker.update(10.0, now_s=100.0, rate=1.0)
    10.0
    >>> round(tracker.update(10.0, now_s=100.016, rate=1.0), 3)  # no new reading: still moves
    10.016
    >>> tracker.update(5.0, now_s=100.1, rate=1.0)      # jumped back: a seek or a new song
    5.0
"""

from __future__ import annotations

from collections import deque

WINDOW_S = 1.0
MAX_AHEAD_S = 0.25  # never run further than this past the last reading (the engine stalled)
JUMP_S = 0.2


class PositionTracker:
    """Smooths position readings (song seconds) taken at monotonic times."""

    def __init__(self) -> None:
        self._samples: deque[tuple[float, float]] = deque()
        self._rate = 0.0
        self._last_reading: float | None = None

    def reset(self) -> None:
        """Forget every reading (a new song)."""
        self._samples.clear()
        self._last_reading = None

    def update(self, reading_s: float, now_s: float, rate: float) -> float:
        """The smoothed position at ``now_s`` from a fresh ``reading_s`` (``rate`` 0: paused)."""
        if rate <= 0:
            self.reset()
            self._rate = 0.0
            self._last_reading = reading_s
            return reading_s
        if rate != self._rate:
            self.reset()
            self._rate = rate
        intercept = reading_s - rate * now_s
        if self._samples:
            best = max(value for _, value in self._samples)
            if intercept < best - JUMP_S * rate or intercept > best + JUMP_S * rate:
                self.reset()
        self._samples.append((now_s, intercept))
        while self._samples and self._samples[0][0] < now_s - WINDOW_S:
            self._samples.popleft()
        self._last_reading = reading_s
        best = max(value for _, value in self._samples)
        estimate = best + rate * now_s
        return max(reading_s, min(estimate, reading_s + MAX_AHEAD_S * rate))
