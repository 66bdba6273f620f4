"""Every way a song enters the catalog measures its loudness (so it plays normalised):
``karaoke scan`` and a USB stick plugged into the running box, both through the composition
root's one library service (the phone's Rescan: tests/web_remote/test_web_rescan.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.app import library_service
from appliance.cli import main
from appliance.core.catalog import Catalog
from appliance.core.events import EventBus
from appliance.core.paths import database_path
from appliance.core.store import Store
from tests.support.audio_songs import make_song, tone
from tests.support.waiting import eventually


def write_tone_song(folder: Path) -> None:
    """Two seconds of a 440 Hz tone as a native song with no measured loudness."""
    make_song(folder, {"mix": ("mix", tone(440, 2.0))})


def measured(store: Store, folder: Path) -> float | None:
    song = Catalog(store).by_path(str(folder.resolve()))
    return None if song is None else song.loudness_lufs


def assert_measured(store: Store, folder: Path) -> None:
    lufs = measured(store, folder)
    assert lufs is not None and -30 < lufs < -5, "not catalogued, or not measured"


def test_karaoke_scan_measures_loudness(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tone_song(tmp_path / "songs" / "tone")
    config = tmp_path / "config.toml"
    config.write_text(
        f'[library]\npaths = ["{tmp_path / "songs"}"]\n[state]\nstate_dir = "{tmp_path}"\n'
    )
    monkeypatch.delenv("KARAOKE_STATE_DIR", raising=False)
    assert main(["--config", str(config), "scan"]) == 0
    store = Store.open(database_path(tmp_path))
    try:
        assert_measured(store, tmp_path / "songs" / "tone")
    finally:
        store.close()


def test_a_usb_stick_is_measured(tmp_path: Path) -> None:
    stick = tmp_path / "usb0"
    write_tone_song(stick / "tone")
    store, bus = Store.open_memory(), EventBus()
    library = library_service(store, bus)  # the box's, given to the system part as its Library
    try:
        library.add_root(stick)  # what the system part does when a stick is mounted
        eventually(lambda: measured(store, stick / "tone") is not None, 30)
        assert_measured(store, stick / "tone")
        assert library.roots == [stick]
    finally:
        bus.close()
        store.close()


def test_karaoke_scan_keeps_the_loudness_without_the_guide_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "songs" / "sung"
    make_song(folder, {"band": ("keys", tone(220, 2.0)), "vox": ("lead_vocal", tone(523, 2.0))})
    config = tmp_path / "config.toml"
    config.write_text(
        f'[library]\npaths = ["{tmp_path / "songs"}"]\n[state]\nstate_dir = "{tmp_path}"\n'
    )
    monkeypatch.delenv("KARAOKE_STATE_DIR", raising=False)
    assert main(["--config", str(config), "scan"]) == 0
    store = Store.open(database_path(tmp_path))
    try:
        song = Catalog(store).by_path(str(folder.resolve()))
    finally:
        store.close()
    assert song is not None and song.loudness_lufs is not None
    assert song.loudness_no_guide_lufs is not None
    assert song.loudness_lufs - song.loudness_no_guide_lufs == pytest.approx(3.0, abs=0.2)
