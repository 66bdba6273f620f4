"""Undo on the phone, as the host and the singer see it at 320x568 and 390x844 (issue 13,
point 6): Remove and Skip act at once and offer Undo for a few seconds; the singer affected
gets a notice on their phone only. And the singer counted down to gets "Your turn!" with a
vibration where the browser allows (point 7)."""

from __future__ import annotations

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
RECORD_VIBRATIONS = (
    "window.__buzzes = []; navigator.vibrate = (p) => { window.__buzzes.push(p); return true; };"
)


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_the_host_removes_then_undoes_and_the_singer_is_told(browser, served, size) -> None:  # type: ignore[no-untyped-def]
    ada = open_phone(browser, served.url, size)
    join(ada, "Ada")
    queue_by_api(ada, "Amazing Grace")
    bob = open_phone(browser, served.url, size)
    join(bob, "Bob")
    entry_id = served.box.core.snapshot().upcoming[0].entry.entry_id
    host = open_phone(browser, served.url, size)
    login(host)
    tab(host, "Rotation")
    host.get_by_role("button", name="Remove Amazing Grace").click()
    notice = host.get_by_role("status").filter(has_text="Removed Amazing Grace (Ada)")
    expect(notice).to_be_visible()
    expect(ada.get_by_text("The host removed Amazing Grace.")).to_be_visible()
    expect(bob.get_by_text("The host removed Amazing Grace.")).to_have_count(0)
    assert served.box.core.snapshot().upcoming == ()
    shot(host, f"undo-remove-{size_name(size)}")
    shot(ada, f"told-removed-{size_name(size)}")
    notice.get_by_role("button", name="Undo").click()
    expect(host.get_by_role("list", name="Rotation").get_by_text("Amazing Grace")).to_be_visible()
    assert [i.entry.entry_id for i in served.box.core.snapshot().upcoming] == [entry_id]
    expect(ada.get_by_text("The host put back Amazing Grace.")).to_be_visible()


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_the_host_skips_then_undoes_and_the_song_plays_on(browser, served, size) -> None:  # type: ignore[no-untyped-def]
    core = served.box.core
    ada = open_phone(browser, served.url, size)
    ada.context.add_init_script(RECORD_VIBRATIONS)
    ada.reload()
    join(ada, "Ada")
    queue_by_api(ada, "Amazing Grace")
    # Ada is counted down to: her phone says so, once, and buzzes
    expect(ada.get_by_text("Your turn! Amazing Grace starts soon")).to_be_visible()
    assert ada.evaluate("window.__buzzes.length") == 1
    shot(ada, f"your-turn-{size_name(size)}")
    core.start_next_now(Actor.host())
    host = open_phone(browser, served.url, size)
    login(host)
    ada.wait_for_timeout(1500)
    tab(host, "Now")
    now = host.get_by_role("region", name="Now playing")
    now.get_by_role("button", name="Skip").click()
    notice = host.get_by_role("status").filter(has_text="Skipped Amazing Grace (Ada)")
    expect(notice).to_be_visible()
    expect(ada.get_by_text("The host skipped Amazing Grace.")).to_be_visible()
    assert ada.evaluate("window.__buzzes.length") == 2
    shot(host, f"undo-skip-{size_name(size)}")
    notice.get_by_role("button", name="Undo").click()
    expect(now.get_by_text("Playing", exact=True)).to_be_visible()
    snap = core.snapshot()
    assert snap.now is not None and snap.now.song.title == "Amazing Grace"
    assert snap.now.position_s >= 1.0  # resumed where it was, not from the start
