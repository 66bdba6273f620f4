"""The real rate of JACK's dummy clock during a paced run: frames the engine's callback
delivered over wall time. Under load the dummy backend falls behind (25,000-46,600 frames/s
instead of 48,000 were seen), and "0 underflows" on a slow clock vouches for less than real
time, so a paced test or soak whose clock ran more than 2% slow is refused::

    clock = ClockRate(lambda: client.status.read(slots.FRAMES_PLAYED))
    clock.start()
    ...                                # the paced part of the run
    clock.stop()
    clock.skip_if_slow()               # pytest.skip with the rate, in a test
    print(clock.describe())            # "JACK's clock ran at 47,990 frames/s (0.0% slow)"
"""

from __future__ import annotations

import time
from collections.abc import Callable

NOMINAL_RATE = 48_000
MAX_SLOW = 0.02


class ClockRate:
    """Frames per second a device really consumed between :meth:`start` and :meth:`stop`."""

    def __init__(self, frames_played: Callable[[], float], label: str = "JACK's clock") -> None:
        self._frames_played = frames_played
        self.label = label
        self._start: tuple[float, float] | None = None
        self.rate = 0.0

    def start(self) -> None:
        """From now on (call once the stream runs)."""
        self._start = (self._frames_played(), time.monotonic())

    def stop(self) -> float:
        """Until now; returns the rate (frames/s)."""
        if self._start is None:
            raise RuntimeError("ClockRate.stop() before start()")
        frames, started = self._start
        elapsed = time.monotonic() - started
        self.rate = (self._frames_played() - frames) / elapsed if elapsed > 0 else 0.0
        return self.rate

    @property
    def slow(self) -> float:
        """How far under the nominal rate, as a fraction (0.02 = 2% slow; negative = fast)."""
        return 1.0 - self.rate / NOMINAL_RATE

    @property
    def too_slow(self) -> bool:
        """True when the clock ran more than MAX_SLOW under its rate."""
        return self.slow > MAX_SLOW

    def describe(self) -> str:
        """One line for a report."""
        return f"{self.label} ran at {self.rate:,.0f} frames/s ({self.slow:.1%} slow)"

    def skip_if_slow(self) -> None:
        """Refuse the run (pytest.skip, with the rate) when the clock was too slow to vouch."""
        if self.too_slow:
            import pytest

            pytest.skip(f"{self.describe()}: more than {MAX_SLOW:.0%} slow, not real time")
