"""The library scanner: incremental rescans, vanished songs, broken folders, progress, loudness."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest

from appliance.core.errors import LibraryError, SongFormatError
from appliance.core.models import Song, SongId, SongKind
from appliance.library.formats.native import NativeFolderReader
from appliance.library.formats.songreader import FolderListing, SongCandidate, stat_signature
from appliance.library.scanning.scanner import scan_library
from tests.support.memory_catalog import MemoryCatalog
from tests.support.song_folders import make_song


class CountingNativeReader(NativeFolderReader):
    """The real native reader, counting the folders it reads."""

    def __init__(self) -> None:
        self.read_paths: list[str] = []

    def read(self, candidate: SongCandidate, library_root: str) -> Song:
        self.read_paths.append(candidate.path)
        return super().read(candidate, library_root)


class TextFileReader:
    """A foreign-format reader as another engineer would plug one in: one song per .txt."""

    name = "text"

    def find(self, listing: FolderListing) -> Iterable[SongCandidate]:
        for file_name in listing.files:
            if file_name.endswith(".txt"):
                path = listing.file_path(file_name)
                yield SongCandidate(path, stat_signature([path]), self)

    def read(self, candidate: SongCandidate, library_root: str) -> Song:
        title = Path(candidate.path).read_text(encoding="utf-8").strip()
        if not title:
            raise SongFormatError(candidate.path, "empty")
        return Song(SongId(f"txt-{title}"), title, "", 1.0, candidate.path, kind=SongKind.KAR)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "songs"
    make_song(root / "Folk" / "Amazing Grace")
    make_song(root / "Folk" / "Danny Boy", title="Danny Boy", id="danny")
    make_song(
        root / "Pop" / "Hit",
        title="Hit",
        stems=[{"name": "mix", "file": "s/m.flac", "role": "mix"}],
    )
    return root


def test_first_scan_adds_every_song_with_stable_ids(library: Path) -> None:
    catalog = MemoryCatalog()
    report = scan_library(library, catalog)
    assert (report.added, report.updated, report.unchanged, report.removed) == (3, 0, 0, 0)
    assert report.failures == []
    assert sorted(song.song_id for song in catalog.songs.values()) == [
        "danny",
        "folk-amazing-grace",
        "pop-hit",
    ]
    assert catalog.by_id("pop-hit").path == str(library / "Pop" / "Hit")
    assert report.summary() == "3 added, 0 updated, 0 unchanged, 0 removed, 0 failed"


def test_unchanged_songs_are_not_read_again(library: Path) -> None:
    catalog = MemoryCatalog()
    scan_library(library, catalog)
    calls_after_first = catalog.upsert_calls
    reader = CountingNativeReader()
    report = scan_library(library, catalog, readers=[reader])
    assert reader.read_paths == []
    assert catalog.upsert_calls == calls_after_first
    assert (report.added, report.updated, report.unchanged, report.removed) == (0, 0, 3, 0)


def test_a_changed_file_rereads_only_its_song(library: Path) -> None:
    catalog = MemoryCatalog()
    scan_library(library, catalog)
    stem = library / "Pop" / "Hit" / "s" / "m.flac"
    stem.write_bytes(b"a longer stem file")
    reader = CountingNativeReader()
    report = scan_library(library, catalog, readers=[reader])
    assert reader.read_paths == [str(library / "Pop" / "Hit")]
    assert (report.updated, report.unchanged) == (1, 2)


def test_an_edited_manifest_updates_the_song(library: Path) -> None:
    catalog = MemoryCatalog()
    scan_library(library, catalog)
    make_song(library / "Folk" / "Danny Boy", title="Danny Boy (Londonderry Air)", id="danny")
    os.utime(library / "Folk" / "Danny Boy" / "song.toml", ns=(1, 1))
    report = scan_library(library, catalog)
    assert report.updated == 1
    assert catalog.by_id("danny").title == "Danny Boy (Londonderry Air)"


def test_vanished_songs_are_removed(library: Path) -> None:
    catalog = MemoryCatalog()
    scan_library(library, catalog)
    shutil.rmtree(library / "Folk" / "Danny Boy")
    report = scan_library(library, catalog)
    assert (report.removed, report.unchanged) == (1, 2)
    assert str(library / "Folk" / "Danny Boy") not in catalog.songs


def test_a_moved_song_keeps_its_manifest_id(library: Path) -> None:
    catalog = MemoryCatalog()
    scan_library(library, catalog)
    (library / "Irish").mkdir()
    (library / "Folk" / "Danny Boy").rename(library / "Irish" / "Danny Boy")
    report = scan_library(library, catalog)
    assert (report.added, report.removed) == (1, 1)
    assert catalog.by_id("danny").path == str(library / "Irish" / "Danny Boy")


def test_a_broken_folder_is_reported_and_the_scan_goes_on(library: Path) -> None:
    make_song(library / "Bad" / "Typo", duration_s=-1)
    (library / "Bad" / "Junk").mkdir()
    (library / "Bad" / "Junk" / "song.toml").write_bytes(b"\x00\xff not toml")
    make_song(library / "Zed" / "Last", title="Last")
    catalog = MemoryCatalog()
    report = scan_library(library, catalog)
    assert report.added == 4
    failed = {failure.path: failure.reason for failure in report.failures}
    assert set(failed) == {str(library / "Bad" / "Typo"), str(library / "Bad" / "Junk")}
    assert "[duration_s]" in failed[str(library / "Bad" / "Typo")]
    assert "song.toml" in failed[str(library / "Bad" / "Junk")]
    make_song(library / "Bad" / "Typo", duration_s=10.0)
    again = scan_library(library, catalog)
    assert (again.added, again.unchanged, len(again.failures)) == (1, 4, 1)


def test_a_song_that_breaks_leaves_the_catalog(library: Path) -> None:
    catalog = MemoryCatalog()
    scan_library(library, catalog)
    (library / "Folk" / "Amazing Grace" / "drums.flac").unlink()
    report = scan_library(library, catalog)
    assert [failure.path for failure in report.failures] == [
        str(library / "Folk" / "Amazing Grace")
    ]
    assert "stems[0].file" in report.failures[0].reason
    assert report.removed == 1
    assert len(catalog.songs) == 2


def test_clashing_ids_are_told_apart_stably(library: Path) -> None:
    make_song(library / "Again" / "Danny", title="Other Danny", id="danny")
    make_song(library / "folk" / "amazing-grace")  # slug clashes with Folk/Amazing Grace
    catalog = MemoryCatalog()
    report = scan_library(library, catalog)
    assert report.failures == [] and report.added == 5
    assert len(report.warnings) == 2 and all("is taken" in w for w in report.warnings)
    assert not any("song.toml" in warning for warning in report.warnings)
    ids = {song.path: song.song_id for song in catalog.songs.values()}
    assert len(set(ids.values())) == 5
    assert catalog.by_id("danny").title == "Other Danny"  # first by path: "Again" < "Folk"
    assert ids[str(library / "Folk" / "Danny Boy")].startswith("danny-")
    assert catalog.by_id("folk-amazing-grace").path == str(library / "Folk" / "Amazing Grace")
    again = scan_library(library, catalog)
    assert again.unchanged == 5 and again.failures == []
    assert {song.path: song.song_id for song in catalog.songs.values()} == ids


def test_a_song_keeps_its_id_when_a_clashing_song_arrives_before_it(library: Path) -> None:
    catalog = MemoryCatalog()
    scan_library(library, catalog)
    make_song(library / "folk" / "amazing-grace", title="Newcomer")  # sorts before "Folk"
    (library / "Folk" / "Amazing Grace" / "song.toml").touch()  # re-read in the same scan
    os.utime(library / "Folk" / "Amazing Grace" / "song.toml", (1, 1))
    report = scan_library(library, catalog)
    assert report.added == 1 and report.updated == 1
    assert catalog.by_id("folk-amazing-grace").title == "Amazing Grace"
    newcomer = catalog.songs[str(library / "folk" / "amazing-grace")]
    assert newcomer.song_id.startswith("folk-amazing-grace-")


def test_progress_is_reported_for_folders_then_songs(library: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    scan_library(library, MemoryCatalog(), progress=lambda *call: calls.append(call))
    walking = [call for call in calls if call[1] == 0]
    songs = [call for call in calls if call[1] > 0]
    assert walking and walking[0][2] == str(library)
    assert [(done, total) for done, total, _ in songs] == [(1, 3), (2, 3), (3, 3)]
    assert songs[-1][2] == str(library / "Pop" / "Hit")


def test_loudness_is_measured_once_and_kept_in_the_catalog_only(library: Path) -> None:
    make_song(library / "Loud", title="Loud", loudness_lufs=-9.0)
    manifest = library / "Folk" / "Amazing Grace" / "song.toml"
    before = manifest.read_bytes()
    measured: list[str] = []

    def analyze(song: Song) -> float:
        measured.append(song.title)
        return -14.5

    catalog = MemoryCatalog()
    scan_library(library, catalog, analyze_loudness=analyze)
    assert sorted(measured) == ["Amazing Grace", "Danny Boy", "Hit"]
    assert catalog.by_id("folk-amazing-grace").loudness_lufs == -14.5
    assert catalog.by_id("loud").loudness_lufs == -9.0
    assert manifest.read_bytes() == before
    scan_library(library, catalog, analyze_loudness=analyze)
    assert len(measured) == 3


def test_a_failing_loudness_analyzer_only_warns(library: Path) -> None:
    def analyze(song: Song) -> float | None:
        if song.title == "Hit":
            raise RuntimeError("decoder broke")
        return None if song.title == "Danny Boy" else float("-inf")

    catalog = MemoryCatalog()
    report = scan_library(library, catalog, analyze_loudness=analyze)
    assert report.added == 3
    assert len(report.warnings) == 1 and "decoder broke" in report.warnings[0]
    assert all(song.loudness_lufs is None for song in catalog.songs.values())


def test_a_song_folder_hides_its_subfolders_and_files_from_other_readers(library: Path) -> None:
    grace = library / "Folk" / "Amazing Grace"
    (grace / "notes.txt").write_text("not a song of its own", encoding="utf-8")
    make_song(grace / "inner", title="Nested")
    (library / "Loose").mkdir()
    (library / "Loose" / "tune.txt").write_text("Loose Tune", encoding="utf-8")
    (library / ".hidden").mkdir()
    make_song(library / ".hidden" / "Secret", title="Secret")
    catalog = MemoryCatalog()
    report = scan_library(library, catalog, readers=[NativeFolderReader(), TextFileReader()])
    assert report.added == 4
    assert sorted(song.title for song in catalog.songs.values()) == [
        "Amazing Grace",
        "Danny Boy",
        "Hit",
        "Loose Tune",
    ]


def test_symlink_loops_are_walked_once(library: Path) -> None:
    os.symlink(library, library / "Folk" / "loop")
    report = scan_library(library, MemoryCatalog())
    assert report.added == 3


def test_an_unlistable_folder_keeps_its_songs(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = MemoryCatalog()
    scan_library(library, catalog)
    folk = library / "Folk"
    real_scandir = os.scandir

    def failing_scandir(path: str) -> object:  # a USB stick with a bad sector
        if path == str(folk):
            raise OSError(5, "Input/output error", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", failing_scandir)
    report = scan_library(library, catalog)
    assert [(f.path, f.reason) for f in report.failures] == [
        (str(folk), "cannot list the folder: Input/output error")
    ]
    assert report.removed == 0 and len(catalog.songs) == 3


def test_songs_under_other_roots_are_left_alone(tmp_path: Path, library: Path) -> None:
    other = make_song(tmp_path / "other" / "Song", title="Elsewhere")
    catalog = MemoryCatalog()
    scan_library(other.parent, catalog)
    scan_library(library, catalog)
    assert len(catalog.songs) == 4


def test_a_missing_root_is_an_error_not_an_empty_library(tmp_path: Path) -> None:
    catalog = MemoryCatalog()
    with pytest.raises(LibraryError, match="not a folder"):
        scan_library(tmp_path / "unmounted", catalog)


def test_an_id_held_under_another_root_is_not_taken(tmp_path: Path) -> None:
    stick, songs = tmp_path / "usb" / "songs", tmp_path / "songs"
    make_song(stick / "Hit", title="On the stick", id="hit")
    make_song(songs / "Hit", title="In the library", id="hit")
    catalog = MemoryCatalog()
    scan_library(stick, catalog)
    report = scan_library(songs, catalog)
    assert catalog.by_id("hit").title == "On the stick"
    [song] = [s for s in catalog.songs.values() if s.title == "In the library"]
    assert song.song_id.startswith("hit-") and report.added == 1
    assert report.warnings and "is taken by another song" in report.warnings[0]
