"""Every way a song enters the catalog measures its loudness (so it plays normalised):
``karaoke scan`` and a USB stick plugged into the running box, both through the composition
root's one library service (the phone's Rescan: tests/web/test_web_rescan.py)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from appliance.app import Box, library_service
from appliance.cli import main
from appliance.core.catalog import Catalog
from appliance.core.config import Config
from appliance.core.events import EventBus
from appliance.core.store import Store
from appliance.library.songfolder.manifest import write_manifest

SONG_ID = "loudness-tone"


def write_tone_song(folder: Path) -> None:
    """Two seconds of a 440 Hz tone as a native song with no measured loudness."""
    folder.mkdir(parents=True)
    seconds = np.arange(2 * 48000) / 48000
    tone = (0.2 * np.sin(2 * np.pi * 440 * seconds)).astype("float32")
    sf.write(folder / "mix.flac", np.column_stack([tone, tone]), 48000)
    stems = [{"name": "mix", "file": "mix.flac", "role": "mix"}]
    write_manifest(
        folder, {"id": SONG_ID, "title": "Tone", "artist": "", "duration_s": 2.0, "stems": stems}
    )


def assert_measured(store: Store) -> None:
    song = Catalog(store).find(SONG_ID)
    assert song is not None, "the song was not catalogued"
    assert song.loudness_lufs is not None and -30 < song.loudness_lufs < -5


def test_karaoke_scan_measures_loudness(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tone_song(tmp_path / "songs" / "tone")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[library]\npaths = ["{tmp_path / "songs"}"]\n[state]\nstate_dir = "{tmp_path}"\n'
    )
    monkeypatch.delenv("KARAOKE_STATE_DIR", raising=False)
    assert main(["--config", str(config), "scan"]) == 0
    store = Store.open(tmp_path / "karaoke.sqlite3")
    try:
        assert_measured(store)
    finally:
        store.close()


def test_a_usb_stick_is_measured(tmp_path: Path) -> None:
    stick = tmp_path / "usb0"
    write_tone_song(stick / "tone")
    store, bus = Store.open_memory(), EventBus()
    box = Box(config=Config(), store=store, bus=bus, library=library_service(store, bus))
    try:
        box.add_library_root(stick)
        deadline = time.monotonic() + 30
        while Catalog(store).find(SONG_ID) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert_measured(store)
        assert box.library_roots == [stick]
    finally:
        bus.close()
        store.close()
