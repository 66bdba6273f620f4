"""The core's inbox: work posted from other threads (the player's callbacks, the TV's keys),
run later on the core's thread under the core's lock::

    >>> import threading
    >>> inbox, done = Inbox(threading.RLock()), []
    >>> inbox.post(lambda: done.append(1))
    >>> inbox.run_posted(); done
    [1]
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable


class Inbox:
    """A queue of posted work and the event that wakes the core's thread for it."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._work: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._wake = threading.Event()

    def post(self, work: Callable[[], None]) -> None:
        """Run ``work`` at the next :meth:`run_posted` (wakes :meth:`wait`)."""
        self._work.put(work)
        self._wake.set()

    def run_posted(self) -> None:
        """Run all posted work, each piece under the lock."""
        while True:
            try:
                work = self._work.get_nowait()
            except queue.Empty:
                return
            with self._lock:
                work()

    def wait(self, timeout_s: float) -> None:
        """Sleep until work is posted or ``timeout_s`` passed."""
        self._wake.wait(timeout_s)
        self._wake.clear()
