"""Karaoke videos indexed in place: title and artist from tags or the file name (noise words and
vendor codes stripped), duration, every container; files with no picture, no sound, damaged or
cut are reported with the reason; an unchanged library rescans without opening a file."""

from __future__ import annotations

import shutil
from pathlib import Path

from appliance.core.models import SongKind, StemRole
from appliance.library.formats.video import VideoReader, clean_name
from appliance.library.scanning.registry import read_song_at
from appliance.library.scanning.scanner import scan_library
from tests.support.memory_catalog import MemoryCatalog
from tests.support.video_gen import write_counter_video


class CountingVideoReader(VideoReader):
    """The real reader, counting the files it opens."""

    def __init__(self) -> None:
        self.read_paths: list[str] = []

    def read(self, candidate, library_root):  # type: ignore[no-untyped-def]
        self.read_paths.append(candidate.path)
        return super().read(candidate, library_root)


def test_videos_of_every_container_are_indexed_with_clean_names(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    names = {
        "Queen - Bohemian Rhapsody (Karaoke Version).mp4": ("Bohemian Rhapsody", "Queen"),
        "SF123-04 - Adele - Hello [Karaoke With Lyrics] HD.mkv": ("Hello", "Adele"),
        "Sing King - Toto - Africa (Instrumental).webm": ("Africa", "Toto"),
        "ABBA - Waterloo | Karaoke Version | KaraFun.mov": ("Waterloo", "ABBA"),
        "Pink_-_Try_(Lyrics)_1080p.m4v": ("Try", "Pink"),
        "Bruno Mars - Grenade.avi": ("Grenade", "Bruno Mars"),
    }
    for name in names:
        write_counter_video(lib / name, seconds=1.0)
    write_counter_video(lib / "clip.mp4", seconds=1.5, title="Tagged (Karaoke)", artist="Tags")
    catalog = MemoryCatalog()
    report = scan_library(str(lib), catalog)
    assert not report.failures, report.failures
    songs = {song.title: song for song in catalog.songs.values()}
    assert {(s.title, s.artist) for s in songs.values()} == {*names.values(), ("Tagged", "Tags")}
    tagged = songs["Tagged"]
    assert tagged.kind is SongKind.VIDEO and abs(tagged.duration_s - 1.5) < 0.1
    assert [(s.role, s.file) for s in tagged.stems] == [(StemRole.MIX, "clip.mp4")]
    assert "disc:SF123-04" in songs["Hello"].tags


def test_a_video_beside_lyrics_or_in_an_ultrastar_folder_is_not_its_own_song(tmp_path):
    lib = tmp_path / "lib"
    (lib / "star").mkdir(parents=True)
    write_counter_video(lib / "star" / "background.mp4", seconds=1.0)
    (lib / "star" / "Song.txt").write_text(
        "#TITLE:Song\n#ARTIST:A\n#BPM:120\n#VIDEO:background.mp4\n"
    )
    write_counter_video(lib / "Artist - Song.mp4", seconds=1.0)
    (lib / "Artist - Song.lrc").write_text("[00:00.50]la\n")
    listing_songs = list(VideoReader().find(_listing(lib / "star")))
    assert listing_songs == []
    assert list(VideoReader().find(_listing(lib))) == []


def _listing(folder: Path):  # type: ignore[no-untyped-def]
    from appliance.library.formats.songreader import FolderListing
    from appliance.library.scanning.registry import files_of

    return FolderListing(str(folder), files_of(str(folder)), (), str(folder))


def test_unplayable_videos_are_reported_with_the_reason(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    good = write_counter_video(lib / "A - Good.mp4", seconds=2.0)
    write_counter_video(lib / "A - Silent.mp4", seconds=1.0, audio=False)
    write_counter_video(lib / "A - Radio.mp4", seconds=1.0, video=False)
    (lib / "A - Garbage.mp4").write_bytes(b"\x00not a video at all" * 100)
    data = good.read_bytes()
    (lib / "A - Cut.mp4").write_bytes(data[: len(data) // 3])
    (lib / "A - Empty.mkv").write_bytes(b"")
    catalog = MemoryCatalog()
    report = scan_library(str(lib), catalog)
    assert [song.title for song in catalog.songs.values()] == ["Good"]
    reasons = {Path(f.path).name: f.reason for f in report.failures}
    assert "no audio stream" in reasons["A - Silent.mp4"]
    assert "no video stream" in reasons["A - Radio.mp4"]
    for name in ("A - Garbage.mp4", "A - Cut.mp4", "A - Empty.mkv"):
        assert "unreadable video" in reasons[name] or "picture" in reasons[name], reasons[name]


def test_an_unchanged_library_rescans_without_opening_a_video(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    for index in range(3):
        write_counter_video(lib / f"Artist - Song {index}.mp4", seconds=1.0)
    catalog = MemoryCatalog()
    first = CountingVideoReader()
    assert scan_library(str(lib), catalog, readers=[first]).added == 3
    assert len(first.read_paths) == 3
    again = CountingVideoReader()
    report = scan_library(str(lib), catalog, readers=[again])
    assert (report.unchanged, again.read_paths) == (3, [])
    shutil.copy(lib / "Artist - Song 0.mp4", lib / "Artist - Song 1.mp4")
    scan_library(str(lib), catalog, readers=[again])
    assert [Path(p).name for p in again.read_paths] == ["Artist - Song 1.mp4"]


def test_read_song_at_a_video_path(tmp_path):
    path = write_counter_video(tmp_path / "Ann - Tune (Karaoke).mp4", seconds=1.0)
    song = read_song_at(str(path))
    assert (song.title, song.artist, song.kind) == ("Tune", "Ann", SongKind.VIDEO)
    assert clean_name("Ann - Tune (Karaoke)").title == "Tune"
