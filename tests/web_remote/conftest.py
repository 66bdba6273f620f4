"""Fixtures of the web remote's tests: a real core over a real store on a temp file, the demo
library (or, until the demo generator exists, hand-written song folders) scanned into it, a
SilentPlayer keeping time on its thread, and the remote served by waitress on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.context import FakeBox
from tests.support.phones import CHROMIUM, CHROMIUM_ARGS
from tests.support.waiting import wait_until_answers
from tests.support.web_rig import Served, make_box, remote_options
from web_remote.app import create_app
from web_remote.server import WebServer


@pytest.fixture(scope="session")
def web_library(demo_library: Path) -> Path:
    """The synthesized demo library (built once per session by the root conftest)."""
    return demo_library


@pytest.fixture()
def box(tmp_path: Path, web_library: Path) -> Iterator[FakeBox]:
    """A core for one test."""
    made = make_box(tmp_path, web_library)
    yield made
    made.close()


@pytest.fixture()
def app(box: FakeBox, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The Flask app over the test's core."""
    application = create_app(box.core, remote_options(box, tmp_path))
    yield application
    application.extensions["karaoke"].broadcaster.close()


@pytest.fixture()
def served(box: FakeBox, tmp_path: Path) -> Iterator[Served]:
    """waitress on a free port of 127.0.0.1."""
    application = create_app(box.core, remote_options(box, tmp_path))
    server = WebServer(application, "127.0.0.1", 0, max_streams=32)
    server.start()
    url = f"http://127.0.0.1:{server.port}"
    wait_until_answers(url + "/api/state")
    yield Served(url, box, server)
    server.stop()


@pytest.fixture()
def scoring_served(tmp_path: Path, web_library: Path) -> Iterator[Served]:
    """The remote over a core that scores songs with the library's notes, as the box does."""
    from appliance.library.formats.score_sheet import load_score_sheet

    made = make_box(tmp_path, web_library, sheets=load_score_sheet)
    server = WebServer(create_app(made.core, remote_options(made, tmp_path)), "127.0.0.1", 0)
    server.start()
    url = f"http://127.0.0.1:{server.port}"
    wait_until_answers(url + "/api/state")
    yield Served(url, made, server)
    server.stop()
    made.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for the module (each test opens its own contexts)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    with pytest.importorskip("playwright.sync_api").sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
