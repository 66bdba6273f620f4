"""The queue sheet as a guest sees it on a 320x568 and a 390x844 phone (Chromium, Playwright):
errors are written inside the open sheet, next to its buttons (issue 13, point 1); "Add to
queue" stays in sight below four sliders, and the guide level shows its number (point 8)."""

from __future__ import annotations

import pytest

from tests.support.phones import (
    BROWSER_TESTS,
    SIZES,
    in_view,
    join,
    open_phone,
    queue_by_api,
    shot,
    size_name,
)

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = BROWSER_TESTS


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_the_limit_error_shows_inside_the_open_sheet(browser, served, size) -> None:  # type: ignore[no-untyped-def]
    ada = open_phone(browser, served.url, size)
    join(ada, "Ada")
    for title in ("Oh! Susanna", "Auld Lang Syne", "Home on the Range"):
        queue_by_api(ada, title)
    ada.get_by_role("searchbox", name="Search songs").fill("grace")
    ada.get_by_role("button", name="Queue Amazing Grace").click()
    dialog = ada.get_by_role("dialog", name="Queue Amazing Grace")
    dialog.get_by_role("button", name="Add to queue").click()
    alert = dialog.get_by_role("alert")
    expect(alert).to_have_text("Ada already has 3 songs queued")
    assert in_view(ada, alert), "the error must be where the guest looks: in the sheet"
    assert in_view(ada, dialog.get_by_role("button", name="Add to queue"))
    # nothing else covers it: the topmost element at the alert's centre is the alert
    box = alert.bounding_box()
    assert box is not None
    top = ada.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).id",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert top == "sheet-error"
    shot(ada, f"sheet-limit-error-{size_name(size)}")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    # the next sheet opens clean
    ada.get_by_role("button", name="Queue Amazing Grace").click()
    expect(dialog.get_by_role("alert")).to_be_hidden()


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_add_to_queue_stays_in_sight_and_the_guide_level_shows_its_number(
    browser, served, size
) -> None:  # type: ignore[no-untyped-def]
    ada = open_phone(browser, served.url, size)
    join(ada, "Ada")
    ada.get_by_role("searchbox", name="Search songs").fill("grace")
    ada.get_by_role("button", name="Queue Amazing Grace").click()
    dialog = ada.get_by_role("dialog", name="Queue Amazing Grace")
    expect(dialog.get_by_role("slider")).not_to_have_count(0)
    sliders = dialog.get_by_role("slider").count()
    assert sliders >= 4, f"the stem song shows {sliders} sliders"
    add = dialog.get_by_role("button", name="Add to queue")
    assert in_view(ada, add), "Add to queue must be reachable without scrolling"
    guide = dialog.get_by_role("slider", name="Guide level 100%")
    expect(guide).to_have_count(1)
    guide.fill("40")
    expect(dialog.get_by_text("Guide level 40%")).to_be_visible()
    shot(ada, f"sheet-add-in-sight-{size_name(size)}")
    # scrolled to the last slider, the button is still there
    dialog.get_by_role("slider").last.scroll_into_view_if_needed()
    assert in_view(ada, add)
    add.click()
    expect(dialog).to_be_hidden()
    entries = served.box.core.snapshot().upcoming
    assert [e.song.title for e in entries] == ["Amazing Grace"]
    assert entries[0].entry.settings.guide_level == pytest.approx(0.4)
