"""Phones for the remote's tests: a Flask test client with its own cookies, address and CSRF
token (``Phone``), and a headless Chromium page at a phone's viewport with touch
(``open_phone``, with ``join``, ``tab`` and ``shot``: screenshots go to tests/artifacts/web/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

PIN = "135790"
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_TESTS = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
"""The marks of a test module that drives Debian's Chromium: ``pytestmark = BROWSER_TESTS``."""
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "web"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 2,
}


class Phone:
    """One browser: its own cookies, address and CSRF token."""

    def __init__(self, app: Flask, address: str = "10.0.0.2") -> None:
        self.client: FlaskClient = app.test_client()
        self.client.environ_base["REMOTE_ADDR"] = address
        self.csrf = self.client.get("/api/session").json["csrf_token"]

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def send(self, method: str, path: str, body: object = None) -> Any:
        return self.client.open(path, method=method, json=body, headers={"X-CSRF-Token": self.csrf})

    def join(self, name: str) -> int:
        response = self.send("POST", "/api/join", {"name": name})
        assert response.status_code == 200, response.json
        return int(response.json["singer"]["singer_id"])

    def login(self, pin: str = PIN) -> Any:
        return self.send("POST", "/api/host/login", {"pin": pin})


def grace_id(phone: Phone) -> str:
    songs = phone.get("/api/songs?q=grace").json["songs"]
    assert [s["title"] for s in songs] == ["Amazing Grace"]
    return str(songs[0]["song_id"])


SMALL = (320, 568)
"""The smallest phone the remote is made for (an iPhone SE's first size)."""
SIZES = [SMALL, (390, 844)]
"""Both sizes every "as a guest sees it" test runs at."""


def open_phone(browser, url: str, size: tuple[int, int] = (390, 844)):  # type: ignore[no-untyped-def]
    """A new phone (its own cookies and storage) on the remote at ``url``, ``size`` CSS px."""
    context = browser.new_context(**{**PHONE, "viewport": {"width": size[0], "height": size[1]}})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(url + "/")
    return page


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(250)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


QUEUE_BY_API = """async (title) => {
  const found = await (await fetch('/api/songs?q=' + encodeURIComponent(title))).json();
  const answer = await fetch('/api/queue', {method: 'POST', headers: {
      'Content-Type': 'application/json', 'X-CSRF-Token': KB.state.session.csrf_token},
    body: JSON.stringify({song_id: found.songs[0].song_id})});
  return answer.status;
}"""


def queue_by_api(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """Queue a song from this phone's page (its own cookies and CSRF token)."""
    assert page.evaluate(QUEUE_BY_API, title) == 201


def size_name(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def in_view(page, locator) -> bool:  # type: ignore[no-untyped-def]
    """Whether ``locator`` lies wholly inside the page's viewport (seen, not scrolled away)."""
    box = locator.bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]


def login(page, pin: str = PIN) -> None:  # type: ignore[no-untyped-def]
    """Enter the host PIN on the Host tab."""
    tab(page, "Host")
    page.get_by_label("Host PIN").fill(pin)
    page.get_by_role("button", name="Enter").click()
    from playwright.sync_api import expect

    expect(page.get_by_role("button", name="Leave host mode")).to_be_visible()


def tab(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("navigation", name="Views").get_by_role("link", name=name).click()


def join(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    from playwright.sync_api import expect

    expect(page.get_by_role("searchbox", name="Search songs")).to_be_visible()
