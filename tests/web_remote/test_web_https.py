"""The remote over https (web_remote/tls_front.py): real TLS from Python's ssl client through the
front's relay to the real waitress. The same answers as over http, the live stream, the
per-address caps counting the phone behind the relay (127.0.0.2 and 127.0.0.5 stand for two
phones), a client that never finishes its handshake dropped without holding up the others,
and a connection to waitress from the relay's address that the relay did not open refused."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask, Response

from tests.support.context import FakeBox
from tests.support.loopback import LoopbackPhone
from tests.support.waiting import eventually, wait_until_answers
from tests.support.web_rig import remote_options
from web_remote.app import create_app
from web_remote.connections import ConnectionLimits
from web_remote.server import WebServer
from web_remote.tls_cert import box_certificate, server_context
from web_remote.tls_front import RELAY_SOURCE, TlsFront

HOSTILE, GUEST = "127.0.0.2", "127.0.0.5"


def client_context() -> ssl.SSLContext:
    """A phone that accepted the box's own certificate."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class TlsPhone(LoopbackPhone):
    """A loopback phone speaking https."""

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPSConnection(
            self.host,
            self.port,
            timeout=self.timeout_s,
            source_address=(self.address, 0),
            context=client_context(),
        )


@dataclass
class Both:
    """The remote on http and on https."""

    http: str
    https: str
    server: WebServer
    front: TlsFront
    box: FakeBox


@pytest.fixture()
def serve_both(box: FakeBox, tmp_path: Path) -> Iterator[Callable[..., Both]]:
    """``serve_both(per_address=3, ...)``: waitress on 127.0.0.1 and its https front."""
    servers: list[WebServer] = []

    def start(**limits: float) -> Both:
        port = [0]
        options = remote_options(box, tmp_path, https_port=lambda: port[0])
        server = WebServer(
            create_app(box.core, options),
            "127.0.0.1",
            0,
            max_streams=32,
            limits=ConnectionLimits(**limits),  # type: ignore[arg-type]
        )
        server.start()
        servers.append(server)
        cert = box_certificate(tmp_path, ["localhost"], ["127.0.0.1"])
        front = server.serve_https(server_context(cert), 0)
        port[0] = front.port
        wait_until_answers(f"http://127.0.0.1:{server.port}/api/state")
        return Both(
            f"http://127.0.0.1:{server.port}", f"https://127.0.0.1:{front.port}", server, front, box
        )

    yield start
    for server in servers:
        server.stop()


@contextlib.contextmanager
def tls_sockets(url: str, address: str, count: int) -> Iterator[list[ssl.SSLSocket]]:
    """``count`` TLS connections from ``address``, handshakes done, nothing sent."""
    port = int(url.rsplit(":", 1)[1])
    opened: list[ssl.SSLSocket] = []
    try:
        for _ in range(count):
            raw = socket.create_connection(("127.0.0.1", port), 5, source_address=(address, 0))
            try:
                opened.append(client_context().wrap_socket(raw))
            except (OSError, ssl.SSLError):
                raw.close()
        yield opened
    finally:
        for sock in opened:
            sock.close()


def test_https_answers_what_http_answers(serve_both: Callable[..., Both]) -> None:
    both = serve_both()
    plain, secure = LoopbackPhone(both.http, GUEST), TlsPhone(both.https, GUEST)
    for path in ("/api/state", "/api/songs?q=grace", "/api/upcoming"):
        assert secure.get(path) == plain.get(path)
    status, page = secure.get("/")
    assert status == 200 and "<html" in page.lower()
    status, session = secure.get("/api/session")
    assert status == 200 and session["https_url"] == both.https + "/"
    status, session = plain.get("/api/session")
    assert session["https_url"] == both.https + "/"  # what the http page links to


def test_a_change_over_https_counts_the_phone_and_lands(serve_both: Callable[..., Both]) -> None:
    both = serve_both()
    phone = TlsPhone(both.https, GUEST).open_session()
    singer = phone.join("Ada")
    assert both.box.core.singer(singer).name == "Ada"
    assert phone.get("/api/session")[1]["singer"]["name"] == "Ada"  # the cookies came back
    reads = both.server.app.extensions["karaoke"].reads
    counted = set(reads._buckets)
    assert GUEST in counted and RELAY_SOURCE not in counted


def test_the_live_stream_flows_over_https(serve_both: Callable[..., Both]) -> None:
    both = serve_both()
    raw = socket.create_connection(("127.0.0.1", both.front.port), 5, source_address=(GUEST, 0))
    with client_context().wrap_socket(raw) as sock:
        sock.sendall(
            b"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        got = b""
        while b"event: snapshot" not in got and b"data:" not in got:
            chunk = sock.recv(65536)
            assert chunk, got
            got += chunk
        assert b"200 OK" in got and b"text/event-stream" in got
        TlsPhone(both.https, "127.0.0.6").open_session().join("Bea")
        deadline = time.monotonic() + 10
        while b"Bea" not in got and time.monotonic() < deadline:
            got += sock.recv(65536)
        assert b"Bea" in got  # a change reaches the open stream through the relay


def test_the_caps_count_the_phone_behind_the_relay(serve_both: Callable[..., Both]) -> None:
    both = serve_both(per_address=3)
    guarded, front = both.server.guarded, both.front
    with tls_sockets(both.https, HOSTILE, 10) as held:
        assert eventually(lambda: guarded.per_address.get(HOSTILE) == 3)
        assert front.refused >= 7 and len(held) <= 10
        assert RELAY_SOURCE not in guarded.per_address and "127.0.0.1" not in guarded.per_address
        status, _ = TlsPhone(both.https, GUEST).get("/api/state")
        assert status == 200  # another phone is served
        with pytest.raises((OSError, ssl.SSLError)):
            TlsPhone(both.https, HOSTILE).get("/api/state")  # an 11th: closed at once
    assert eventually(lambda: HOSTILE not in guarded.per_address)
    assert eventually(lambda: HOSTILE not in front.counts.per_address)


def test_a_handshake_never_finished_is_dropped(serve_both: Callable[..., Both]) -> None:
    both = serve_both(request_deadline_s=1.0)
    port = both.front.port
    silent = [socket.create_connection(("127.0.0.1", port), 5, source_address=(HOSTILE, 0))]
    silent.append(socket.create_connection(("127.0.0.1", port), 5, source_address=(HOSTILE, 0)))
    silent[1].sendall(b"\x16\x03\x01\x02\x00\x01")  # a ClientHello that never ends
    try:
        status, _ = TlsPhone(both.https, GUEST).get("/api/state")
        assert status == 200  # while they hang
        start = time.monotonic()
        for sock in silent:
            sock.settimeout(10)
            with contextlib.suppress(ConnectionResetError):
                assert sock.recv(100) == b""
        assert time.monotonic() - start < 8
        assert eventually(lambda: both.front.failed_handshakes >= 2)
        assert eventually(lambda: HOSTILE not in both.front.counts.per_address)
    finally:
        for sock in silent:
            sock.close()


def test_waitress_refuses_the_relay_address_the_relay_did_not_use(
    serve_both: Callable[..., Both],
) -> None:
    both = serve_both()
    port = int(both.http.rsplit(":", 1)[1])
    before = both.server.guarded.refused
    with socket.create_connection(("127.0.0.1", port), 5, source_address=(RELAY_SOURCE, 0)) as s:
        s.sendall(b"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        s.settimeout(5)
        with contextlib.suppress(ConnectionResetError):
            assert s.recv(100) == b""
    assert both.server.guarded.refused == before + 1


def test_a_plain_http_request_on_the_https_port_gets_nothing(
    serve_both: Callable[..., Both],
) -> None:
    both = serve_both()
    with socket.create_connection(("127.0.0.1", both.front.port), 5) as sock:
        sock.sendall(b"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.settimeout(5)
        with contextlib.suppress(ConnectionResetError):
            assert b"HTTP/1.1 200" not in sock.recv(1000)
    assert eventually(lambda: both.front.failed_handshakes >= 1)
    status, body = TlsPhone(both.https, GUEST).get("/api/state")
    assert status == 200 and json.dumps(body)


def test_a_big_answer_then_close_reaches_a_slow_phone_whole(tmp_path: Path) -> None:
    """waitress ends the connection right after a long answer (Connection: close): the relay
    hands the phone every byte before it cuts, though the phone reads slowly."""
    body = bytes(range(256)) * 65536  # 16 MB: more than the kernel buffers between
    app = Flask(__name__)
    app.add_url_rule("/big", "big", lambda: Response(body, mimetype="application/octet-stream"))
    server = WebServer(app, "127.0.0.1", 0, max_streams=2)
    server.start()
    try:
        cert = box_certificate(tmp_path, ["localhost"], ["127.0.0.1"])
        front = server.serve_https(server_context(cert), 0)
        raw = socket.socket()
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        raw.settimeout(10)
        raw.connect(("127.0.0.1", front.port))
        with client_context().wrap_socket(raw) as sock:
            sock.sendall(b"GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            time.sleep(1.0)  # waitress has long finished and closed its side
            parts = []
            while chunk := sock.recv(65536):
                parts.append(chunk)
            got = b"".join(parts)
        assert got.split(b"\r\n\r\n", 1)[1] == body
    finally:
        server.stop()


def test_the_host_reserve_holds_over_https(serve_both: Callable[..., Both]) -> None:
    """Guests' silent handshakes fill the guests' share; a guest more is refused, the box's
    own address (a host address) still gets in, through the relay, from the reserve."""
    both = serve_both(per_address=4, guests=6, host_reserve=4, request_deadline_s=3.0)
    port = both.front.port
    silent = [
        socket.create_connection(("127.0.0.1", port), 5, source_address=(address, 0))
        for address in [HOSTILE] * 5 + ["127.0.0.7"] * 2
    ]
    try:
        assert eventually(lambda: both.front.counts.guests == 6)
        assert both.front.counts.per_address[HOSTILE] == 4 and both.front.refused == 1
        with pytest.raises((OSError, ssl.SSLError)):
            TlsPhone(both.https, GUEST, timeout_s=3).get("/api/state")
        box = TlsPhone(both.https, "127.0.0.1").connection()  # kept open
        box.request("GET", "/api/state", headers={"Host": "127.0.0.1"})
        response = box.getresponse()
        assert response.status == 200 and response.read()
        guarded = both.server.guarded
        assert guarded.per_address.get("127.0.0.1") == 1 and guarded.guests == 0  # the host's
        box.close()
    finally:
        for sock in silent:
            sock.close()
    assert eventually(lambda: both.front.counts.total == 0)
