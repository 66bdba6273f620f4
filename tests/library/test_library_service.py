"""The library service: every scan measures loudness and is announced, one scan at a time, a
root that fails does not stop the others, and a folder that goes away takes its songs along."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from library_helpers import make_song
from library_memcatalog import MemoryCatalog

from appliance.core.events import LibraryChanged
from appliance.core.models import Song
from appliance.library.service import LibraryService


def wait_for(condition, timeout_s: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_scanned_song_is_measured_and_the_scan_announced(tmp_path: Path) -> None:
    make_song(tmp_path / "songs" / "Grace")
    catalog, heard = MemoryCatalog(), []
    library = LibraryService(catalog, measure_loudness=lambda song: -14.0, announce=heard.append)
    report = library.scan_root(tmp_path / "songs")
    assert report.added == 1
    assert [song.loudness_lufs for song in catalog.songs.values()] == [-14.0]
    assert [event.message for event in heard] == [
        "Scanning songs: 1/1",
        "Library songs: 1 added, 0 updated, 0 unchanged, 0 removed, 0 failed",
    ]
    assert (heard[0].done, heard[0].total) == (1, 1)


def test_rescan_refuses_while_a_scan_runs_and_a_failing_root_does_not_stop_the_others(
    tmp_path: Path,
) -> None:
    make_song(tmp_path / "songs" / "Grace")
    measuring, release = threading.Event(), threading.Event()

    def slow_meter(song: Song) -> float:
        measuring.set()
        release.wait(10)
        return -14.0

    heard: list[LibraryChanged] = []
    library = LibraryService(
        MemoryCatalog(),
        roots=[tmp_path / "missing", tmp_path / "songs"],
        measure_loudness=slow_meter,
        announce=heard.append,
    )
    assert library.rescan()
    assert measuring.wait(10)
    assert not library.rescan()
    release.set()
    wait_for(lambda: any(event.message.startswith("Library songs") for event in heard))
    assert heard[0].message.startswith("Scan of missing failed: ")
    wait_for(library.rescan)


def test_a_stick_is_added_scanned_and_forgotten_with_its_songs(tmp_path: Path) -> None:
    stick = tmp_path / "usb0"
    make_song(stick / "Grace")
    catalog, heard = MemoryCatalog(), []
    library = LibraryService(catalog, roots=[tmp_path / "songs"], announce=heard.append)
    library.add_root(stick)
    assert library.roots == [tmp_path / "songs", stick]
    wait_for(lambda: any(event.message.startswith("Library usb0") for event in heard))
    assert len(catalog.songs) == 1
    library.remove_root(stick)
    assert library.roots == [tmp_path / "songs"] and catalog.songs == {}
    assert heard[-1].message == "Songs on usb0 removed"
