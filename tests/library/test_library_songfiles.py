"""Lyrics and notes of catalogued songs; the scanner into the real SQLite catalog."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from appliance.core.errors import SongFormatError
from appliance.core.models import SongKind
from appliance.library.formats.songfiles import load_lyrics, load_notes
from appliance.library.scanning.scanner import scan_library
from appliance.library.songfolder.manifest import read_manifest
from tests.support.song_folders import make_song

NOTES = (
    "#TITLE:Grace\n#ARTIST:Trad\n#BPM:60\n#GAP:1000\n"
    ": 0 4 0 A\n: 4 4 2 ma\n- 10\n: 12 4 4 zing\nE\n"
)


def test_lyrics_come_from_the_lrc_file(tmp_path: Path) -> None:
    folder = make_song(tmp_path / "s", lyrics="lyrics.lrc")
    (folder / "lyrics.lrc").write_text("[00:01.00]<00:01.00>la <00:02.00>di<00:03.00>\n")
    lyrics = load_lyrics(read_manifest(folder))
    assert lyrics.lines[0].text == "la di"
    assert (lyrics.title, lyrics.artist) == ("Amazing Grace", "Traditional")


def test_lyrics_fall_back_to_the_notes(tmp_path: Path) -> None:
    folder = make_song(tmp_path / "s", notes="notes.txt")
    (folder / "notes.txt").write_text(NOTES, encoding="utf-8")
    song = read_manifest(folder)
    assert [line.text for line in load_lyrics(song).lines] == ["Ama", "zing"]
    track = load_notes(song)
    assert track is not None and [note.pitch_midi for note in track.notes] == [60, 62, 64]


def test_a_song_without_lyrics_has_empty_lyrics(tmp_path: Path) -> None:
    song = read_manifest(make_song(tmp_path / "s"))
    assert load_lyrics(song).is_empty
    assert load_notes(song) is None


def test_corrupt_or_missing_lyrics_raise_song_format_errors(tmp_path: Path) -> None:
    folder = make_song(tmp_path / "s", lyrics="lyrics.lrc")
    (folder / "lyrics.lrc").write_text("no tags at all", encoding="utf-8")
    song = read_manifest(folder)
    with pytest.raises(SongFormatError) as caught:
        load_lyrics(song)
    assert caught.value.path == str(folder / "lyrics.lrc")
    (folder / "lyrics.lrc").unlink()
    with pytest.raises(SongFormatError, match="cannot read"):
        load_lyrics(song)


def test_foreign_songs_name_files_beside_their_main_file(tmp_path: Path) -> None:
    (tmp_path / "tune.lrc").write_text("[00:01.00]hi\n", encoding="utf-8")
    native = read_manifest(make_song(tmp_path / "s"))
    song = replace(
        native, kind=SongKind.LRC_AUDIO, path=str(tmp_path / "tune.mp3"), lyrics_file="tune.lrc"
    )
    assert load_lyrics(song).lines[0].text == "hi"


def test_scanning_into_the_real_sqlite_catalog(tmp_path: Path) -> None:
    catalog_module = pytest.importorskip("appliance.core.catalog")
    store_module = pytest.importorskip("appliance.core.store")
    catalog = catalog_module.Catalog(store_module.Store.open_memory())
    root = tmp_path / "songs"
    make_song(root / "Folk" / "Amazing Grace", tags=["hymn"], loudness_lufs=-15.0)
    make_song(root / "Pop" / "Hit", title="Hit", artist="Band")
    first = scan_library(root, catalog)
    assert (first.added, first.failures) == (2, [])
    assert catalog.get("folk-amazing-grace") == read_manifest(
        root / "Folk" / "Amazing Grace", fallback_id="folk-amazing-grace"
    )
    again = scan_library(root, catalog)
    assert (again.unchanged, again.added, again.updated) == (2, 0, 0)
    (root / "Pop" / "Hit" / "song.toml").unlink()
    gone = scan_library(root, catalog)
    assert gone.removed == 1 and catalog.count() == 1
