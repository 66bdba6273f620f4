"""Per-client limits: token buckets for request rates, and a PIN lockout.

Clients are told apart by their address (phones on the party Wi-Fi each have one; cookies are
too easy to drop). Both take a ``clock`` so tests can step time::

    >>> now = [0.0]
    >>> buckets = TokenBuckets(rate_per_s=1.0, burst=2, clock=lambda: now[0])
    >>> [buckets.take("10.0.0.7") for _ in range(3)]
    [0.0, 0.0, 1.0]
    >>> guard = PinGuard(max_failures=2, lockout_s=60.0, clock=lambda: now[0])
    >>> guard.failed("10.0.0.7"), guard.failed("10.0.0.7")
    (1, 0)
    >>> guard.locked_for("10.0.0.7")
    60.0

Wrong PINs are also counted for all addresses together: many addresses (or one phone hopping
addresses) get ``global_free`` wrong PINs per ``global_window_s``, then one try per
``global_interval_s`` for every device that has never been the host (:meth:`PinGuard.global_wait`);
devices that held a host session before are not slowed down, and the box's buttons need no PIN.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

MAX_CLIENTS = 10_000


class TokenBuckets:
    """``burst`` requests at once, then ``rate_per_s`` per second, per client."""

    def __init__(
        self, rate_per_s: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str) -> float:
        """Spend one token: 0.0 if allowed, else the seconds to wait before trying again."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate_per_s)
            if tokens < 1.0:
                self._buckets[client] = (tokens, now)
                return (1.0 - tokens) / self.rate_per_s
            self._buckets[client] = (tokens - 1.0, now)
            if len(self._buckets) > MAX_CLIENTS:
                self._forget_full(now)
            return 0.0

    def _forget_full(self, now: float) -> None:
        refill_s = self.burst / self.rate_per_s
        for client, (_tokens, last) in list(self._buckets.items()):
            if now - last > refill_s:
                del self._buckets[client]


class PinGuard:
    """``max_failures`` wrong PINs in a row lock that client's PIN entry for ``lockout_s``."""

    def __init__(
        self,
        max_failures: int = 5,
        lockout_s: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        *,
        global_free: int = 20,
        global_window_s: float = 600.0,
        global_interval_s: float = 5.0,
    ) -> None:
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self.global_free = global_free
        self.global_window_s = global_window_s
        self.global_interval_s = global_interval_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        self._recent: deque[float] = deque(maxlen=global_free + 1)
        self._next_try = 0.0

    def global_wait(self) -> float:
        """Seconds before anyone (but a known host device) may try a PIN again."""
        now = self._clock()
        with self._lock:
            recent = self._recent
            if len(recent) <= self.global_free or now - recent[0] > self.global_window_s:
                return 0.0
            return max(0.0, self._next_try - now)

    def tried(self) -> None:
        """A PIN was tried while the global back-off is on: the next try waits."""
        with self._lock:
            self._next_try = self._clock() + self.global_interval_s

    def locked_for(self, client: str) -> float:
        """Seconds left of this client's lockout (0.0: may try)."""
        with self._lock:
            return max(0.0, self._locked_until.get(client, 0.0) - self._clock())

    def failed(self, client: str) -> int:
        """Count a wrong PIN; returns the attempts left (0: now locked)."""
        with self._lock:
            self._recent.append(self._clock())
            count = self._failures.get(client, 0) + 1
            if count >= self.max_failures:
                self._locked_until[client] = self._clock() + self.lockout_s
                self._failures.pop(client, None)
                return 0
            self._failures[client] = count
            if len(self._failures) > MAX_CLIENTS:
                self._failures.clear()
            return self.max_failures - count

    def succeeded(self, client: str) -> None:
        """A right PIN clears the count."""
        with self._lock:
            self._failures.pop(client, None)
