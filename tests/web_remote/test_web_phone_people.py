"""Guests and the host as people, at 320x568 and 390x844 (issue 13, point 10): a guest changes
their name or leaves; the host's "queue for" picker asks who sings instead of guessing; home
mode (a night setting the host turns on) makes every phone the host, no PIN."""

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


def names(served) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.name for s in served.box.core.snapshot().singers]


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_a_guest_changes_their_name_then_leaves(browser, served, size) -> None:  # type: ignore[no-untyped-def]
    served.box.core.join("Bob")
    ada = open_phone(browser, served.url, size)
    join(ada, "Ada")
    queue_by_api(ada, "Amazing Grace")
    tab(ada, "My songs")
    ada.get_by_label("Sing as").fill("bob")
    ada.get_by_role("button", name="Change name").click()
    expect(ada.get_by_text("'Bob' is already singing tonight: pick another name")).to_be_visible()
    ada.get_by_label("Sing as").fill("Ada Lovelace")
    ada.get_by_role("button", name="Change name").click()
    expect(ada.locator("#who")).to_have_text("Ada Lovelace")
    assert names(served) == ["Bob", "Ada Lovelace"]
    shot(ada, f"you-rename-{size_name(size)}")
    expect(ada.get_by_role("list", name="My songs").get_by_text("Amazing Grace")).to_be_visible()
    ada.get_by_role("button", name="Leave the party").click()  # the phone's confirm is accepted
    expect(ada.get_by_role("heading", name="Join the party")).to_be_visible()
    assert names(served) == ["Bob"]
    assert served.box.core.snapshot().upcoming == ()


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_the_hosts_queue_for_picker_asks(browser, served, size) -> None:  # type: ignore[no-untyped-def]
    served.box.core.join("Ada")
    served.box.core.join("Bob")
    host = open_phone(browser, served.url, size)
    login(host)
    tab(host, "Search")
    host.get_by_role("searchbox", name="Search songs").fill("grace")
    host.get_by_role("button", name="Queue Amazing Grace").click()
    dialog = host.get_by_role("dialog", name="Queue Amazing Grace")
    picker = dialog.get_by_label("Singer", exact=True)
    expect(picker).to_have_value("")
    expect(picker.locator("option:checked")).to_have_text("Choose who sings…")
    dialog.get_by_role("button", name="Add to queue").click()
    expect(dialog.get_by_role("alert")).to_have_text("Choose who sings first.")
    assert served.box.core.snapshot().upcoming == ()
    shot(host, f"host-picker-asks-{size_name(size)}")
    picker.select_option(label="Bob")
    dialog.get_by_role("button", name="Add to queue").click()
    expect(dialog).to_be_hidden()
    assert [i.singer.name for i in served.box.core.snapshot().upcoming] == ["Bob"]


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_home_mode_makes_every_phone_the_host(browser, served, size) -> None:  # type: ignore[no-untyped-def]
    core = served.box.core
    host = open_phone(browser, served.url, size)
    login(host)
    switch = host.get_by_role("switch", name="Home mode: everyone is host, no PIN")
    expect(switch).not_to_be_checked()
    switch.check()
    host.get_by_role("button", name="Save settings").click()
    expect(host.get_by_text("Settings saved")).to_be_visible()
    assert core.settings().home_mode is True
    kid = open_phone(browser, served.url, size)
    join(kid, "Kid")
    queue_by_api(kid, "Amazing Grace")
    core.start_next_now(Actor.host())
    tab(kid, "Host")
    expect(kid.get_by_label("Host PIN")).to_have_count(0)
    expect(kid.locator("#host-now")).to_have_text("Playing: Kid — Amazing Grace")
    shot(kid, f"home-mode-guest-is-host-{size_name(size)}")
    kid.get_by_role("button", name="Pause").click()
    expect(kid.get_by_role("button", name="Resume")).to_be_visible()
    assert core.snapshot().state.value == "paused"
    core.update_settings(Actor.host(), {"home_mode": False})
    kid.reload()
    tab(kid, "Host")
    expect(kid.get_by_label("Host PIN")).to_be_visible()
