"""A real phone browser (headless Chromium) and the https remote: on the https page the phone
may lend its microphone (a secure context: navigator.mediaDevices, a fake microphone opens);
on the plain http page under a name (karaoke.test, mapped to 127.0.0.1: not a secure
context, as the party Wi-Fi's address is not) the listen card links to the https page, where
the guest is still themselves and may tap "Let my phone listen". Chromium is told to take the
box's own certificate (--ignore-certificate-errors: the guest's one tap on the warning)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.core.actor import Actor
from tests.support.context import FakeBox
from tests.support.phones import (
    BROWSER_TESTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    join,
    queue_by_api,
    shot,
    tab,
)
from tests.support.waiting import wait_until_answers
from tests.support.web_rig import remote_options
from web_remote.app import create_app
from web_remote.server import WebServer
from web_remote.tls_cert import box_certificate, server_context

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = BROWSER_TESTS
NAME = "karaoke.test"
ARGS = [
    *CHROMIUM_ARGS,
    "--ignore-certificate-errors",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    f"--host-resolver-rules=MAP {NAME} 127.0.0.1",
]


@pytest.fixture()
def urls(box: FakeBox, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The remote's http and https addresses under NAME."""
    port = [0]
    options = remote_options(box, tmp_path, https_port=lambda: port[0], allowed_hosts=(NAME,))
    server = WebServer(create_app(box.core, options), "127.0.0.1", 0, max_streams=16)
    server.start()
    cert = box_certificate(tmp_path, [NAME], ["127.0.0.1"])
    port[0] = server.serve_https(server_context(cert), 0).port
    wait_until_answers(f"http://127.0.0.1:{server.port}/api/state")
    yield f"http://{NAME}:{server.port}", f"https://{NAME}:{port[0]}"
    server.stop()


@pytest.fixture()
def chromium() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def test_the_https_page_may_use_the_microphone(chromium, urls) -> None:  # type: ignore[no-untyped-def]
    plain, secure = urls
    page = chromium.new_context(**PHONE).new_page()
    page.goto(plain + "/")
    assert page.evaluate("window.isSecureContext") is False
    assert page.evaluate("typeof navigator.mediaDevices") == "undefined"
    page.goto(secure + "/")
    assert page.evaluate("window.isSecureContext") is True
    assert page.evaluate("typeof navigator.mediaDevices.getUserMedia") == "function"
    tracks = page.evaluate(
        "navigator.mediaDevices.getUserMedia({audio: true})"
        ".then(s => { const n = s.getAudioTracks().length; s.getTracks().forEach(t => t.stop());"
        " return n; })"
    )
    assert tracks == 1
    assert page.evaluate("fetch('/api/state').then(r => r.status)") == 200


def test_the_http_page_links_the_singer_to_the_https_page(chromium, urls, box) -> None:  # type: ignore[no-untyped-def]
    plain, secure = urls
    page = chromium.new_context(**PHONE).new_page()
    page.goto(plain + "/")
    join(page, "Ada")
    queue_by_api(page, "Oh! Susanna")
    box.core.start_next_now(Actor.host())
    tab(page, "Now")
    now = page.get_by_role("region", name="Now playing")
    link = now.get_by_role("link", name="Open the secure page")
    expect(link).to_be_visible()
    assert link.get_attribute("href").startswith(secure + "/")
    shot(page, "https-listen-link")
    link.click()
    page.wait_for_url(secure + "/**")
    assert page.evaluate("window.isSecureContext") is True
    tab(page, "Now")
    now = page.get_by_role("region", name="Now playing")
    expect(now.get_by_role("button", name="Let my phone listen")).to_be_visible()
    shot(page, "https-listen-button")
