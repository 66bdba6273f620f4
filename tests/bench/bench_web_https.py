"""Benchmark of the https front (web_remote/tls_front.py) against plain http, same server
process (``python -m tests.support.web_load --https``), from this process on loopback.

    .venv/bin/python tests/bench/bench_web_https.py [--requests 400] [--streams 100]

Figures, each https as a ratio to http in the same run:
- GET /static/app.css on one kept-alive connection: median and p99 time, server CPU per request
  (the relay's copying: TLS both ways plus one more loopback hop);
- the same on a new connection each (a TLS handshake each): median time, server CPU;
- ``--streams`` live streams held open (/api/events), each from its own loopback address:
  the server's memory (RSS) for them, and the time for one change to reach every stream.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.web_load import cpu_seconds, percentile, rss_mb  # noqa: E402

PATH = "/static/app.css"
"""A page's stylesheet (~12 KB): outside the API's rate limits, through the same relay."""


def _client_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


CLIENT = _client_context()
"""One for the run: making one loads the system's CA store (~20 ms, the client's cost)."""


def client_context() -> ssl.SSLContext:
    return CLIENT


def connect(port: int, secure: bool, source: str = "127.0.0.1") -> http.client.HTTPConnection:
    """A connection, made now, with TCP_NODELAY as browsers set it (without it the request
    after the handshake waited for the server's delayed ACK: 20 ms more in this benchmark)."""
    conn: http.client.HTTPConnection
    if secure:
        conn = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=10, source_address=(source, 0), context=client_context()
        )
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    conn.connect()
    assert conn.sock is not None
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


def timed(count: int, ask: Callable[[], None], pid: int) -> tuple[list[float], float]:
    """Seconds per call, and the server's CPU seconds per call."""
    cpu, took = cpu_seconds(pid), []
    for _ in range(count):
        start = time.perf_counter()
        ask()
        took.append(time.perf_counter() - start)
    return took, (cpu_seconds(pid) - cpu) / count


def kept_alive(port: int, secure: bool) -> Callable[[], None]:
    conn = connect(port, secure)

    def ask() -> None:
        conn.request("GET", PATH, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        assert response.status == 200
        response.read()

    return ask


def fresh(port: int, secure: bool) -> Callable[[], None]:
    """A new connection (TCP_NODELAY before the handshake, as browsers) for each request."""

    def ask() -> None:
        raw = socket.create_connection(("127.0.0.1", port), 10)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock = client_context().wrap_socket(raw) if secure else raw
        with sock:
            sock.sendall(
                f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
            )
            got = b""
            while chunk := sock.recv(65536):
                got += chunk
        assert got.startswith(b"HTTP/1.1 200"), got[:100]

    return ask


def hold_streams(port: int, secure: bool, count: int) -> list[socket.socket]:
    held = []
    for i in range(count):
        source = f"127.0.{50 + (1 if secure else 0)}.{i + 1}"
        raw = socket.create_connection(("127.0.0.1", port), 10, source_address=(source, 0))
        sock = client_context().wrap_socket(raw) if secure else raw
        sock.sendall(b"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        got = b""
        while b"event: snapshot" not in got:
            got += sock.recv(65536)
        held.append(sock)
    return held


def fanout_s(held: list[socket.socket], http_port: int, marker: str) -> float:
    """Seconds from one change until the last stream has it."""
    arrived: list[float] = []

    def watch(sock: socket.socket) -> None:
        got = b""
        while marker.encode() not in got:
            got = got[-200:] + sock.recv(65536)
        arrived.append(time.monotonic())

    watchers = [threading.Thread(target=watch, args=(s,), daemon=True) for s in held]
    for watcher in watchers:
        watcher.start()
    conn = connect(http_port, False)
    conn.request("GET", "/api/session", headers={"Host": "127.0.0.1"})
    response = conn.getresponse()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    csrf = json.loads(response.read())["csrf_token"]
    start = time.monotonic()
    conn.request(
        "POST",
        "/api/join",
        body=json.dumps({"name": marker}),
        headers={"Host": "127.0.0.1", "Cookie": cookie, "X-CSRF-Token": csrf,
                 "Content-Type": "application/json"},
    )  # fmt: skip
    assert conn.getresponse().status == 200
    for watcher in watchers:
        watcher.join(20)
    assert len(arrived) == len(held)
    return max(arrived) - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--streams", type=int, default=100)
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.support.web_load", "--songs", "500", "--https"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        plain = int(server.stdout.readline())  # type: ignore[union-attr]
        secure = int(server.stdout.readline())  # type: ignore[union-attr]
        pid = server.pid
        print(f"server pid {pid}: http {plain}, https {secure}")
        for name, make, count in (
            ("kept alive", kept_alive, args.requests),
            ("new connection each", fresh, args.requests // 2),
        ):
            figures = {}
            for label, port, tls in (("http", plain, False), ("https", secure, True)):
                took, cpu = timed(count, make(port, tls), pid)
                figures[label] = (statistics.median(took), percentile(took, 99), cpu)
                print(
                    f"{name:>20} {label:>5}: median {1000 * figures[label][0]:.2f} ms, "
                    f"p99 {1000 * figures[label][1]:.2f} ms, server CPU {1000 * cpu:.2f} ms/request"
                )
            h, s = figures["http"], figures["https"]
            print(
                f"{name:>20} https/http: median {s[0] / h[0]:.2f}, p99 {s[1] / h[1]:.2f}, "
                f"CPU {s[2] / h[2]:.2f}"
            )
        for label, port, tls in (("http", plain, False), ("https", secure, True)):
            before = rss_mb(pid)
            held = hold_streams(port, tls, args.streams)
            grown = rss_mb(pid) - before
            spread = fanout_s(held, plain, f"Fan{label}")
            print(
                f"{args.streams} streams over {label}: +{grown:.1f} MB, a change reached all "
                f"in {1000 * spread:.0f} ms"
            )
            for sock in held:
                sock.close()
            time.sleep(1)
    finally:
        server.stdin.close()  # type: ignore[union-attr]
        server.wait(30)


if __name__ == "__main__":
    main()
