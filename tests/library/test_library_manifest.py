"""song.toml: reading, every validation error naming file and field, atomic writing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from appliance.core.errors import SongFormatError
from appliance.core.models import SongKind, StemRole
from appliance.library.songfolder.manifest import (
    manifest_fields,
    read_manifest,
    write_manifest,
)
from tests.support.song_folders import BASE_FIELDS, make_song

DRUMS = {"name": "drums", "file": "drums.flac", "role": "drums"}


def test_reads_a_complete_manifest(tmp_path: Path) -> None:
    folder = make_song(
        tmp_path / "grace",
        language="en",
        tags=["hymn", "demo", "hymn"],
        key="G",
        bpm=80.0,
        lyrics="lyrics.lrc",
        notes="notes.txt",
        loudness_lufs=-16.2,
        sample_rate=48000,
        id="amazing-grace",
    )
    song = read_manifest(folder)
    assert song.song_id == "amazing-grace"
    assert (song.title, song.artist, song.duration_s) == ("Amazing Grace", "Traditional", 92.5)
    assert song.kind is SongKind.NATIVE
    assert song.path == str(folder)
    assert song.tags == ("hymn", "demo")
    assert (song.key, song.bpm, song.language, song.loudness_lufs) == ("G", 80.0, "en", -16.2)
    assert (song.lyrics_file, song.notes_file) == ("lyrics.lrc", "notes.txt")
    assert [(s.name, s.role, s.gain_db) for s in song.stems] == [
        ("drums", StemRole.DRUMS, 0.0),
        ("guide", StemRole.LEAD_VOCAL, -3.0),
    ]
    assert song.has_guide


def test_minimal_manifest_defaults(tmp_path: Path) -> None:
    song = read_manifest(make_song(tmp_path / "Amazing Grace", artist=""))
    assert song.song_id == "amazing-grace"
    assert (song.artist, song.key, song.bpm, song.loudness_lufs) == ("", "", 0.0, None)


def test_fallback_id_is_used_without_manifest_id(tmp_path: Path) -> None:
    song = read_manifest(make_song(tmp_path / "x"), fallback_id="folk-x")
    assert song.song_id == "folk-x"


def test_stems_in_a_subfolder_are_allowed(tmp_path: Path) -> None:
    folder = make_song(tmp_path / "s", stems=[{**DRUMS, "file": "stems/./drums.flac"}])
    assert read_manifest(folder).stems[0].file == "stems/drums.flac"


def test_extension_keys_are_ignored(tmp_path: Path) -> None:
    folder = make_song(tmp_path / "s", x_generator="demosongs 1.0", stems=[{**DRUMS, "x_seed": 4}])
    assert read_manifest(folder).title == "Amazing Grace"


BAD_CASES = [
    ({"title": None}, "title", "missing"),
    ({"artist": None}, "artist", "missing"),
    ({"duration_s": None}, "duration_s", "missing"),
    ({"format": None}, "format", "missing"),
    ({"stems": None}, "stems", "missing"),
    ({"title": 5}, "title", "must be text"),
    ({"title": "  "}, "title", "empty"),
    ({"title": "a\nb"}, "title", "control characters"),
    ({"duration_s": 0}, "duration_s", "greater than 0"),
    ({"duration_s": -3.5}, "duration_s", "greater than 0"),
    ({"duration_s": "92"}, "duration_s", "must be a number"),
    ({"duration_s": True}, "duration_s", "must be a number"),
    ({"duration_s": float("nan")}, "duration_s", "finite"),
    ({"duration_s": float("inf")}, "duration_s", "finite"),
    ({"duration_s": 92500.0 * 1000}, "duration_s", "at most 86400"),
    ({"format": 2}, "format", "newer than this program"),
    ({"format": 0}, "format", "unsupported format version 0"),
    ({"format": "1"}, "format", "whole number"),
    ({"sample_rate": 44100}, "sample_rate", "48000 Hz"),
    ({"key": "H"}, "key", "unknown key 'H'"),
    ({"key": "g"}, "key", "did you mean 'G'"),
    ({"key": "A minor"}, "key", "did you mean 'Am'"),
    ({"key": "Bb major"}, "key", "did you mean 'Bb'"),
    ({"language": "eng"}, "language", "ISO 639-1"),
    ({"bpm": 0}, "bpm", "greater than 0"),
    ({"tags": "hymn"}, "tags", "list of texts"),
    ({"tags": ["ok", 3]}, "tags[1]", "non-empty text"),
    ({"loudness_lufs": 30.0}, "loudness_lufs", "between"),
    ({"id": "has space"}, "id", "letters, digits"),
    ({"titel": "x"}, "titel", "did you mean 'title'"),
    ({"lyrics": "missing.lrc"}, "lyrics", "not found"),
    ({"lyrics": "../other/lyrics.lrc"}, "lyrics", "outside the song folder"),
    ({"notes": "/etc/passwd"}, "notes", "outside the song folder"),
    ({"lyrics": "sub\\lyrics.lrc"}, "lyrics", "use '/'"),
    ({"stems": []}, "stems", "at least one stem"),
    ({"stems": {"name": "x"}}, "stems", "list of tables"),
    ({"stems": [DRUMS] * 33}, "stems", "at most 32"),
    ({"stems": [{**DRUMS, "role": "vocals"}]}, "stems[0].role", "did you mean 'lead_vocal'"),
    ({"stems": [{**DRUMS, "role": "drum"}]}, "stems[0].role", "did you mean 'drums'"),
    ({"stems": [{**DRUMS, "role": "kazoo"}]}, "stems[0].role", "roles: drums, percussion"),
    ({"stems": [{**DRUMS, "file": "missing.flac"}]}, "stems[0].file", "not found"),
    ({"stems": [{**DRUMS, "file": "../drums.flac"}]}, "stems[0].file", "outside"),
    ({"stems": [{**DRUMS, "name": ""}]}, "stems[0].name", "empty"),
    ({"stems": [{"file": "d.flac", "role": "drums"}]}, "stems[0].name", "missing"),
    ({"stems": [DRUMS, {**DRUMS, "file": "b.flac"}]}, "stems[1].name", "duplicate stem name"),
    ({"stems": [{**DRUMS, "pan": 1.5}]}, "stems[0].pan", "between -1 and 1"),
    ({"stems": [{**DRUMS, "gain_db": "loud"}]}, "stems[0].gain_db", "must be a number"),
    ({"stems": [{**DRUMS, "volume": 1}]}, "stems[0].volume", "unknown key"),
]


@pytest.mark.parametrize(("changes", "field", "reason"), BAD_CASES)
def test_invalid_manifests_name_file_and_field(
    tmp_path: Path, changes: dict[str, object], field: str, reason: str
) -> None:
    fields = {key: value for key, value in {**BASE_FIELDS, **changes}.items() if value is not None}
    folder = make_song(tmp_path / "song", fields)
    with pytest.raises(SongFormatError) as caught:
        read_manifest(folder)
    assert caught.value.path == str(folder / "song.toml")
    assert caught.value.field == field
    assert reason in caught.value.reason
    assert str(folder / "song.toml") in str(caught.value)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'title = "x', "not valid TOML"),
        (b"\xff\xfe t\x00i\x00", "not UTF-8"),
        (b"a = 1\na = 2\n", "not valid TOML"),
    ],
)
def test_unreadable_manifests(tmp_path: Path, content: bytes, reason: str) -> None:
    (tmp_path / "song.toml").write_bytes(content)
    with pytest.raises(SongFormatError, match=reason) as caught:
        read_manifest(tmp_path)
    assert caught.value.path == str(tmp_path / "song.toml")


def test_missing_manifest_is_a_song_format_error(tmp_path: Path) -> None:
    with pytest.raises(SongFormatError, match="cannot read"):
        read_manifest(tmp_path)


def test_a_bom_is_tolerated(tmp_path: Path) -> None:
    folder = make_song(tmp_path / "s")
    manifest = folder / "song.toml"
    manifest.write_bytes(b"\xef\xbb\xbf" + manifest.read_bytes())
    assert read_manifest(folder).title == "Amazing Grace"


def test_symlinked_stem_leading_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.flac"
    outside.write_bytes(b"x")
    folder = make_song(tmp_path / "s", stems=[{**DRUMS, "file": "link.flac"}])
    (folder / "link.flac").unlink()
    os.symlink(outside, folder / "link.flac")
    with pytest.raises(SongFormatError, match="outside the song folder") as caught:
        read_manifest(folder)
    assert caught.value.field == "stems[0].file"


def test_a_stem_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    folder = make_song(tmp_path / "s", stems=[{**DRUMS, "file": "stems"}])
    (folder / "stems").unlink()
    (folder / "stems").mkdir()
    with pytest.raises(SongFormatError, match="not a regular file"):
        read_manifest(folder)


def test_write_then_read_round_trips(tmp_path: Path) -> None:
    folder = make_song(tmp_path / "s", key="F#m", tags=["a"], bpm=96.0, id="grace")
    song = read_manifest(folder)
    (folder / "song.toml").unlink()
    written = write_manifest(folder, manifest_fields(song))
    assert written == folder / "song.toml"
    assert read_manifest(folder) == song
    text = written.read_text(encoding="utf-8")
    assert text.startswith("format = 1\n")
    assert text.count("[[stems]]") == 2


def test_write_refuses_invalid_fields_and_keeps_the_old_manifest(tmp_path: Path) -> None:
    folder = make_song(tmp_path / "s")
    before = (folder / "song.toml").read_bytes()
    with pytest.raises(SongFormatError) as caught:
        write_manifest(folder, {**BASE_FIELDS, "duration_s": -1})
    assert caught.value.field == "duration_s"
    assert (folder / "song.toml").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["drums.flac", "guide.flac", "song.toml"]


def test_write_adds_the_format_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    fields = {key: value for key, value in BASE_FIELDS.items() if key != "format"}
    write_manifest(tmp_path, {**fields, "stems": tuple(fields["stems"])})  # type: ignore[arg-type]
    assert [p.name for p in tmp_path.iterdir()] == ["song.toml"]
    assert "format = 1" in (tmp_path / "song.toml").read_text()


def test_write_failure_removes_the_temporary_file(tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    with pytest.raises(OSError):
        write_manifest(folder, BASE_FIELDS)
    assert not folder.exists()


def test_stems_named_in_another_case_or_unicode_form_are_found(tmp_path) -> None:
    import unicodedata

    from appliance.library.songfolder.manifest import read_manifest
    from tests.support.song_folders import make_song

    folder = make_song(
        tmp_path / "Mac copy",
        stems=[
            {"name": "drums", "file": "Drums.FLAC", "role": "drums"},
            {"name": "guide", "file": "stems/Jóga.flac", "role": "lead_vocal"},
        ],
    )
    (folder / "Drums.FLAC").rename(folder / "drums.flac")
    (folder / "stems").rename(folder / "Stems")
    (folder / "Stems" / "Jóga.flac").rename(
        folder / "Stems" / unicodedata.normalize("NFD", "Jóga.flac")
    )
    song = read_manifest(folder)
    files = [stem.file for stem in song.stems]
    assert files == ["drums.flac", "Stems/" + unicodedata.normalize("NFD", "Jóga.flac")]
    assert all((folder / name).is_file() for name in files)
