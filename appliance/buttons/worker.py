"""The one thread that calls the core for buttons: a bounded queue, never a blocked handler.

gpiozero calls handlers on its own thread (the mock on the caller's). They only
:meth:`ActionWorker.submit`, which never waits: when the core is busy and the queue is full,
the action is dropped and the drop logged (once per burst), so a stuck or chattering control can
never pile work onto the core::

    >>> done = []
    >>> worker = ActionWorker(done.append, capacity=4)
    >>> worker.submit("skip")
    True
    >>> worker.wait_idle(2.0), done
    (True, ['skip'])
    >>> worker.stop()
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class ActionWorker:
    """Runs ``run(action)`` for each submitted action, in order, on its own thread."""

    def __init__(self, run: Callable[[str], None], *, capacity: int = 32) -> None:
        self._run = run
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=capacity)
        self.dropped = 0
        self._burst_logged = False
        self._thread = threading.Thread(target=self._loop, name="buttons-actions", daemon=True)
        self._thread.start()

    def submit(self, action: str) -> bool:
        """Queue ``action`` without waiting; False (and a log line) when the queue is full."""
        try:
            self._queue.put_nowait(action)
        except queue.Full:
            self.dropped += 1
            if not self._burst_logged:
                self._burst_logged = True
                log.warning("buttons: the core is busy; dropping %r and later presses", action)
            return False
        return True

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every queued action has run (for tests and shutdown)."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)
        return True

    def stop(self, timeout: float = 2.0) -> None:
        """Finish what is queued (up to ``timeout``) and end the thread."""
        try:
            self._queue.put(None, timeout=timeout)
        except queue.Full:
            log.warning("buttons: actions still queued at shutdown were dropped")
            return
        self._thread.join(timeout)

    def _loop(self) -> None:
        while (action := self._queue.get()) is not None:
            try:
                self._run(action)
            except Exception:
                log.exception("buttons: action %r failed", action)
            finally:
                self._queue.task_done()
                if self._queue.empty() and self._burst_logged:
                    self._burst_logged = False
                    log.info("buttons: caught up (%d presses dropped so far)", self.dropped)
        self._queue.task_done()
