"""Browsing on a phone as guests do (Debian's Chromium, Playwright) at 320x568 and 390x844:
"All songs" is alphabetical by title, and an artist with a "/" in the name (AC/DC) opens.
Screenshots go to tests/artifacts/web/."""

from __future__ import annotations

from dataclasses import replace

import pytest

from appliance.core.catalog import Catalog, sort_key
from tests.support.cores import make_song
from tests.support.phones import BROWSER_TESTS, PHONE, join, shot

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = BROWSER_TESTS
SIZES = [(320, 568), (390, 844)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_all_songs_are_alphabetical_and_ac_dc_opens(browser, served, size) -> None:  # type: ignore[no-untyped-def]
    songs = [
        (replace(make_song(901, title="Thunderstruck Test"), artist="AC/DC"), "sig-901"),
        (replace(make_song(902, title="Ängel Test"), artist="Zed"), "sig-902"),
    ]
    Catalog(served.box.store).upsert_songs(songs)
    width, height = size
    context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": height}})
    page = context.new_page()
    try:
        page.goto(served.url + "/")
        join(page, "Ada")
        expect(page.locator("#results-title")).to_have_text("All songs")
        titles = page.locator("#results li .title")
        expect(titles.first).to_be_visible()
        shown = titles.all_inner_texts()
        assert "Thunderstruck Test" in shown and "Ängel Test" in shown
        assert shown == sorted(shown, key=lambda title: sort_key(title, "")), shown
        shot(page, f"browse-all-songs-{width}x{height}")
        page.get_by_role("button", name="Artists").click()
        page.get_by_role("button", name="Songs by AC/DC").click()
        expect(page.locator("#results-title")).to_have_text("AC/DC")
        expect(titles).to_have_text(["Thunderstruck Test"])
        shot(page, f"browse-artist-ac-dc-{width}x{height}")
    finally:
        context.close()
