"""The library service: every scan measures loudness and is announced, one scan at a time, a
root that fails does not stop the others, and a folder that goes away takes its songs along."""

from __future__ import annotations

import threading
from pathlib import Path

from appliance.core.events import LibraryChanged
from appliance.core.models import Song
from appliance.library.service import LibraryService
from tests.support.memory_catalog import MemoryCatalog
from tests.support.song_folders import make_song
from tests.support.waiting import eventually


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
    assert eventually(lambda: any(e.message.startswith("Library songs") for e in heard), 10)
    assert heard[0].message.startswith("Scan of missing failed: ")
    assert eventually(library.rescan, 10)


def test_a_stick_is_added_scanned_and_forgotten_with_its_songs(tmp_path: Path) -> None:
    stick = tmp_path / "usb0"
    make_song(stick / "Grace")
    catalog, heard = MemoryCatalog(), []
    library = LibraryService(catalog, roots=[tmp_path / "songs"], announce=heard.append)
    library.add_root(stick)
    assert library.roots == [tmp_path / "songs", stick]
    assert eventually(lambda: any(e.message.startswith("Library usb0") for e in heard), 10)
    assert len(catalog.songs) == 1
    library.remove_root(stick)
    assert library.roots == [tmp_path / "songs"] and catalog.songs == {}
    assert heard[-1].message == "Songs on usb0 removed"
