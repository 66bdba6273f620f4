"""LRC and enhanced LRC: every odd case of FORMATS.md's LRC section."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.core.errors import SongFormatError
from appliance.library.formats.lrc import MAX_LRC_BYTES, parse_lrc, read_lrc
from appliance.library.formats.lyrics import Lyrics


def starts(lyrics: Lyrics) -> list[tuple[float, str]]:
    return [(round(line.start_s, 3), line.text) for line in lyrics.lines]


def words(lyrics: Lyrics, index: int = 0) -> list[tuple[str, float, float]]:
    return [(w.text, round(w.start_s, 3), round(w.end_s, 3)) for w in lyrics.lines[index].words]


@pytest.mark.parametrize(
    ("tag", "seconds"),
    [
        ("[00:12.34]", 12.34),
        ("[00:12.345]", 12.345),
        ("[00:12:34]", 12.34),
        ("[00:12.3]", 12.3),
        ("[00:12]", 12.0),
        ("[01:02.50]", 62.5),
        ("[100:00.00]", 6000.0),
        ("[123:45.678]", 123 * 60 + 45.678),
        ("[ 00:12.34 ]", 12.34),
    ],
)
def test_line_tag_forms(tag: str, seconds: float) -> None:
    assert starts(parse_lrc(f"{tag}Hello world")) == [(round(seconds, 3), "Hello world")]


def test_several_tags_on_one_line_and_unsorted_lines() -> None:
    lyrics = parse_lrc("[00:30.00]Third\n[00:10.00][00:50.00]Chorus\n[00:20.00]Second\n")
    assert starts(lyrics) == [(10.0, "Chorus"), (20.0, "Second"), (30.0, "Third"), (50.0, "Chorus")]


def test_id_tags_give_metadata_and_are_never_lyrics() -> None:
    text = (
        "[ti:Amazing Grace]\n[ar:Traditional]\n[al:Hymns]\n[by:me]\n[length: 02:00]\n[00:01.00]Hi"
    )
    lyrics = parse_lrc(text)
    assert (lyrics.title, lyrics.artist) == ("Amazing Grace", "Traditional")
    assert starts(lyrics) == [(1.0, "Hi")]


def test_alphabetic_tags_are_never_lyrics() -> None:
    lyrics = parse_lrc("[Chorus]\n[00:01.00][Chorus]Sing\n[instrumental]\n[00:03.00]Two\n")
    assert starts(lyrics) == [(1.0, "Sing"), (3.0, "Two")]


@pytest.mark.parametrize(
    ("offset", "first_s"), [("+500", 4.5), ("500", 4.5), ("-250", 5.25), ("", 5.0), ("0", 5.0)]
)
def test_offset_positive_makes_lyrics_sooner(offset: str, first_s: float) -> None:
    lyrics = parse_lrc(f"[offset:{offset}]\n[00:05.00]<00:05.00>la<00:06.00>")
    assert lyrics.lines[0].start_s == pytest.approx(first_s)
    assert lyrics.lines[0].end_s == pytest.approx(first_s + 1.0)


def test_offset_never_makes_times_negative() -> None:
    lyrics = parse_lrc("[offset:3000]\n[00:01.00]early\n[00:10.00]late")
    assert starts(lyrics)[0] == (0.0, "early")


def test_bad_offset_is_a_format_error() -> None:
    with pytest.raises(SongFormatError) as caught:
        parse_lrc("[offset:soon]\n[00:01.00]x", "song.lrc")
    assert (caught.value.path, caught.value.field) == ("song.lrc", "offset")


def test_word_tags_last_tag_ends_last_word() -> None:
    lyrics = parse_lrc("[00:01.00]<00:01.00>A<00:01.50>ma<00:01.80>zing <00:02.40>grace<00:03.00>")
    assert words(lyrics) == [
        ("A", 1.0, 1.5),
        ("ma", 1.5, 1.8),
        ("zing ", 1.8, 2.4),
        ("grace", 2.4, 3.0),
    ]
    assert lyrics.lines[0].text == "Amazing grace"


def test_word_tags_are_trusted_over_the_line_tag() -> None:
    lyrics = parse_lrc("[00:00.50]<00:01.00>late <00:02.00>start<00:02.50>")
    assert lyrics.lines[0].start_s == 1.0


def test_unclosed_last_word_runs_to_the_next_line() -> None:
    lyrics = parse_lrc("[00:01.00]<00:01.00>one <00:02.00>two\n[00:04.00]next")
    assert words(lyrics)[-1] == ("two", 2.0, 4.0)


def test_spaces_on_both_sides_of_word_tags_show_one_space() -> None:
    lyrics = parse_lrc("[00:01.00]<00:01.00> one <00:02.00> two <00:03.00>")
    assert lyrics.lines[0].text == "one two"
    assert [w.text for w in lyrics.lines[0].words] == ["one ", "two"]
    spaced = parse_lrc(
        "[00:01.00] <00:01.00>  Ama \t<00:01.50> zing  <00:02.00>\tgrace  <00:03.00> "
    )
    assert spaced.lines[0].text == "Ama zing grace"
    assert [(w.text, w.start_s) for w in spaced.lines[0].words] == [
        ("Ama ", 1.0),
        ("zing ", 1.5),
        ("grace", 2.0),
    ]


def test_repeated_enhanced_line_shifts_its_word_tags() -> None:
    lyrics = parse_lrc("[00:10.00][01:10.00]<00:10.00>la <00:11.00>la<00:12.00>")
    assert words(lyrics, 1) == [("la ", 70.0, 71.0), ("la", 71.0, 72.0)]


def test_plain_words_spread_over_the_line_up_to_the_next() -> None:
    lyrics = parse_lrc("[00:10.00]ab cd\n[00:12.00]next")
    assert words(lyrics) == [("ab ", 10.0, 11.0), ("cd", 11.0, 12.0)]


def test_plain_line_before_a_long_gap_does_not_crawl() -> None:
    lyrics = parse_lrc("[00:10.00]short\n[01:40.00]after a long solo")
    assert lyrics.lines[0].end_s == pytest.approx(15.0)


def test_duet_prefixes_set_the_part_until_changed_and_are_stripped() -> None:
    text = "[00:01.00]all\n[00:02.00]M: him\n[00:03.00]still him\n[00:04.00]F:her\n[00:05.00]D: us"
    lyrics = parse_lrc(text)
    assert [(line.part, line.text) for line in lyrics.lines] == [
        (0, "all"),
        (1, "him"),
        (1, "still him"),
        (2, "her"),
        (0, "us"),
    ]


def test_duet_prefix_after_a_word_tag() -> None:
    lyrics = parse_lrc("[00:01.00]<00:01.00>F: la <00:02.00>di<00:03.00>")
    assert (lyrics.lines[0].part, lyrics.lines[0].text) == (2, "la di")


def test_blank_timed_lines_are_breaks() -> None:
    lyrics = parse_lrc("[00:01.00]sing\n\n[00:05.00]\n[00:20.00]again\n")
    assert [(line.start_s, line.text) for line in lyrics.lines] == [
        (1.0, "sing"),
        (5.0, ""),
        (20.0, "again"),
    ]
    assert lyrics.lines[0].end_s == 5.0
    assert lyrics.line_index_at(10.0) == 1
    assert not lyrics.is_empty


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
    ],
)
def test_unicode_encodings(encoding: str, prefix: bytes) -> None:
    text = "[ti:Café]\r\n[00:01.00]Grüße, 月亮\r\n"
    lyrics = parse_lrc(prefix + text.encode(encoding))
    assert lyrics.title == "Café"
    assert lyrics.lines[0].text == "Grüße, 月亮"


@pytest.mark.parametrize(
    ("encoding", "line"),
    [
        ("gbk", "月亮代表我的心，你问我爱你有多深"),
        ("big5", "月亮代表我的心，你問我愛你有多深"),
        ("cp1252", "Frère Jacques, dormez-vous? Sonnez les matines"),
    ],
)
def test_legacy_encodings_are_detected(encoding: str, line: str) -> None:
    text = f"[00:01.00]{line}\n[00:05.00]{line[::-1]}\n[00:09.00]{line}\n"
    lyrics = parse_lrc(text.encode(encoding))
    assert lyrics.lines[0].text == line


def test_text_without_time_tags_is_not_lrc() -> None:
    with pytest.raises(SongFormatError, match=r"no \[mm:ss\.xx\] time tags") as caught:
        parse_lrc(b"just some words\nand more", "lyrics.lrc")
    assert caught.value.path == "lyrics.lrc"


def test_empty_and_tag_only_files_give_empty_lyrics() -> None:
    assert parse_lrc(b"").is_empty
    assert parse_lrc(b"[ti:Only a title]\n").title == "Only a title"


def test_read_lrc_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(SongFormatError, match="cannot read") as caught:
        read_lrc(tmp_path / "missing.lrc")
    assert caught.value.path == str(tmp_path / "missing.lrc")
    big = tmp_path / "big.lrc"
    big.write_bytes(b"[00:01.00]x\n" * (MAX_LRC_BYTES // 10))
    with pytest.raises(SongFormatError, match="larger than"):
        read_lrc(big)
