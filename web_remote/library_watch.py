"""What the phones know of the library's scans, from the core's ``LibraryChanged`` events: is
a scan running, how far (files done of total), and a counter that moves whenever the catalog
may have changed, so a phone showing the song list asks for it again (guests who join during
the first scan see the scan's progress and the songs as they arrive, not "The library is
empty." for good)::

    >>> from appliance.core.events import LibraryChanged
    >>> watch = LibraryWatch()
    >>> watch.seen(LibraryChanged(version=0, message="Scanning songs: 50/200", done=50, total=200))
    True
    >>> watch.view()
    {'scanning': True, 'done': 50, 'total': 200, 'changes': 1}
    >>> watch.seen(LibraryChanged(version=0, message="Library songs: 200 added"))
    True
    >>> watch.view()["scanning"]
    False
"""

from __future__ import annotations

import threading
from typing import Any

from appliance.core import events


class LibraryWatch:
    """The latest scan state, updated from events (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = self._total = self._changes = 0

    def seen(self, event: events.Event) -> bool:
        """Take in ``event``; True when it was about the library."""
        if not isinstance(event, events.LibraryChanged):
            return False
        with self._lock:
            self._done, self._total = event.done, event.total
            self._changes += 1
        return True

    def view(self) -> dict[str, Any]:
        """``scanning`` (a scan is walking the files), ``done`` of ``total`` files, and
        ``changes`` (grows with every library event)."""
        with self._lock:
            scanning = self._total > 0 and self._done < self._total
            return {"scanning": scanning, "done": self._done, "total": self._total,
                    "changes": self._changes}  # fmt: skip
