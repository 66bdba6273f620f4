"""A library as people really have it (issue 12): a few hundred songs mixing every hostile
case, scanned into the real SQLite catalog. Nothing is lost in silence: the counts add up to the
files seen, each failure names its file and a reason, the ids are unique, a rescan opens no
file, and ``karaoke doctor`` and the host's phone show the same failures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import astuple
from pathlib import Path

import pytest

from appliance.commands.doctor import scan_checks
from appliance.core.catalog import Catalog
from appliance.core.paths import database_path
from appliance.core.store import Store
from appliance.library.scanning.report import ScanReport
from appliance.library.scanning.scanner import scan_library
from tests.support.context import FakeBox
from tests.support.hostile_library import Expected, build_hostile_library
from tests.support.opens import OpenCounter
from tests.support.phones import Phone
from tests.support.web_rig import make_box, remote_options
from web_remote.app import create_app

SETS = 16


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Expected, ScanReport]:
    base = tmp_path_factory.mktemp("hostile")
    root = base / "songs"
    expected = build_hostile_library(root, SETS)
    store = Store.open(database_path(base / "state"))
    try:
        report = scan_library(root, Catalog(store))
    finally:
        store.close()
    return root, expected, report


def _files_under(root: Path) -> int:
    return sum(len([n for n in files if not n.startswith(".")]) for _, _, files in os.walk(root))


def test_every_file_seen_is_in_a_song_a_failure_or_counted_other(scanned) -> None:
    root, expected, report = scanned
    assert report.files.seen == _files_under(root)
    assert report.files.adds_up, report.files_summary()
    assert report.added == len(expected.indexed) >= 200
    assert report.files.other == 3 * SETS  # sounds/x.wav (used by a song elsewhere), jpg, readme


def test_each_failure_names_its_file_and_a_reason_once(scanned) -> None:
    _, expected, report = scanned
    reasons = {failure.path: failure.reason for failure in report.failures}
    assert set(reasons) == set(expected.failed)
    for path, fragment in expected.failed.items():
        assert fragment in reasons[path], (path, reasons[path])
        assert path not in reasons[path]  # the path is printed once, by whoever prints it


def test_ids_are_unique_and_every_expected_song_is_in_the_catalog(scanned) -> None:
    root, expected, _ = scanned
    store = Store.open(database_path(root.parent / "state"))
    try:
        songs = Catalog(store).list_all(limit=10_000)
    finally:
        store.close()
    assert {song.path for song in songs} == expected.indexed
    assert len({song.song_id for song in songs}) == len(songs)
    by_path = {song.path: song.song_id for song in songs}
    jay = [by_path[p] for p in expected.indexed if "周杰伦/" in p and p.endswith(".txt")]
    assert len(jay) == len(set(jay)) == 2 * SETS


def test_a_rescan_opens_no_file_and_keeps_the_failures(scanned) -> None:
    root, _, first = scanned
    store = Store.open(database_path(root.parent / "state"))
    try:
        with OpenCounter(root) as opens:
            again = scan_library(root, Catalog(store))
    finally:
        store.close()
    assert opens.paths == []
    assert (again.added, again.updated, again.unchanged) == (0, 0, first.added)
    assert again.files == first.files
    assert sorted(map(astuple, again.failures)) == sorted(map(astuple, first.failures))


def test_doctor_lists_the_failures(scanned) -> None:
    root, expected, _ = scanned
    store = Store.open(database_path(root.parent / "state"))
    try:
        checks = scan_checks(Catalog(store).scan_log.page(0, 1000))
    finally:
        store.close()
    lines = [check.line() for check in checks]
    assert any(f"{len(expected.failed)} song file(s)" in line for line in lines)
    for path in expected.failed:
        assert any(path in line for line in lines), path
    assert any("files seen" in line and "other (not songs)" in line for line in lines)


@pytest.fixture()
def box(scanned, tmp_path: Path) -> Iterator[FakeBox]:
    root, _, _ = scanned
    made = make_box(root.parent / "state", root)
    yield made
    made.close()


def test_the_hosts_phone_shows_the_same_list_page_by_page(scanned, box, tmp_path) -> None:
    _, _, report = scanned
    app = create_app(box.core, remote_options(box, tmp_path))
    try:
        guest, host = Phone(app, "10.0.0.3"), Phone(app)
        assert guest.get("/api/library/problems").status_code == 403
        host.login()
        seen: list[tuple[str, str]] = []
        offset = 0
        while True:
            page = host.get(f"/api/library/problems?limit=50&offset={offset}").json
            seen += [(p["path"], p["reason"]) for p in page["problems"]]
            offset += 50
            if offset >= page["total"]:
                break
        assert sorted(seen) == sorted((f.path, f.reason) for f in report.failures)
        [scan] = page["scans"]
        assert scan["files_summary"] == report.files_summary()
        assert host.get("/api/library/problems?limit=0").status_code == 422  # a 4xx, with why
    finally:
        app.extensions["karaoke"].broadcaster.close()


def test_every_indexed_songs_audio_is_where_the_player_will_look(scanned) -> None:
    from appliance.audio.sources.locate import stem_source

    root, _, _ = scanned
    store = Store.open(database_path(root.parent / "state"))
    try:
        songs = Catalog(store).list_all(limit=10_000)
    finally:
        store.close()
    refs = [stem_source(song, stem) for song in songs for stem in song.stems]
    assert refs and all(os.path.isfile(ref.path) for ref in refs)
    relative = [song for song in songs if any(s.file.startswith("../") for s in song.stems)]
    assert len(relative) == SETS  # rel/in/Inside.txt -> ../../sounds/x.wav
