"""The host's phone shows what the scan could not index: a hostile library (tests/support/
hostile_library.py) is scanned, and the Host tab's Library card in headless Chromium lists the
same failures, path (inside its library root) and reason, page by page, as the scan reported
them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.core.catalog import Catalog
from appliance.core.paths import database_path
from appliance.core.store import Store
from appliance.library.scanning.report import ScanReport
from appliance.library.scanning.scanner import scan_library
from tests.support.context import FakeBox
from tests.support.hostile_library import build_hostile_library
from tests.support.phones import PIN, open_phone, shot, tab
from tests.support.web_rig import make_box

SETS = 3  # 27 failures: two pages of 25


@pytest.fixture()
def first_scan(tmp_path: Path) -> tuple[Path, ScanReport]:
    root = tmp_path / "songs"
    build_hostile_library(root, SETS)
    store = Store.open(database_path(tmp_path / "state"))
    try:
        return root, scan_library(root, Catalog(store))
    finally:
        store.close()


@pytest.fixture()
def box(first_scan: tuple[Path, ScanReport], tmp_path: Path) -> Iterator[FakeBox]:
    made = make_box(tmp_path / "state", first_scan[0])
    yield made
    made.close()


def test_the_library_card_lists_every_failure_page_by_page(browser, served, first_scan) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    root, report = first_scan
    wanted = sorted((f.path[len(f"{root}/") :], f.reason) for f in report.failures)
    assert len(wanted) == 9 * SETS
    host = open_phone(browser, served.url)
    tab(host, "Host")
    host.get_by_label("Host PIN").fill(PIN)
    host.get_by_role("button", name="Enter").click()
    count = host.locator("#problems-count")
    expect(count).to_have_text(f"Not indexed: {len(wanted)} (showing 1–25)")
    expect(host.locator(".scan-summary")).to_contain_text(report.files_summary())
    shown = _rows(host)
    host.locator("#problems-count").scroll_into_view_if_needed()
    shot(host, "09-host-library-problems")
    host.get_by_role("button", name="Next problems").click()
    expect(count).to_have_text(f"Not indexed: {len(wanted)} (showing 26–{len(wanted)})")
    shown += _rows(host)
    assert sorted(shown) == wanted
    expect(host.get_by_role("button", name="Next problems")).to_be_disabled()


def _rows(page) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    items = page.locator("#library-problems li")
    paths = items.locator(".problem-path").all_inner_texts()
    reasons = items.locator(".problem-reason").all_inner_texts()
    return list(zip(paths, reasons, strict=True))
