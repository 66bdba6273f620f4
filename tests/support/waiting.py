"""Waiting for what other threads and processes do: one ``eventually()`` for every test.

Events reach listeners on their own threads, engines run in processes of their own, servers take
a moment to listen. Poll, never sleep a fixed time::

    >>> import threading
    >>> done = threading.Event()
    >>> threading.Timer(0.05, done.set).start()
    >>> eventually(done.is_set, timeout_s=2.0)
    True
    >>> eventually(lambda: False, timeout_s=0.05)
    False
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable


def eventually(check: Callable[[], object], timeout_s: float = 5.0, period_s: float = 0.01) -> bool:
    """Poll ``check`` until it is true or ``timeout_s`` passed; the last answer decides."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(period_s)
    return bool(check())


def wait_until_answers(url: str, timeout_s: float = 10.0) -> None:
    """Poll ``url`` until it answers (a server just started); raise its error after the time."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
