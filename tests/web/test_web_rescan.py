"""The phone's Rescan, through the real web part of the box: a song it adds is measured for
loudness like one found at start-up, so it plays normalised."""

from __future__ import annotations

import socket
from pathlib import Path

import requests

from appliance.app import Box as ApplianceBox
from appliance.app import library_service
from appliance.core.catalog import Catalog
from appliance.core.config import Config, StateConfig, WebConfig
from appliance.core.events import EventBus
from tests.support.audio_songs import make_song, tone
from tests.support.phones import PIN
from tests.support.waiting import eventually
from tests.web.conftest import Box
from web_remote import part


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_phone_rescan_measures_the_loudness_of_the_songs_it_adds(box: Box, tmp_path: Path) -> None:
    library = tmp_path / "songs"
    make_song(library / "tone", {"mix": ("mix", tone(440, 2.0))})  # no loudness in song.toml
    config = Config(
        state=StateConfig(state_dir=str(tmp_path / "state")),
        web=WebConfig(host="127.0.0.1", pin=PIN),
    )
    bus = EventBus()
    appliance = ApplianceBox(
        config=config,
        store=box.store,
        bus=bus,
        library=library_service(box.store, bus, [library]),
        core=box.core,
        options={"port": free_port()},
    )
    started = part.start(appliance)
    assert started is not None
    try:
        phone = requests.Session()
        url = appliance.public_url
        csrf = {"X-CSRF-Token": phone.get(url + "api/session", timeout=5).json()["csrf_token"]}
        assert phone.post(url + "api/host/login", json={"pin": PIN}, headers=csrf).ok
        assert phone.post(url + "api/library/rescan", headers=csrf).status_code == 202
        catalog, folder = Catalog(box.store), str((library / "tone").resolve())
        assert eventually(lambda: catalog.by_path(folder) is not None, 30), "never added"
        song = catalog.by_path(folder)
        assert song is not None
        assert song.loudness_lufs is not None and -30 < song.loudness_lufs < -5
    finally:
        started.stop()
        appliance.bus.close()
