"""waitress with per-address limits: one phone cannot take the remote from the others.

waitress's own ``connection_limit`` is shared by every client: one address holding a few
hundred idle connections stopped it accepting anybody's. :class:`GuardedServer` (a
``TcpWSGIServer``) counts connections per address at accept time and closes at once what goes
past :class:`ConnectionLimits`:

- ``per_address``: connections one address may hold (a phone's browser opens about six);
- ``guests``: connections all addresses together may hold; past it only the host's addresses
  (the box itself, and every address that logged in with the PIN) get in: the reserve;
- ``request_deadline_s``: a request must arrive whole this long after its first byte (a client
  trickling its headers a byte at a time is closed); ``idle_timeout_s``: a connection with no
  request in flight is closed after this long without a byte.

waitress's own error answers (400, 413, 431...) get the remote's security headers
(:class:`SecureErrorTask`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask

SECURITY_HEADERS = (
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cache-Control", "no-store"),
)


@dataclass(frozen=True)
class ConnectionLimits:
    """How many connections, and how slow; see the module's docstring."""

    per_address: int = 24
    guests: int = 300
    host_reserve: int = 32
    request_deadline_s: float = 10.0
    idle_timeout_s: float = 20.0


class SecureErrorTask(ErrorTask):
    """waitress's error answer, with the security headers every other answer has."""

    def execute(self) -> None:
        # waitress's ErrorTask.execute, with the headers added before the head is written
        status, headers, body = self.request.error.to_response(self.channel.server.adj.ident)
        self.status = status
        self.response_headers.extend(headers)
        names = {name.lower() for name, _ in self.response_headers}
        self.response_headers.extend(h for h in SECURITY_HEADERS if h[0].lower() not in names)
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class GuardedChannel(HTTPChannel):
    """A connection that tells its server when it closes and when a request started."""

    error_task_class = SecureErrorTask
    request_started: float | None = None
    counted = False

    def received(self, data: bytes) -> bool:
        result = bool(super().received(data))
        if self.request is None:
            self.request_started = None  # nothing half-read
        elif self.request_started is None:
            self.request_started = time.monotonic()
        return result

    def handle_close(self) -> None:
        self.server.forget(self)
        super().handle_close()

    def close(self) -> None:
        self.server.forget(self)
        super().close()


class GuardedServer(TcpWSGIServer):
    """waitress's TCP server, counting connections per address (see the module)."""

    channel_class = GuardedChannel

    def __init__(
        self,
        app: Any,
        limits: ConnectionLimits,
        is_host_address: Callable[[str], bool],
        **adjustments: Any,
    ) -> None:
        self.limits = limits
        self.is_host_address = is_host_address
        self._count_lock = threading.Lock()
        self.per_address: dict[str, int] = {}
        self.total = 0
        self.refused = 0
        adjustments["connection_limit"] = limits.guests + limits.host_reserve
        adjustments["channel_timeout"] = limits.idle_timeout_s
        adjustments["cleanup_interval"] = max(1, int(limits.request_deadline_s / 4))
        super().__init__(app, adj=Adjustments(**adjustments))

    def handle_accept(self) -> None:
        try:
            accepted = self.accept()
        except OSError:
            return
        if accepted is None:
            return
        conn, addr = accepted
        address = str(addr[0])
        if not self._admit(address):
            self.refused += 1
            conn.close()
            return
        channel = self.channel_class(self, conn, addr, self.adj, map=self._map)
        channel.counted = True

    def _admit(self, address: str) -> bool:
        limits = self.limits
        with self._count_lock:
            held = self.per_address.get(address, 0)
            host = self.is_host_address(address)
            if held >= limits.per_address and not host:
                return False
            if self.total >= limits.guests + (limits.host_reserve if host else 0):
                return False
            self.per_address[address] = held + 1
            self.total += 1
            return True

    def forget(self, channel: GuardedChannel) -> None:
        """A counted connection closed."""
        with self._count_lock:
            if not channel.counted:
                return
            channel.counted = False
            self.total -= 1
            address = str(channel.addr[0])
            left = self.per_address.get(address, 1) - 1
            if left > 0:
                self.per_address[address] = left
            else:
                self.per_address.pop(address, None)

    def maintenance(self, now: float) -> None:
        """waitress's idle check, and: a request that takes too long to arrive is closed."""
        super().maintenance(now)
        cutoff = time.monotonic() - self.limits.request_deadline_s
        for channel in list(self.active_channels.values()):
            started = getattr(channel, "request_started", None)
            if started is not None and started < cutoff:
                channel.will_close = True
