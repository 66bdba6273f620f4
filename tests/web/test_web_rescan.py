"""The phone's Rescan, through the real web part of the box: a song it adds is measured for
loudness like one found at start-up, so it plays normalised."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import numpy as np
import requests
import soundfile as sf

from appliance.app import Box as ApplianceBox
from appliance.app import library_service
from appliance.core.catalog import Catalog
from appliance.core.config import Config, StateConfig, WebConfig
from appliance.core.events import EventBus
from appliance.library.songfolder.manifest import write_manifest
from tests.web.conftest import PIN, Box
from web_remote import part


def write_tone_song(folder: Path) -> None:
    """A native song of two seconds of a 440 Hz tone, with no measured loudness."""
    folder.mkdir(parents=True)
    seconds = np.arange(2 * 48000) / 48000
    tone = (0.2 * np.sin(2 * np.pi * 440 * seconds)).astype("float32")
    sf.write(folder / "mix.flac", np.column_stack([tone, tone]), 48000)
    write_manifest(
        folder,
        {
            "id": "rescan-tone",
            "title": "Rescan Tone",
            "artist": "Test",
            "duration_s": 2.0,
            "stems": [{"name": "mix", "file": "mix.flac", "role": "mix"}],
        },
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_phone_rescan_measures_the_loudness_of_the_songs_it_adds(box: Box, tmp_path: Path) -> None:
    library = tmp_path / "songs"
    write_tone_song(library / "tone")
    config = Config(
        state=StateConfig(state_dir=str(tmp_path / "state")),
        web=WebConfig(host="127.0.0.1", pin=PIN),
    )
    bus = EventBus()
    appliance = ApplianceBox(
        config=config,
        store=box.core.store,
        bus=bus,
        library=library_service(box.core.store, bus, [library]),
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
        catalog, deadline = Catalog(box.core.store), time.monotonic() + 30
        while (song := catalog.find("rescan-tone")) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert song is not None, "the rescan never added the song"
        assert song.loudness_lufs is not None and -30 < song.loudness_lufs < -5
    finally:
        started.stop()
        appliance.bus.close()
