"""The hostile-guest tests: the real remote (waitress) on loopback, several loopback addresses
standing in for several phones (tests/support/loopback.py). The fixtures of tests/web_remote
(``box``, ``served``) apply; ``phone`` makes a phone at an address with its session open."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.context import FakeBox
from tests.support.loopback import LoopbackPhone
from tests.support.waiting import wait_until_answers
from tests.support.web_rig import Served, remote_options
from web_remote.app import create_app
from web_remote.connections import ConnectionLimits
from web_remote.server import WebServer


@pytest.fixture()
def phone(served: Served) -> Callable[[str], LoopbackPhone]:
    """``phone("127.0.0.3")``: a phone at that address, session opened."""

    def make(address: str) -> LoopbackPhone:
        return LoopbackPhone(served.url, address).open_session()

    return make


@pytest.fixture()
def serve(box: FakeBox, tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """``serve(per_address=5, ...)``: the remote with these ConnectionLimits (on 127.0.0.1)."""
    servers: list[WebServer] = []

    def start(**limits: float) -> Served:
        app = create_app(box.core, remote_options(box, tmp_path))
        server = WebServer(app, "127.0.0.1", 0, max_streams=32, limits=ConnectionLimits(**limits))  # type: ignore[arg-type]
        server.start()
        servers.append(server)
        url = f"http://127.0.0.1:{server.port}"
        wait_until_answers(url + "/api/state")
        return Served(url, box, server)

    yield start
    for server in servers:
        server.stop()
