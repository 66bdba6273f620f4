"""MP3+G pairs and zips: pairing, odd zips, names, tags, durations."""

from __future__ import annotations

import random
import zipfile

import pytest

from appliance.core.errors import SongFormatError
from appliance.core.models import SongKind, StemRole
from appliance.library.formats.cdg import CdgDecoder
from appliance.library.formats.mp3g import (
    Mp3gOptions,
    pair_files,
    read_mp3g_pair,
    read_mp3g_zip,
    read_song_file,
)
from appliance.library.formats.songnames import check_patterns, parse_song_name
from tests.support.mp3g_songs import (
    MP3_FRAME_S,
    as_deflate64,
    cdg_bytes,
    mp3_bytes,
    wav_bytes,
    zip_bytes,
    zip_with_cp437_names,
)


def test_pairing_is_case_insensitive_and_prefers_mp3():
    pairs, lonely = pair_files(["X.MP3", "x.CDG", "y.wav", "Y.flac", "y.cdg", "z.cdg", "w.mp3"])
    assert pairs == [("X.MP3", "x.CDG"), ("y.wav", "y.cdg")]
    assert lonely == ["z.cdg"]


def test_loose_pair_song(tmp_path):
    audio = tmp_path / "SC8125-05 - Beatles, The - Let It Be.MP3"
    audio.write_bytes(mp3_bytes(3.0))
    cdg = tmp_path / "sc8125-05 - beatles, the - let it be.cdg"
    cdg.write_bytes(cdg_bytes(3.0))
    song = read_mp3g_pair(str(audio), str(cdg), str(tmp_path))
    assert (song.title, song.artist, song.kind) == ("Let It Be", "The Beatles", SongKind.MP3G)
    assert song.path == str(audio)
    assert song.stems[0].role is StemRole.MIX and song.stems[0].file == audio.name
    assert song.lyrics_file == cdg.name
    assert song.duration_s == pytest.approx(3.0, abs=MP3_FRAME_S * 2)
    assert "disc:SC8125-05" in song.tags
    assert read_song_file(song.path, song.lyrics_file) == cdg.read_bytes()


def test_id3_tags_are_the_fallback_and_wav_duration(tmp_path):
    audio = tmp_path / "track01.mp3"
    audio.write_bytes(mp3_bytes(2.0, title="Tagged Title", artist="Tagged Artist"))
    (tmp_path / "track01.cdg").write_bytes(cdg_bytes(2.0))
    song = read_mp3g_pair(str(audio), str(tmp_path / "track01.cdg"), str(tmp_path))
    assert (song.title, song.artist) == ("Tagged Title", "Tagged Artist")
    wav = tmp_path / "Artist - Song.wav"
    wav.write_bytes(wav_bytes(1.5))
    (tmp_path / "Artist - Song.cdg").write_bytes(cdg_bytes(1.0))
    song = read_mp3g_pair(str(wav), str(tmp_path / "Artist - Song.cdg"), str(tmp_path))
    assert song.duration_s == pytest.approx(1.5)


def test_cdg_without_audio_is_reported(tmp_path):
    cdg = tmp_path / "alone.cdg"
    cdg.write_bytes(cdg_bytes(1))
    with pytest.raises(SongFormatError, match="no audio"):
        read_mp3g_pair(str(tmp_path / "alone.mp3"), str(cdg), str(tmp_path))


def test_zip_with_nested_folders_and_macosx_litter(tmp_path):
    name = "Disc 1/Songs/Abba - Waterloo"
    blob = zip_bytes({
        "__MACOSX/Disc 1/Songs/._Abba - Waterloo.mp3": b"junk",
        f"{name}.mp3": mp3_bytes(2.0),
        f"{name}.CDG": cdg_bytes(2.0),
        "Disc 1/readme.txt": b"hello",
    })  # fmt: skip
    path = tmp_path / "whatever.zip"
    path.write_bytes(blob)
    song = read_mp3g_zip(str(path), str(tmp_path))
    assert (song.title, song.artist, song.path) == ("Waterloo", "Abba", str(path))
    assert song.stems[0].file == f"zip-member:{name}.mp3"
    assert song.lyrics_file == f"zip-member:{name}.CDG"
    assert song.duration_s == pytest.approx(2.0, abs=MP3_FRAME_S * 2)
    decoder = CdgDecoder(read_song_file(song.path, song.lyrics_file))
    assert decoder.frame_at(0.5).pixels[0] == 3


def test_zip_names_in_cp437_and_utf8(tmp_path):
    members = {
        "Motörhead - Ace Of Spades.mp3": mp3_bytes(1),
        "Motörhead - Ace Of Spades.cdg": cdg_bytes(1),
    }
    cp437 = tmp_path / "cp437.zip"
    cp437.write_bytes(zip_with_cp437_names(members))
    assert not zipfile.ZipFile(cp437).infolist()[0].flag_bits & 0x800
    assert read_mp3g_zip(str(cp437), str(tmp_path)).artist == "Motörhead"
    utf8 = tmp_path / "utf8.zip"
    utf8.write_bytes(
        zip_bytes({"Björk - Jóga.mp3": mp3_bytes(1), "Björk - Jóga.cdg": cdg_bytes(1)})
    )
    assert read_mp3g_zip(str(utf8), str(tmp_path)).title == "Jóga"


def test_deflate64_members(tmp_path):
    rng = random.Random(3)
    audio = mp3_bytes(1.0)[:100] + bytes(rng.randrange(16) for _ in range(30000))
    cdg = bytes(rng.randrange(4) for _ in range(24 * 300))
    blob = as_deflate64(zip_bytes({"A - B.mp3": audio, "A - B.cdg": cdg}, zipfile.ZIP_DEFLATED))
    path = tmp_path / "d64.zip"
    path.write_bytes(blob)
    assert zipfile.ZipFile(path).infolist()[0].compress_type == 9
    song = read_mp3g_zip(str(path), str(tmp_path))
    assert (song.artist, song.title) == ("A", "B")
    assert read_song_file(song.path, song.lyrics_file) == cdg


@pytest.mark.parametrize(
    ("blob", "reason"),
    [
        (b"PK\x03\x04 not really a zip", "unreadable zip"),
        (zip_bytes({"a.mp3": b"x"}), "holds no .cdg"),
        (zip_bytes({"a.cdg": cdg_bytes(1)}), "no audio"),
    ],
)
def test_bad_zips_raise_song_format_error(tmp_path, blob, reason):
    path = tmp_path / "bad.kfz"
    path.write_bytes(blob)
    with pytest.raises(SongFormatError) as caught:
        read_mp3g_zip(str(path), str(tmp_path))
    assert caught.value.path == str(path) and reason in caught.value.reason


def test_multiplex_flag_from_options_and_name(tmp_path):
    path = tmp_path / "Artist - Song (Multiplex).zip"
    path.write_bytes(zip_bytes({"x.mp3": mp3_bytes(1), "x.cdg": cdg_bytes(1)}))
    song = read_mp3g_zip(str(path), str(tmp_path))
    assert "multiplex" in song.tags
    assert (song.artist, song.title) == ("Artist", "Song (Multiplex)")
    plain = tmp_path / "Artist - Song.zip"
    plain.write_bytes(zip_bytes({"x.mp3": mp3_bytes(1), "x.cdg": cdg_bytes(1)}))
    assert "multiplex" not in read_mp3g_zip(str(plain), str(tmp_path)).tags
    assert "multiplex" in read_mp3g_zip(str(plain), str(tmp_path), Mp3gOptions(multiplex=True)).tags


def test_duration_falls_back_to_cdg_length(tmp_path):
    path = tmp_path / "A - B.zip"
    path.write_bytes(zip_bytes({"A - B.mp3": b"not audio at all", "A - B.cdg": cdg_bytes(4.0)}))
    assert read_mp3g_zip(str(path), str(tmp_path)).duration_s == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("stem", "patterns", "expected"),
    [
        ("SC8125-05 - Beatles, The - Let It Be", None, ("Let It Be", "The Beatles", "SC8125-05")),
        ("CB30109-01_-_Adele_-_Hello", None, ("Hello", "Adele", "CB30109-01")),
        ("Queen - Bohemian Rhapsody", None, ("Bohemian Rhapsody", "Queen", "")),
        ("U2 - One - Live", None, ("One - Live", "U2", "")),
        ("Yesterday - Beatles", ("{title} - {artist}",), ("Yesterday", "Beatles", "")),
        (
            "ZM1234 - Title - Artist",
            ("{discid} - {title} - {artist}",),
            ("Title", "Artist", "ZM1234"),
        ),
        ("Only A Title", None, ("Only A Title", "", "")),
    ],
)
def test_name_patterns(stem, patterns, expected):
    name = parse_song_name(stem, patterns) if patterns else parse_song_name(stem)
    assert (name.title, name.artist, name.disc_id) == expected


def test_configured_patterns_are_checked():
    assert check_patterns(("{artist} - {title}",)) == []
    problems = check_patterns(("{artist} - {song}",))
    assert len(problems) == 2 and "song" in problems[0]
