"""The phone's Rescan, through the real web part of the box: a song it adds is measured for
loudness like one found at start-up, so it plays normalised."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import requests

from appliance.app import library_service
from appliance.core.catalog import Catalog
from appliance.core.events import EventBus
from tests.support.audio_songs import make_song, tone
from tests.support.context import FakeBox
from tests.support.phones import PIN
from tests.support.waiting import eventually
from web_remote import part
from web_remote.settings import WebConfig


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_phone_rescan_measures_the_loudness_of_the_songs_it_adds(
    box: FakeBox, tmp_path: Path
) -> None:
    library = tmp_path / "songs"
    make_song(library / "tone", {"mix": ("mix", tone(440, 2.0))})  # no loudness in song.toml
    assert box.store is not None
    bus = EventBus()
    settings = WebConfig(host="127.0.0.1", port=free_port(), pin=PIN, https_port=0)
    context = replace(box.context(settings), library=library_service(box.store, bus, [library]))
    started = part.start(context)
    assert started is not None
    try:
        phone = requests.Session()
        url = started.url
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
        bus.close()
