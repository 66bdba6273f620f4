"""The web remote's test rig: a real core over a real store on a temp file with a library
scanned in, time kept by a silent player on its thread (``make_box``); the remote's options
with recorders for power and rescan (``remote_options``); the remote served by waitress on
127.0.0.1 (``Served``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from appliance.core.catalog import Catalog
from appliance.core.config import RotationConfig
from appliance.core.paths import database_path
from appliance.core.ports import SystemClock
from appliance.core.service import Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.singing import SheetSource
from appliance.core.store import Store
from appliance.library.scanning.scanner import scan_library
from tests.support.context import FakeBox
from tests.support.phones import PIN
from web_remote.remote import RemoteOptions
from web_remote.server import WebServer


def make_box(
    state_dir: Path, library: Path, countdown_s: float = 600.0, sheets: SheetSource | None = None
) -> FakeBox:
    """A real core over a store on a temp file, the library scanned in, time kept silently;
    ``sheets`` gives songs their notes for scoring (None: nothing is scored)."""
    store = Store.open(database_path(state_dir))
    report = scan_library(str(library), Catalog(store))
    assert report.songs > 0, report.summary()
    clock = SystemClock()
    player = SilentPlayer(clock)
    player.start()
    rotation = RotationConfig(countdown_s=countdown_s)
    core = Core(store, player, clock=clock, rotation=rotation, sheets=sheets)
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


@dataclass
class Served:
    """The remote served by waitress on 127.0.0.1."""

    url: str
    box: FakeBox
    server: WebServer
