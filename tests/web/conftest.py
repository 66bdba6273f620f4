"""Fixtures of the web remote's tests: a real core over a real store on a temp file, the demo
library (or, until the demo generator exists, hand-written song folders) scanned into it, a
SilentPlayer keeping time on its thread, and the remote served by waitress on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from appliance.core.catalog import Catalog
from appliance.core.config import RotationConfig
from appliance.core.paths import database_path
from appliance.core.ports import SystemClock
from appliance.core.service import Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.store import Store
from appliance.library.scanning.scanner import scan_library
from appliance.library.songfolder.manifest import write_manifest
from tests.support.context import FakeBox
from tests.support.phones import CHROMIUM, CHROMIUM_ARGS, PIN
from tests.support.waiting import wait_until_answers
from web_remote.app import create_app
from web_remote.remote import RemoteOptions
from web_remote.server import WebServer

FALLBACK_SONGS = (
    ("amazing-grace", "Amazing Grace", "Traditional", "G", 96.0, True),
    ("scarborough-fair", "Scarborough Fair", "Traditional", "Em", 110.0, True),
    ("oh-susanna", "Oh! Susanna", "Stephen Foster", "F", 84.0, True),
    ("camptown-races", "Camptown Races", "Stephen Foster", "D", 70.0, True),
    ("greensleeves", "Greensleeves", "Traditional", "Am", 120.0, False),
)


def write_fallback_library(root: Path) -> None:
    """Native song folders with empty stem files (the SilentPlayer only checks they exist)."""
    for folder, title, artist, key, duration, stems in FALLBACK_SONGS:
        path = root / folder
        path.mkdir(parents=True)
        roles = ("drums", "bass", "keys", "lead_vocal") if stems else ("mix",)
        for role in roles:
            (path / f"{role}.flac").write_bytes(b"")
        write_manifest(
            path,
            {
                "id": f"demo-{folder}",
                "title": title,
                "artist": artist,
                "key": key,
                "duration_s": duration,
                "stems": [{"name": r, "file": f"{r}.flac", "role": r} for r in roles],
            },
        )


@pytest.fixture(scope="session")
def web_library(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo library (session fixture ``demo_library`` when the suite has one)."""
    try:
        return Path(request.getfixturevalue("demo_library"))
    except pytest.FixtureLookupError:
        pass
    root = tmp_path_factory.mktemp("web-library")
    try:
        from appliance.demosongs import build_demo_library  # type: ignore[attr-defined]
    except ImportError:
        write_fallback_library(root)
    else:
        build_demo_library(root)
    return root


def make_box(state_dir: Path, library: Path, countdown_s: float = 600.0) -> FakeBox:
    """A real core over a store on a temp file, the library scanned in, time kept silently."""
    store = Store.open(database_path(state_dir))
    report = scan_library(str(library), Catalog(store))
    assert report.added > 0, report.summary()
    clock = SystemClock()
    player = SilentPlayer(clock)
    player.start()
    core = Core(store, player, clock=clock, rotation=RotationConfig(countdown_s=countdown_s))
    return FakeBox(core, player, store=store, state_dir=state_dir).run_core()


def remote_options(box: FakeBox, state_dir: Path, **overrides: object) -> RemoteOptions:
    """Options with recorders for power and rescan."""

    values: dict[str, object] = {
        "state_dir": state_dir,
        "pin": PIN,
        "power": box.power_calls.append,
        "rescan": box.library.rescan,
        "public_url": lambda: "http://192.168.1.20:8080/",
        "heartbeat_s": 2.0,
    }
    values.update(overrides)
    return RemoteOptions(**values)  # type: ignore[arg-type]


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


@dataclass
class Served:
    """The remote served by waitress on 127.0.0.1."""

    url: str
    box: FakeBox
    server: WebServer


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


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless Chromium for the module (each test opens its own contexts)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    with pytest.importorskip("playwright.sync_api").sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
