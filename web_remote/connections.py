"""waitress with per-address limits: one phone cannot take the remote from the others.

waitress's own ``connection_limit`` is shared by every client: one address holding a few
hundred idle connections stopped it accepting anybody's. :class:`GuardedServer` (a
``TcpWSGIServer``) counts connections per address at accept time (:class:`AddressCounts`, which
the https front uses too) and closes at once what goes past :class:`ConnectionLimits`:

- ``per_address``: connections one address may hold (a phone's browser opens about six);
- ``guests``: connections all addresses together may hold (200 phones, each with a stream
  and a few keep-alive connections); past it only the host's addresses (the box itself, and
  every address that logged in with the PIN) get in: the reserve;
- ``request_deadline_s``: a request must arrive whole this long after its first byte (a client
  trickling its headers a byte at a time is closed); ``idle_timeout_s``: a connection with no
  request in flight is closed after this long without a byte.

Connections relayed by the https front (:attr:`GuardedServer.relay`, web_remote/tls_front.py)
count as the phone behind them, and their requests say ``wsgi.url_scheme = https``.

waitress's own error answers (400, 413, 431...) get the remote's security headers
(:class:`SecureErrorTask`).
"""

from __future__ import annotations

import contextlib
import copy
import resource
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

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
    guests: int = 900
    host_reserve: int = 32
    request_deadline_s: float = 10.0
    idle_timeout_s: float = 20.0


class AddressCounts:
    """Connections held per address, by guests and in all, against :class:`ConnectionLimits`
    (thread-safe): guests share ``guests``; the host's addresses may also use the reserve."""

    def __init__(self, limits: ConnectionLimits) -> None:
        self.limits = limits
        self._lock = threading.Lock()
        self.per_address: dict[str, int] = {}
        self.total = 0
        self.guests = 0

    def admit(self, address: str, host: bool) -> bool:
        """Count one more connection of ``address``; False (not counted) when over a limit."""
        limits = self.limits
        with self._lock:
            held = self.per_address.get(address, 0)
            if host:
                if self.total >= limits.guests + limits.host_reserve:
                    return False
            elif held >= limits.per_address or self.guests >= limits.guests:
                return False
            self.per_address[address] = held + 1
            self.total += 1
            self.guests += not host
            return True

    def release(self, address: str, host: bool) -> None:
        """One counted connection of ``address`` closed."""
        with self._lock:
            self.total -= 1
            self.guests -= not host
            left = self.per_address.get(address, 1) - 1
            if left > 0:
                self.per_address[address] = left
            else:
                self.per_address.pop(address, None)


class Relay(Protocol):
    """An https front relaying to this server (web_remote/tls_front.py)."""

    source: str
    """The address its connections come from."""

    def claim(self, port: int) -> str | None:
        """The real client behind the connection from ``source:port`` (once), or None."""


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
    guest = True

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
        self.counts = AddressCounts(limits)
        self.refused = 0
        self.relay: Relay | None = None
        adjustments["connection_limit"] = limits.guests + limits.host_reserve
        allow_open_files(limits.guests + limits.host_reserve + 100)
        adjustments["channel_timeout"] = limits.idle_timeout_s
        adjustments["cleanup_interval"] = max(1, int(limits.request_deadline_s / 4))
        super().__init__(app, adj=Adjustments(**adjustments))
        self.https_adj = copy.copy(self.adj)
        self.https_adj.url_scheme = "https"

    def handle_accept(self) -> None:
        try:
            accepted = self.accept()
        except OSError:
            return
        if accepted is None:
            return
        conn, addr = accepted
        try:  # TCP_NODELAY, as waitress's own accept sets: without it a kept-alive answer
            self.set_socket_options(conn)  # waited 40 ms for the client's delayed ACK
        except OSError:
            conn.close()
            return
        address, adj = str(addr[0]), self.adj
        relay = self.relay
        if relay is not None and address == relay.source:
            real = relay.claim(int(addr[1]))
            if real is None:  # not the front's: never taken for the box itself
                self.refused += 1
                conn.close()
                return
            address, adj, addr = real, self.https_adj, (real, addr[1])
        host = self.is_host_address(address)
        if not self.counts.admit(address, host):
            self.refused += 1
            conn.close()
            return
        channel = self.channel_class(self, conn, addr, adj, map=self._map)
        channel.counted, channel.guest = True, not host

    @property
    def per_address(self) -> dict[str, int]:
        """Connections held per address."""
        return self.counts.per_address

    @property
    def total(self) -> int:
        """Connections held in all."""
        return self.counts.total

    @property
    def guests(self) -> int:
        """Connections held by guests (not the host's addresses)."""
        return self.counts.guests

    def forget(self, channel: GuardedChannel) -> None:
        """A counted connection closed."""
        with self._count_lock:
            if not channel.counted:
                return
            channel.counted = False
        self.counts.release(str(channel.addr[0]), not channel.guest)

    def maintenance(self, now: float) -> None:
        """waitress's idle check, and: a request that takes too long to arrive is closed."""
        super().maintenance(now)
        cutoff = time.monotonic() - self.limits.request_deadline_s
        for channel in list(self.active_channels.values()):
            started = getattr(channel, "request_started", None)
            if started is not None and started < cutoff:
                channel.will_close = True


def allow_open_files(wanted: int) -> None:
    """Raise this process's open-file limit to ``wanted`` when the hard limit allows (a
    service's soft limit is often 1,024: each connection is one)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
