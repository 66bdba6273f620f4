"""The Now, My songs, Rotation and Host views as guests and the host see them on a 320x568 and
a 390x844 phone (Chromium, Playwright), issue 13: the Now page keeps updating after a slider
was touched (point 2); a break holds your songs, never shows them gone (point 4); the host sees
what is playing, has Pause and Skip on the Now view, and the rotation shows who sings now
(point 9)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from appliance.core.actor import Actor
from tests.support.phones import (
    BROWSER_TESTS,
    SIZES,
    join,
    login,
    open_phone,
    queue_by_api,
    shot,
    size_name,
    tab,
)

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = BROWSER_TESTS
HOST = Actor.host()


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_now_keeps_updating_after_a_slider_was_touched(browser, served, size) -> None:  # type: ignore[no-untyped-def]
    core = served.box.core
    ada = open_phone(browser, served.url, size)
    join(ada, "Ada")
    queue_by_api(ada, "Amazing Grace")
    core.start_next_now(HOST)
    tab(ada, "Now")
    now = ada.get_by_role("region", name="Now playing")
    expect(now.get_by_text("Playing", exact=True)).to_be_visible()
    tempo = now.get_by_role("slider", name="Tempo 100%")
    tempo.focus()
    tempo.fill("90")
    expect(now.get_by_text("Tempo 90%").first).to_be_visible()
    assert ada.evaluate("document.activeElement.type") == "range"  # the slider keeps focus
    core.pause(HOST)
    expect(now.get_by_text("Paused", exact=True)).to_be_visible()  # was stuck on "Playing"
    shot(ada, f"now-paused-after-slider-{size_name(size)}")
    core.resume(HOST)
    expect(now.get_by_text("Playing", exact=True)).to_be_visible()
    assert core.current_settings() is not None
    assert core.current_settings().tempo_ratio == pytest.approx(0.9)  # type: ignore[union-attr]
    # a change from elsewhere reaches the live card once the hands are off
    core.set_live_settings(HOST, replace(core.current_settings(), tempo_ratio=1.2))  # type: ignore[type-var]
    expect(now.get_by_role("slider", name="Tempo 120%")).to_have_count(1)


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_a_break_holds_your_songs(browser, served, size) -> None:  # type: ignore[no-untyped-def]
    ada = open_phone(browser, served.url, size)
    join(ada, "Ada")
    queue_by_api(ada, "Amazing Grace")
    queue_by_api(ada, "Oh! Susanna")
    tab(ada, "Rotation")
    ada.get_by_role("button", name="Take a break").click()
    singers = ada.get_by_role("list", name="Singers")
    expect(singers.get_by_text("on a break · 2 on hold")).to_be_visible()
    expect(singers.get_by_text("0 queued")).to_have_count(0)
    tab(ada, "My songs")
    mine = ada.get_by_role("list", name="My songs")
    expect(mine.get_by_text("You're taking a break")).to_be_visible()
    expect(mine.get_by_text("on hold", exact=True)).to_have_count(2)
    expect(mine.get_by_text("Amazing Grace")).to_be_visible()
    expect(mine.get_by_text("Oh! Susanna")).to_be_visible()
    shot(ada, f"mine-on-a-break-{size_name(size)}")
    mine.get_by_role("button", name="I'm back").click()
    expect(mine.get_by_text("#1 in the queue")).to_be_visible()
    expect(mine.get_by_text("on hold", exact=True)).to_have_count(0)
    assert [i.song.title for i in served.box.core.snapshot().upcoming] == [
        "Amazing Grace",
        "Oh! Susanna",
    ]


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_the_host_sees_what_plays_and_pauses_or_skips_from_now(browser, served, size) -> None:  # type: ignore[no-untyped-def]
    core = served.box.core
    ada = open_phone(browser, served.url, size)
    join(ada, "Ada")
    queue_by_api(ada, "Amazing Grace")
    bob = open_phone(browser, served.url, size)
    join(bob, "Bob")
    queue_by_api(bob, "Oh! Susanna")
    core.start_next_now(HOST)
    host = open_phone(browser, served.url, size)
    login(host)
    expect(host.locator("#host-now")).to_have_text("Playing: Ada — Amazing Grace")
    shot(host, f"host-now-playing-{size_name(size)}")
    tab(host, "Now")
    now = host.get_by_role("region", name="Now playing")
    now.get_by_role("button", name="Pause").click()
    expect(now.get_by_role("button", name="Resume")).to_be_visible()
    assert core.snapshot().state.value == "paused"
    tab(host, "Rotation")
    rotation = host.get_by_role("list", name="Rotation")
    first = rotation.get_by_role("listitem").first
    expect(first).to_contain_text("Ada")
    expect(first).to_contain_text("paused")
    expect(rotation.get_by_role("listitem").nth(1)).to_contain_text("Bob")
    shot(host, f"host-rotation-singing-now-{size_name(size)}")
    tab(ada, "Now")
    expect(
        ada.get_by_role("region", name="Now playing").get_by_text("Paused", exact=True)
    ).to_be_visible()
    expect(ada.get_by_role("button", name="Skip")).to_have_count(0)
    expect(ada.get_by_role("button", name="Pause")).to_have_count(0)
    tab(host, "Now")
    now.get_by_role("button", name="Skip").click()
    expect(now.get_by_text("Bob — Oh! Susanna")).to_be_visible()
    assert core.history(1)[0].outcome == "skipped"


def seconds(text: str) -> int:
    minutes, secs = text.removeprefix("starts in ").split(":")
    return int(minutes) * 60 + int(secs)


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_starts_in_counts_down_on_the_phone(browser, served, size) -> None:  # type: ignore[no-untyped-def]
    ada = open_phone(browser, served.url, size)
    join(ada, "Ada")
    queue_by_api(ada, "Amazing Grace")
    tab(ada, "Now")
    starts = ada.get_by_role("region", name="Now playing").locator("#now-starts")
    expect(starts).to_have_text(re.compile(r"^starts in \d+:\d\d$"))
    first = seconds(starts.inner_text())
    assert 590 <= first <= 600  # the rig's countdown is 600 s
    expect(starts).not_to_have_text(starts.inner_text(), timeout=3000)  # ticks with no snapshot
    ada.wait_for_timeout(1200)
    assert seconds(starts.inner_text()) <= first - 2
    expect(ada.get_by_text("You're up next")).to_be_visible()
    shot(ada, f"now-starts-in-{size_name(size)}")
