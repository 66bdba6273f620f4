"""The "Vocal reduction" switch in a real browser: offered for a song without stems only."""

from __future__ import annotations

import pytest

from appliance.core.catalog import Catalog
from appliance.core.models import Song, SongId, Stem, StemRole
from tests.support.phones import BROWSER_TESTS, join, open_phone

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = BROWSER_TESTS


def test_the_vocal_reduction_switch_is_offered_for_a_mix_only_song(browser, served) -> None:  # type: ignore[no-untyped-def]
    mix_only = Song(
        SongId("mp3g-lonesome-road"), "Lonesome Road", "Nobody", 100.0, "/nowhere/road.mp3",
        stems=(Stem("mix", StemRole.MIX, "road.mp3"),),
    )  # fmt: skip
    Catalog(served.box.store).upsert_songs([(mix_only, "sig-road")])
    ada = open_phone(browser, served.url)
    join(ada, "Ada")
    search = ada.get_by_role("searchbox", name="Search songs")
    search.fill("grace")
    ada.get_by_role("button", name="Queue Amazing Grace").click()
    dialog = ada.get_by_role("dialog", name="Queue Amazing Grace")
    expect(dialog.get_by_role("switch", name="Guide vocal")).to_be_visible()
    expect(dialog.get_by_role("switch", name="Vocal reduction")).to_have_count(0)
    ada.keyboard.press("Escape")
    search.fill("lonesome")
    ada.get_by_role("button", name="Queue Lonesome Road").click()
    dialog = ada.get_by_role("dialog", name="Queue Lonesome Road")
    dialog.get_by_role("switch", name="Vocal reduction").check()
    expect(dialog.get_by_role("switch", name="Guide vocal")).to_have_count(0)
    dialog.get_by_role("button", name="Add to queue").click()
    expect(dialog).to_be_hidden()
    entries = served.box.core.snapshot().upcoming
    assert [e.song.title for e in entries] == ["Lonesome Road"]
    assert entries[0].entry.settings.vocal_reduction is True
