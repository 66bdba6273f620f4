"""The remote in a real browser (Debian's Chromium, headless, driven by Playwright) at a phone
viewport with touch: a guest joins and queues, a second guest sees it live, the host takes over.
Screenshots of each page go to tests/artifacts/web/."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from tests.support.phones import BROWSER_TESTS, PIN, join, open_phone, shot, tab
from web_remote import openapi

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = BROWSER_TESTS


def test_guest_queues_second_guest_sees_it_host_bumps_pauses_skips(
    browser, served, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    schema = copy.deepcopy(openapi.SCHEMAS["NightSettings"])
    schema["properties"]["per_singer_limit"]["maximum"] = 40  # the form must follow the document
    monkeypatch.setitem(openapi.SCHEMAS, "NightSettings", schema)
    ada = open_phone(browser, served.url)
    expect(ada.get_by_role("heading", name="Join the party")).to_be_visible()
    shot(ada, "01-join")
    join(ada, "Ada")
    ada.get_by_role("searchbox", name="Search songs").fill("grace")
    expect(ada.get_by_role("button", name="Queue Amazing Grace")).to_be_visible()
    expect(ada.get_by_role("button", name=re.compile("^Queue "))).to_have_count(1)
    shot(ada, "02-search")
    ada.get_by_role("button", name="Queue Amazing Grace").click()
    dialog = ada.get_by_role("dialog", name="Queue Amazing Grace")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Key up").click()
    dialog.get_by_role("button", name="Key up").click()
    expect(dialog.get_by_text("Key +2 (G -> A)")).to_be_visible()
    dialog.get_by_role("switch", name="Guide vocal").uncheck()
    shot(ada, "03-queue-sheet")
    dialog.get_by_role("button", name="Add to queue").click()
    expect(dialog).to_be_hidden()

    entries = served.box.core.snapshot().upcoming
    assert [(e.singer.name, e.song.title) for e in entries] == [("Ada", "Amazing Grace")]
    assert entries[0].entry.settings.key_semitones == 2
    assert entries[0].entry.settings.guide_level == 0.0

    # a second guest, in another browser context, watches the rotation
    bob = open_phone(browser, served.url)
    join(bob, "Bob")
    tab(bob, "Rotation")
    rotation = bob.get_by_role("list", name="Rotation")
    expect(rotation.get_by_text("Amazing Grace")).to_be_visible()
    # ...and sees a change appear live, without reloading
    tab(bob, "Search")
    bob.get_by_role("searchbox", name="Search songs").fill("susanna")
    bob.get_by_role("button", name=re.compile("^Queue Oh")).click()
    bob.get_by_role("dialog").get_by_role("button", name="Add to queue").click()
    tab(bob, "Rotation")
    expect(rotation.get_by_text("Oh! Susanna")).to_be_visible()
    tab(ada, "Rotation")
    expect(ada.get_by_role("list", name="Rotation").get_by_text("Oh! Susanna")).to_be_visible()
    shot(bob, "04-rotation")
    tab(ada, "My songs")
    expect(ada.get_by_text("Key G -> A · Guide off")).to_be_visible()
    shot(ada, "05-my-songs")

    # guests have no skip control anywhere, and the server refuses their skip
    for view in ("Search", "My songs", "Now", "Rotation", "Host"):
        tab(ada, view)
        expect(ada.get_by_role("button", name="Skip")).to_have_count(0)
        expect(ada.get_by_role("button", name=re.compile("^Bump"))).to_have_count(0)
    status = ada.evaluate(
        """() => fetch('/api/playback/skip', {method: 'POST',
               headers: {'X-CSRF-Token': KB.state.session.csrf_token}}).then(r => r.status)"""
    )
    assert status == 403

    # the host enters the PIN, bumps Bob, starts, pauses and skips
    host = open_phone(browser, served.url)
    tab(host, "Host")
    shot(host, "06-host-pin")
    host.get_by_label("Host PIN").fill(PIN)
    host.get_by_role("button", name="Enter").click()
    expect(host.get_by_role("button", name="Start next now")).to_be_visible()
    # the settings form takes its modes and ranges from the API's document (the core's rules)
    expect(host.get_by_label("Songs queued per singer")).to_have_attribute("max", "40")
    expect(host.get_by_label("Countdown between singers (s)")).to_have_attribute("max", "600")
    expect(host.get_by_label("Default guide vocal (%)")).to_have_attribute("max", "100")
    assert host.get_by_label("Rotation").locator("option").all_inner_texts() == [
        "Fair rotation",
        "First come, first served",
    ]
    tab(host, "Rotation")
    host.get_by_role("button", name="Bump Bob").click()
    first = host.get_by_role("list", name="Rotation").get_by_role("listitem").first
    expect(first).to_contain_text("Bob")
    shot(host, "07-host-rotation")
    tab(host, "Host")
    host.get_by_role("button", name="Start next now").click()
    expect(host.get_by_role("button", name="Pause")).to_be_enabled()
    host.get_by_role("button", name="Pause").click()
    expect(host.get_by_role("button", name="Resume")).to_be_visible()
    assert served.box.core.snapshot().state.value == "paused"
    shot(host, "08-host")
    tab(ada, "Now")
    now = ada.get_by_role("region", name="Now playing")
    expect(now.get_by_text("Paused")).to_be_visible()
    expect(now.get_by_text("Oh! Susanna")).to_be_visible()
    shot(ada, "09-now-paused")
    host.get_by_role("button", name="Skip").click()
    expect(now.get_by_text("Up next", exact=True)).to_be_visible()
    snapshot = served.box.core.snapshot()
    assert snapshot.up_next is not None and snapshot.up_next.song.title == "Amazing Grace"
    assert snapshot.state.value == "up_next"
    assert served.box.core.history(1)[0].outcome == "skipped"


XSS_NAME = "<img src=x onerror=alert(1)>"


def test_a_singer_named_like_html_shows_as_plain_text(browser, served) -> None:  # type: ignore[no-untyped-def]
    evil = open_phone(browser, served.url)
    dialogs: list[str] = []
    evil.on("dialog", lambda d: dialogs.append(d.message))
    join(evil, XSS_NAME)
    evil.get_by_role("searchbox", name="Search songs").fill("grace")
    evil.get_by_role("button", name="Queue Amazing Grace").click()
    evil.get_by_role("dialog").get_by_role("button", name="Add to queue").click()
    watcher = open_phone(browser, served.url)
    join(watcher, "Watcher")
    for page in (evil, watcher):
        tab(page, "Rotation")
        expect(page.get_by_role("list", name="Rotation").get_by_text(XSS_NAME)).to_be_visible()
        assert page.locator("main img").count() == 0
    expect(evil.locator("#who")).to_have_text(XSS_NAME)
    shot(watcher, "10-xss-name-as-text")
    assert dialogs == []


def test_first_load_is_small() -> None:
    static = Path(__file__).resolve().parents[2] / "web_remote" / "static"
    total = sum(p.stat().st_size for p in static.iterdir() if p.is_file())
    assert total <= 100 * 1024, total
    scripts = "".join(p.read_text() for p in static.glob("*.js"))
    assert "innerHTML" not in scripts and "insertAdjacentHTML" not in scripts
