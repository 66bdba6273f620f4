"""One client cannot take the remote down (issue 13, point 14): connections are counted per
address, a request must arrive whole in time, live streams are capped per address, and the
host keeps a reserve. The real server (waitress) on loopback: 127.0.0.2 is the hostile phone,
127.0.0.3 another guest. Bounded: about a thousand sockets and a few seconds each."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest

from tests.support.loopback import LoopbackPhone
from tests.support.phones import PIN
from tests.support.waiting import eventually
from tests.support.web_rig import Served

HOSTILE, GUEST = "127.0.0.2", "127.0.0.3"
PARTIAL = b"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\n"  # never finished


@contextlib.contextmanager
def sockets(
    url: str, address: str, count: int, first: bytes = b""
) -> Iterator[list[socket.socket]]:
    """``count`` connections from ``address``, each sending ``first`` (maybe nothing)."""
    parts = urlsplit(url)
    opened: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.create_connection(
                (parts.hostname, parts.port), timeout=5, source_address=(address, 0)
            )
            opened.append(sock)
            if first:
                with contextlib.suppress(OSError):
                    sock.sendall(first)
        yield opened
    finally:
        for sock in opened:
            sock.close()


def answers_within(phone: LoopbackPhone, path: str, count: int) -> list[float]:
    """Seconds each of ``count`` requests took (each must answer 200)."""
    took = []
    for _ in range(count):
        start = time.monotonic()
        status, body = phone.get(path)
        took.append(time.monotonic() - start)
        assert status == 200, body
    return took


def test_a_thousand_connections_from_one_address_leave_the_others_served(
    serve: Callable[..., Served],
) -> None:
    served = serve()
    guarded = served.server.guarded
    with sockets(served.url, HOSTILE, 500) as idle, sockets(served.url, HOSTILE, 500, PARTIAL):
        assert len(idle) == 500
        assert eventually(lambda: guarded.refused >= 1000 - guarded.limits.per_address)
        assert guarded.per_address.get(HOSTILE, 0) <= guarded.limits.per_address
        took = answers_within(LoopbackPhone(served.url, GUEST, timeout_s=10), "/api/state", 30)
    assert max(took) < 5.0, took  # a generous bound: the figures are in tests/bench


def test_a_request_trickled_a_byte_at_a_time_is_closed(serve: Callable[..., Served]) -> None:
    served = serve(request_deadline_s=1.0, idle_timeout_s=30.0)
    with sockets(served.url, HOSTILE, 1) as (sock,):
        start, closed = time.monotonic(), False
        for byte in PARTIAL * 10:
            try:
                sock.sendall(bytes([byte]))
                time.sleep(0.1)
            except OSError:
                closed = True
                break
            if time.monotonic() - start > 6:
                break
        with contextlib.suppress(OSError):
            sock.settimeout(2)
            closed = closed or sock.recv(1024) == b""
    assert closed and time.monotonic() - start < 6


def test_idle_connections_are_closed(serve: Callable[..., Served]) -> None:
    served = serve(idle_timeout_s=1.0)
    with sockets(served.url, HOSTILE, 3) as idle:
        guarded = served.server.guarded
        assert eventually(lambda: guarded.per_address.get(HOSTILE, 0) == 3, 2.0)
        assert eventually(lambda: HOSTILE not in guarded.per_address, 6.0)
        assert len(idle) == 3


def test_live_streams_are_capped_per_address(serve: Callable[..., Served]) -> None:
    served = serve()
    request = b"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    with sockets(served.url, HOSTILE, 6, request) as streams:
        first = [sock.recv(256) for sock in streams]
        assert all(b"200 OK" in head for head in first)
        retries = [
            b"retry: 5000" in head or _rest(sock) for head, sock in zip(first, streams, strict=True)
        ]
        assert retries.count(True) == 2  # two over the cap of 4: told to poll
    broadcaster = served.server.app.extensions["karaoke"].broadcaster
    assert eventually(lambda: broadcaster.open_streams == 0, 20.0)


def _rest(sock: socket.socket) -> bool:
    sock.settimeout(0.5)
    with contextlib.suppress(OSError):
        return b"retry: 5000" in sock.recv(4096)
    return False


@pytest.mark.parametrize("host_address", ["127.0.0.1", "127.0.0.8"])
def test_the_host_keeps_a_reserve(serve: Callable[..., Served], host_address: str) -> None:
    """The box itself (127.0.0.1), and an address the host logged in from, get in when the
    guests' share of connections is full."""
    served = serve(per_address=5, guests=20, host_reserve=4)
    host = LoopbackPhone(served.url, host_address).open_session()
    assert host.send("POST", "/api/host/login", {"pin": PIN})[0] == 200
    crowd = [f"127.0.0.{n}" for n in range(10, 14)]
    with contextlib.ExitStack() as stack:
        for address in crowd:
            stack.enter_context(sockets(served.url, address, 5))
        guarded = served.server.guarded
        assert eventually(lambda: guarded.total == 20)
        late = LoopbackPhone(served.url, GUEST, timeout_s=2)
        with pytest.raises((ConnectionError, OSError)):
            late.get("/api/state")  # the guests' share is full
        assert host.get("/api/state")[0] == 200
