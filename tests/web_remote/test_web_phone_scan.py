"""Guests who join during the library's first scan, at 320x568 and 390x844 (issue 13, point 3):
the search view shows the scan's progress and the songs as they arrive, with no reload, and
"The library is empty." never stays. A real LibraryService scans the demo library into the
core's store, announcing on the core's bus; its loudness meter (the slow part on a Pi) is held
by the test to pace the scan, one song at a time."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.core.catalog import Catalog
from appliance.core.config import RotationConfig
from appliance.core.events import EventBus
from appliance.core.models import Song
from appliance.core.paths import database_path
from appliance.core.ports import SystemClock
from appliance.core.service import Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.store import Store
from appliance.library import service as library_service
from appliance.library.scanning import scanner
from tests.support.context import FakeBox
from tests.support.phones import BROWSER_TESTS, SIZES, join, open_phone, shot, size_name
from tests.support.waiting import wait_until_answers
from tests.support.web_rig import remote_options
from web_remote.app import create_app
from web_remote.server import WebServer

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = BROWSER_TESTS


class PacedScan:
    """The remote over an empty night, and a scan that measures a song only when let."""

    def __init__(self, state_dir: Path, library: Path) -> None:
        self.allowed = threading.Semaphore(0)
        store = Store.open(database_path(state_dir))
        bus = EventBus()
        clock = SystemClock()
        player = SilentPlayer(clock)
        player.start()
        core = Core(store, player, clock=clock, bus=bus, rotation=RotationConfig(countdown_s=600))
        self.box = FakeBox(core, player, store=store, state_dir=state_dir).run_core()
        self.library = library_service.LibraryService(
            Catalog(store), roots=[library], measure_loudness=self.meter, announce=bus.publish
        )
        app = create_app(core, remote_options(self.box, state_dir, rescan=self.library.rescan))
        self.server = WebServer(app, "127.0.0.1", 0, max_streams=32)
        self.server.start()
        self.url = f"http://127.0.0.1:{self.server.port}"
        wait_until_answers(self.url + "/api/state")

    def meter(self, song: Song) -> float:
        assert self.allowed.acquire(timeout=30), "the test never let the scan on"
        return -14.0

    def let(self, songs: int) -> None:
        for _ in range(songs):
            self.allowed.release()

    def close(self) -> None:
        self.let(100)
        self.server.stop()
        self.box.close()


@pytest.fixture()
def paced(tmp_path: Path, web_library: Path, monkeypatch) -> Iterator[PacedScan]:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(scanner, "BATCH_SIZE", 1)  # each song lands as it is read
    monkeypatch.setattr(library_service, "PROGRESS_EVERY", 1)
    rig = PacedScan(tmp_path, web_library)
    yield rig
    rig.close()


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_songs_appear_while_the_first_scan_runs(browser, paced, size) -> None:  # type: ignore[no-untyped-def]
    ada = open_phone(browser, paced.url, size)
    join(ada, "Ada")
    results = ada.get_by_role("list", name="All songs")
    expect(results.get_by_text("The library is empty.")).to_be_visible()
    paced.library.scan_in_background()
    paced.let(1)
    status = ada.locator("#scan-status")
    expect(status).to_have_text(re.compile(r"Scanning the library: 1 of \d+ files"))
    expect(results.get_by_role("button", name=re.compile("^Queue "))).to_have_count(1)
    paced.let(2)
    expect(results.get_by_role("button", name=re.compile("^Queue "))).to_have_count(3)
    expect(status).to_contain_text("3 of ")
    shot(ada, f"scan-progress-{size_name(size)}")
    paced.let(100)
    expect(status).to_be_hidden()
    expect(results.get_by_role("button", name="Queue Amazing Grace")).to_be_visible()
    expect(results.get_by_role("button", name=re.compile("^Queue "))).to_have_count(6)  # the demo
