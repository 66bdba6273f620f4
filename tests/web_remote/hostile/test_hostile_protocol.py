"""The edges of the protocol (issue 13, point 21): a change that changes nothing reaches no
phone; waitress's own error answers carry the security headers; Apple's captive probe gets the
portal page in hotspot mode, not a redirect. The real server on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.context import FakeBox
from tests.support.loopback import LoopbackPhone, raw_request
from tests.support.phones import PIN
from tests.support.waiting import wait_until_answers
from tests.support.web_rig import Served, remote_options
from web_remote.app import create_app
from web_remote.server import WebServer

Phones = Callable[[str], LoopbackPhone]
HEADERS = (b"x-content-type-options: nosniff", b"x-frame-options: deny",
           b"content-security-policy:", b"referrer-policy: no-referrer")  # fmt: skip


def test_a_change_that_changes_nothing_reaches_no_phone(served: Served, phone: Phones) -> None:
    host = phone("127.0.0.9")
    assert host.send("POST", "/api/host/login", {"pin": PIN})[0] == 200
    song = host.get("/api/songs?q=grace")[1]["songs"][0]["song_id"]
    host.send("POST", "/api/queue", {"song_id": song, "singer_name": "Ada"})
    entry = host.send("POST", "/api/queue", {"song_id": song, "singer_name": "Bob"})[1]
    assert host.send("POST", "/api/playback/start-next")[0] == 200
    host.send("PUT", "/api/volume", {"volume": 0.5, "muted": False})
    broadcaster = served.server.app.extensions["karaoke"].broadcaster
    version = host.get("/api/state")[1]["version"]
    sent = broadcaster._seq
    for method, path, body in [
        ("PATCH", "/api/live", {}),
        ("PATCH", "/api/live", {"settings": {}}),
        ("PATCH", f"/api/entries/{entry['entry']['entry_id']}", {"settings": {}}),
        ("PATCH", "/api/settings", {}),
        ("PUT", "/api/volume", {"volume": 0.5}),
    ]:
        status, answer = host.send(method, path, body)
        assert status == 200 and answer["version"] == version, (path, answer)
    assert host.get("/api/state")[1]["version"] == version
    assert broadcaster._seq == sent  # no snapshot went out to the phones


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"NOT HTTP AT ALL\r\n\r\n", b"400"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 17_000 + b"\r\n\r\n", b"431"),
        (b"POST /api/join HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", b"413"),
    ],
)  # fmt: skip
def test_waitress_errors_carry_the_security_headers(
    served: Served, request_bytes: bytes, status: bytes
) -> None:
    answer = raw_request(served.url, "127.0.0.2", request_bytes)
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    assert head.split(b" ")[1] == status, head[:80]
    for header in HEADERS:
        assert header in head, (header, head)


@pytest.fixture()
def hotspot(box: FakeBox, tmp_path: Path) -> Iterator[str]:
    """The remote in hotspot mode."""
    options = remote_options(box, tmp_path, hotspot_active=lambda: True,
                             public_url=lambda: "http://10.42.0.1/")  # fmt: skip
    server = WebServer(create_app(box.core, options), "127.0.0.1", 0, max_streams=4)
    server.start()
    url = f"http://127.0.0.1:{server.port}"
    wait_until_answers(url + "/api/state")
    yield url
    server.stop()


def test_apples_captive_probe_gets_the_portal_page(hotspot: str) -> None:
    probe = LoopbackPhone(hotspot, "127.0.0.5")
    for path in ("/hotspot-detect.html", "/library/test/success.html"):
        status, page = probe.get(path, headers={"Host": "captive.apple.com"})
        assert status == 200 and "http://10.42.0.1/" in page, (path, status)
        assert "Success" not in page  # not the "you are online" answer: iOS shows the sheet
    status, _ = probe.get("/anything", headers={"Host": "example.com"})
    assert status == 302  # other foreign names are still led to the remote
