"""The scan-time audio probe (``audioprobe.py``): every format people's libraries hold passes,
audio that cannot play is a scan failure naming the file and why, for each reader of songs
played in place (UltraStar, MP3+G pairs and zips, audio + LRC); a rescan probes nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from appliance.library.formats import foreign
from appliance.library.formats.audioprobe import audio_duration, audio_problem
from appliance.library.scanning.scanner import scan_library
from tests.support.codec_audio import FORMATS, write_tone
from tests.support.memory_catalog import MemoryCatalog
from tests.support.mp3g_audio import cdg

LRC = "[00:00.10]la la\n[00:00.50]la\n"


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_every_format_passes_the_probe(tmp_path, extension):
    path = write_tone(tmp_path / f"a{extension}", seconds=0.5, video=extension in (".mp4", ".mkv"))
    assert audio_problem(str(path)) == ""


def test_a_video_length_is_read_by_ffmpeg_where_mutagen_cannot(tmp_path):
    path = write_tone(tmp_path / "clip.webm", seconds=2.0, video=True)
    assert abs(audio_duration(str(path)) - 2.0) < 0.05
    assert audio_duration(str(tmp_path / "missing.webm")) == 0.0


def test_mp3g_pairs_and_lrc_songs_in_every_format_are_indexed_or_reported(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    for name, extension in (("Pair Wma", ".wma"), ("Pair Aac", ".aac"), ("Lrc Opus", ".opus")):
        write_tone(lib / f"Artist - {name}{extension}", seconds=1.0)
    (lib / "Artist - Pair Wma.cdg").write_bytes(cdg(1.0))
    (lib / "Artist - Pair Aac.cdg").write_bytes(cdg(1.0))
    (lib / "Artist - Lrc Opus.lrc").write_text(LRC)
    (lib / "Artist - Bad Pair.wma").write_bytes(b"0&\xb2u" + bytes(3000))  # an ASF header, cut
    (lib / "Artist - Bad Pair.cdg").write_bytes(cdg(1.0))
    (lib / "Artist - Bad Lrc.m4a").write_bytes(b"\0\0\0\x20ftypM4A " + bytes(100))
    (lib / "Artist - Bad Lrc.lrc").write_text(LRC)
    catalog = MemoryCatalog()
    report = scan_library(str(lib), catalog)
    titles = sorted(song.title for song in catalog.songs.values())
    assert titles == ["Artist - Lrc Opus", "Pair Aac", "Pair Wma"], report.failures
    failed = {Path(failure.path).name: failure.reason for failure in report.failures}
    assert set(failed) == {"Artist - Bad Pair.wma", "Artist - Bad Lrc.m4a"}
    # the failure's path names the file; its reason says why, without the path again
    assert failed["Artist - Bad Pair.wma"].startswith("cannot be opened as audio")
    assert failed["Artist - Bad Lrc.m4a"] and "Bad Lrc" not in failed["Artist - Bad Lrc.m4a"]


def test_an_m4a_with_its_index_at_the_end_passes_in_a_zip(tmp_path):
    """Read forward only, the member's index is not found; the probe then seeks."""
    source = write_tone(tmp_path / "x.m4a", seconds=1.0)  # the ipod muxer writes moov last
    assert source.read_bytes().rfind(b"moov") > source.read_bytes().find(b"mdat")
    zipped = tmp_path / "SC01-01 - A - T.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.write(source, "A - T.m4a", compress_type=zipfile.ZIP_DEFLATED)
    assert audio_problem(str(zipped), "A - T.m4a") == ""
    assert "A - T.mp3: cannot be read" in audio_problem(str(zipped), "A - T.mp3")


def test_a_rescan_probes_no_unchanged_song(tmp_path, monkeypatch):
    folder = tmp_path / "lib" / "song"
    folder.mkdir(parents=True)
    write_tone(folder / "audio.m4a", seconds=1.0)
    (folder / "song.txt").write_text(
        "#TITLE:T\n#ARTIST:A\n#MP3:audio.m4a\n#BPM:100\n: 0 4 0 la\nE\n"
    )
    catalog = MemoryCatalog()
    assert scan_library(str(tmp_path / "lib"), catalog).added == 1
    probed: list[str] = []
    monkeypatch.setattr(foreign, "probe_audio", lambda path, member="": probed.append(path))
    again = scan_library(str(tmp_path / "lib"), catalog)
    assert (again.unchanged, again.failures, probed) == (1, [], [])
    (folder / "audio.m4a").write_bytes((folder / "audio.m4a").read_bytes())  # touched
    scan_library(str(tmp_path / "lib"), catalog)
    assert probed == [str(folder / "audio.m4a")]
