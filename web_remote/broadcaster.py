"""Live updates: one subscription to the core's events, fanned out to every phone as
Server-Sent Events (``GET /api/events``, served by :mod:`web_remote.stream`).

On any event the broadcaster builds the snapshot's JSON once and wakes every stream; a stream
sends only the latest payload (a slow phone skips versions, never falls behind). Notices
(failed songs, scans, host messages) go out as their own events. Heartbeats keep idle
connections open and notice phones that left. Each stream holds one server thread, so streams
are capped (``max_streams``) below the server's thread count; a phone over the cap gets the
current state and a ``retry`` hint, so it polls instead of starving the request threads::

    event: snapshot
    id: 42
    data: {"version": 42, "state": "playing", ...}
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator

from appliance.core import events
from appliance.core.service import Core
from web_remote.jsonio import safe_dumps
from web_remote.library_watch import LibraryWatch
from web_remote.serializers import snapshot_view

RECONNECT_MS = 2000
OVERFLOW_RETRY_MS = 5000
MAX_NOTICES = 20


class Broadcaster:
    """The fan-out: ``publish`` on core events, ``stream()`` per phone."""

    def __init__(
        self, core: Core, max_streams: int, heartbeat_s: float = 15.0, per_address: int = 4
    ) -> None:
        self.core = core
        self.max_streams = max_streams
        self.per_address = per_address
        self._by_address: dict[str, int] = {}
        self.heartbeat_s = heartbeat_s
        self._cond = threading.Condition()
        self._seq = 0
        self._payload = b""
        self._built_at = 0.0
        self._notices: deque[tuple[int, bytes]] = deque(maxlen=MAX_NOTICES)
        self._open = 0
        self._closed = False
        self.library = LibraryWatch()
        self.refresh()

    @property
    def open_streams(self) -> int:
        """How many phones hold a stream now."""
        return self._open

    def refresh(self) -> None:
        """Build the snapshot payload and wake every stream."""
        payload = self._build()
        with self._cond:
            self._seq += 1
            self._payload = payload
            self._built_at = time.monotonic()
            self._cond.notify_all()

    def _build(self) -> bytes:
        """The SSE bytes of the current snapshot (encoded once, shared by every stream)."""
        snapshot = self.core.snapshot()
        view = snapshot_view(snapshot)
        view["library"] = self.library.view()
        data = safe_dumps(view, separators=(",", ":"))
        return f"event: snapshot\nid: {snapshot.version}\ndata: {data}\n\n".encode()

    def on_event(self, event: events.Event) -> None:
        """The core's event listener (runs on the bus's thread for this listener). A rated
        line changes nothing the phones show: no snapshot is sent for it."""
        if isinstance(event, events.LineRated):
            return
        self.library.seen(event)
        message = _notice_text(event)
        if message:
            notice: dict[str, object] = {"message": message, "level": _level(event)}
            if isinstance(event, events.SingerNotice):  # for one singer's phone
                notice["singer_id"] = event.singer_id
            data = safe_dumps(notice)
            with self._cond:
                self._notices.append((self._seq + 1, f"event: notice\ndata: {data}\n\n".encode()))
        self.refresh()

    def close(self) -> None:
        """End every stream (the server is stopping)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _current(self, max_age_s: float) -> tuple[int, bytes]:
        """The latest payload; rebuilt for this phone alone when older than ``max_age_s``
        (the song's position moves without events)."""
        with self._cond:
            seq, payload, built_at = self._seq, self._payload, self._built_at
        if time.monotonic() - built_at <= max_age_s:
            return seq, payload
        return seq, self._build()

    def stream(self, address: str = "") -> Iterator[bytes]:
        """One phone's event stream (a generator the WSGI server iterates on its thread).
        Past ``max_streams`` in all, or ``per_address`` from one address, the phone gets the
        state and a retry hint (it polls) instead of a thread."""
        with self._cond:
            held = self._by_address.get(address, 0)
            over = self._open >= self.max_streams or held >= self.per_address
            if not over:
                self._open += 1
                self._by_address[address] = held + 1
        seq, payload = self._current(max_age_s=1.0)
        if over:
            yield b"retry: %d\n%s" % (OVERFLOW_RETRY_MS, payload)
            return
        try:
            yield b"retry: %d\n%s" % (RECONNECT_MS, payload)
            yield from self._follow(seq)
        finally:
            with self._cond:
                self._open -= 1
                left = self._by_address.get(address, 1) - 1
                if left > 0:
                    self._by_address[address] = left
                else:
                    self._by_address.pop(address, None)

    def _follow(self, seen: int) -> Iterator[bytes]:
        while True:
            with self._cond:
                if self._seq == seen and not self._closed:
                    self._cond.wait(self.heartbeat_s)
                if self._closed:
                    return
                latest, payload = self._seq, self._payload
                notices = [text for seq, text in self._notices if seen < seq <= latest]
            if latest == seen:
                yield b": heartbeat\n\n"
                continue
            seen = latest
            if notices:
                yield b"".join(notices)
            yield payload


def _notice_text(event: events.Event) -> str:
    if isinstance(event, events.SongFailed):
        return f"Could not play {event.title}: {event.reason}"
    if isinstance(event, events.Notice | events.SingerNotice):
        return event.message
    if isinstance(event, events.LibraryChanged) and event.message and event.done == event.total:
        return event.message
    return ""


def _level(event: events.Event) -> str:
    if isinstance(event, events.SongFailed):
        return "error"
    return getattr(event, "level", "info")
