"""Live updates over Server-Sent Events through waitress: every phone gets a change, idle
streams get heartbeats, notices arrive, streams over the cap are told to poll, and the part
starts and stops with the box."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from tests.support.context import FakeBox
from tests.support.waiting import wait_until_answers
from tests.support.web_rig import Served, remote_options
from web_remote import part
from web_remote.app import create_app
from web_remote.netaddr import is_lan_address
from web_remote.server import WebServer
from web_remote.settings import WebConfig


class Listener:
    """One phone's raw SSE connection (a plain socket), read on a thread; each from its own
    loopback address, as each phone has its own (streams are capped per address)."""

    made = 0

    def __init__(self, url: str) -> None:
        Listener.made += 1
        self.events: list[tuple[str, str, float]] = []
        self.comments = 0
        self.ended = threading.Event()
        host, port = url.split("//")[1].split(":")
        source = (f"127.0.{3 + Listener.made // 250}.{Listener.made % 250 + 1}", 0)
        self._sock = socket.create_connection((host, int(port)), timeout=30, source_address=source)
        self._sock.sendall(
            f"GET /api/events HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        name, data = "message", ""
        try:
            for line in self._sock.makefile("r", encoding="utf-8", newline="\n"):
                raw = line.rstrip("\r\n")
                if raw.startswith(":"):
                    self.comments += 1
                elif raw.startswith("event: "):
                    name = raw[7:]
                elif raw.startswith("data: "):
                    data = raw[6:]
                elif raw == "" and data:
                    self.events.append((name, data, time.monotonic()))
                    name, data = "message", ""
        except (OSError, ValueError):
            pass  # closed by the test
        self.ended.set()

    def wait_for(self, test, timeout_s: float = 5.0):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for name, data, at in list(self.events):
                if test(name, data):
                    return at
            time.sleep(0.01)
        raise AssertionError(f"no matching event in {self.events[-3:]}")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()


def guest(url: str, name: str) -> requests.Session:
    session = requests.Session()
    session.headers["X-CSRF-Token"] = session.get(url + "/api/session").json()["csrf_token"]
    assert session.post(url + "/api/join", json={"name": name}).ok
    return session


def test_a_change_reaches_every_phone(served: Served) -> None:
    phones = [Listener(served.url) for _ in range(10)]
    for phone in phones:
        phone.wait_for(lambda name, data: name == "snapshot")
    ada = guest(served.url, "Ada")
    song = ada.get(served.url + "/api/songs?q=grace").json()["songs"][0]["song_id"]
    sent = time.monotonic()
    entry = ada.post(served.url + "/api/queue", json={"song_id": song}).json()["entry"]

    def has_entry(name: str, data: str) -> bool:
        return name == "snapshot" and any(
            item["entry_id"] == entry["entry_id"] for item in json.loads(data)["upcoming"]
        )

    arrivals = [phone.wait_for(has_entry) - sent for phone in phones]
    assert max(arrivals) < 1.0  # the goal (250 ms) is measured by the benchmark
    for phone in phones:
        phone.close()


def test_idle_streams_get_heartbeats_and_notices(served: Served) -> None:
    phone = Listener(served.url)
    phone.wait_for(lambda name, data: name == "snapshot")
    served.box.core.notify("<b>Mic 2</b> is low", "warn")
    phone.wait_for(
        lambda name, data: name == "notice" and json.loads(data)["message"] == "<b>Mic 2</b> is low"
    )
    deadline = time.monotonic() + 5
    while phone.comments == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert phone.comments >= 1  # heartbeat_s is 2 in the tests
    phone.close()


def test_streams_over_the_cap_get_the_state_and_a_retry_hint(box: FakeBox, tmp_path: Path) -> None:
    app = create_app(box.core, remote_options(box, tmp_path))
    server = WebServer(app, "127.0.0.1", 0, max_streams=2, request_threads=4)
    server.start()
    url = f"http://127.0.0.1:{server.port}"
    wait_until_answers(url + "/api/state")
    held = [Listener(url) for _ in range(2)]
    for phone in held:
        phone.wait_for(lambda name, data: name == "snapshot")
    over = requests.get(url + "/api/events", timeout=5)  # returns: the stream ends at once
    assert over.status_code == 200
    assert over.text.startswith("retry: 5000\nevent: snapshot")
    assert requests.get(url + "/api/state", timeout=5).ok  # request threads are free
    for phone in held:
        phone.close()
    server.stop()
    assert all(phone.ended.wait(5) for phone in held)


def test_part_serves_the_box_and_sets_a_reachable_url(
    box: FakeBox, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port, secure = free_port(), free_port()
    assert box.state_dir == tmp_path
    with caplog.at_level(logging.INFO, logger="web_remote.part"):
        settings = WebConfig(host="127.0.0.1", port=port, https_port=secure)
        started = part.start(box.context(settings))
    assert started is not None
    try:
        pin = (tmp_path / "web-pin.txt").read_text().strip()
        assert len(pin) == 6 and pin in caplog.text
        assert started.url == f"http://127.0.0.1:{port}/"
        state = requests.get(started.url + "api/state", timeout=5)
        assert state.ok and state.json()["state"] in ("idle", "up_next")
        probe = requests.get(started.url + "generate_204", timeout=5)
        assert probe.status_code == 204  # the captive-portal answers are registered
        https = f"https://127.0.0.1:{secure}/"
        assert requests.get(started.url + "api/session", timeout=5).json()["https_url"] == https
        assert (tmp_path / "web" / "tls" / "box.pem").is_file()
        cert = tmp_path / "web" / "tls" / "box.pem"  # the phone that accepted it, strictly
        secured = requests.get(https + "api/state", timeout=5, verify=str(cert))
        assert secured.ok and secured.json()["state"] == state.json()["state"]
    finally:
        started.stop()


def test_the_remote_stays_on_http_when_its_https_port_is_taken(
    box: FakeBox, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        settings = WebConfig(host="127.0.0.1", port=free_port(), https_port=taken.getsockname()[1])
        with caplog.at_level(logging.WARNING, logger="web_remote.part"):
            started = part.start(box.context(settings))
    assert started is not None
    try:
        assert "stays on http only" in caplog.text
        assert requests.get(started.url + "api/session", timeout=5).json()["https_url"] == ""
    finally:
        started.stop()


def test_the_configured_public_url_is_the_parts_result(box: FakeBox) -> None:
    settings = WebConfig(
        host="127.0.0.1", port=free_port(), public_url="http://karaoke.local/", https_port=0
    )
    started = part.start(box.context(settings))
    assert started is not None
    try:
        assert started.url == "http://karaoke.local/"
    finally:
        started.stop()


def test_a_disabled_remote_starts_nothing(box: FakeBox) -> None:
    assert part.start(box.context(WebConfig(enabled=False))) is None


def test_the_reachable_address_is_on_the_lan() -> None:
    url = part._reachable("0.0.0.0", SimpleNamespace(port=8080))  # type: ignore[arg-type]
    host = url.split("//")[1].split(":")[0]
    assert url.endswith(":8080/")
    assert is_lan_address(host) or host == "127.0.0.1"  # 127.0.0.1 only with no network


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
