"""UltraStar reader: our own fixtures, one per odd case seen in the wild (FORMATS.md)."""

from __future__ import annotations

import pytest

from appliance.core.errors import SongFormatError
from appliance.library.formats.lyrics import NoteKind
from appliance.library.formats.ultrastar import parse_ultrastar, read_ultrastar

HEADER = "#TITLE:Song\n#ARTIST:Band\n#MP3:song.mp3\n#BPM:300\n#GAP:1000\n"
# BPM 300 -> one beat = 60 / 1200 s = 50 ms


def parse(text: str, **kwargs):
    return parse_ultrastar(text.encode("utf-8"), "song.txt", **kwargs)


def test_time_formula_gap_and_beats():
    song = parse(HEADER + ": 0 4 0 A\n: 20 2 -3 B\nE\n")
    first, second = song.track.notes
    assert first.start_s == pytest.approx(1.0)
    assert first.duration_s == pytest.approx(0.2)
    assert second.start_s == pytest.approx(2.0)
    assert second.pitch_midi == 57
    assert (song.title, song.artist, song.audio, song.bpm, song.gap_ms) == (
        "Song", "Band", "song.mp3", 300.0, 1000.0,
    )  # fmt: skip


def test_mixed_case_keys_values_with_colon_and_unknown_keys():
    text = "#title:Re: Union\n#ArTiSt:A:B\n#mp3:x.mp3\n#bpm:100\n#WHATEVER:1\n: 0 1 0 x\n"
    song = parse(text)
    assert (song.title, song.artist) == ("Re: Union", "A:B")


def test_audio_supersedes_mp3_and_other_headers():
    text = (
        "#VERSION:1.1.0\n#TITLE:T\n#ARTIST:A\n#MP3:old.mp3\n#AUDIO:new.ogg\n#BPM:100\n"
        "#VOCALS:v.ogg\n#INSTRUMENTAL:i.ogg\n#VIDEO:v.mp4\n#COVER:c.jpg\n#LANGUAGE:English\n"
        "#YEAR:1999\n#GENRE:Pop\n#P1:Ann\n#P2:Bob\n#START:1,5\n#END:90000\n: 0 1 0 x\n"
    )
    song = parse(text)
    assert song.audio == "new.ogg"
    assert (song.vocals, song.instrumental, song.video, song.cover) == (
        "v.ogg", "i.ogg", "v.mp4", "c.jpg",
    )  # fmt: skip
    assert (song.language, song.year, song.genre, song.version) == (
        "English", "1999", "Pop", "1.1.0",
    )  # fmt: skip
    assert song.part_names == ("Ann", "Bob")
    assert song.start_s == 1.5
    assert song.end_ms == 90000


def test_decimal_comma_bpm_and_decimal_gap():
    song = parse("#TITLE:T\n#ARTIST:A\n#MP3:a\n#BPM:150,5\n#GAP:250.5\n: 4 1 0 x\n")
    assert song.bpm == 150.5
    assert song.track.notes[0].start_s == pytest.approx(0.2505 + 4 * 60 / (150.5 * 4))


def test_note_types_and_unknown_type_is_freestyle():
    body = ": 0 1 0 a\n* 1 1 0 b\nF 2 1 0 c\nR 3 1 0 d\nG 4 1 0 e\nX 5 1 0 f\n"
    kinds = [note.kind for note in parse(HEADER + body).track.notes]
    assert kinds == [
        NoteKind.NORMAL, NoteKind.GOLDEN, NoteKind.FREESTYLE, NoteKind.RAP,
        NoteKind.GOLDEN_RAP, NoteKind.FREESTYLE,
    ]  # fmt: skip


def test_text_keeps_spaces_tilde_and_empty_text():
    body = ": 0 1 0 Hel\n: 1 1 0 lo \n: 2 1 0  world\n: 3 1 0 ~\n: 4 1 0\n: 5 1 0 \n"
    texts = [note.text for note in parse(HEADER + body).track.notes]
    assert texts == ["Hel", "lo ", " world", "~", "", ""]
    line = parse(HEADER + body).track.to_lyrics().lines[0]
    assert line.text == "Hello  world"


def test_no_space_after_type_several_spaces_negative_numbers_tabs():
    body = ":0 2 0 a\n:   10   2    -5 b\n*\t-4\t2\t3 c\n"
    notes = parse(HEADER + body).track.notes
    assert [(n.text, n.pitch_midi) for n in notes] == [("a", 60), ("b", 55), ("c", 63)]
    assert notes[2].start_s == pytest.approx(1.0 - 0.2)


def test_phrase_breaks_and_old_two_number_form_and_missing_final_marks():
    body = ": 0 2 0 One \n: 2 2 0 two\n- 6\n: 8 2 0 Three\n- 12 14\n: 14 2 0 Four\n"
    song = parse(HEADER + body)
    assert song.track.line_breaks_s == pytest.approx((1.3, 1.6))
    lines = song.track.to_lyrics().lines
    assert [line.text for line in lines] == ["One two", "Three", "Four"]


def test_relative_mode():
    text = HEADER + "#RELATIVE:yes\n: 0 2 0 a\n- 4 10\n: 0 2 0 b\n- 4\n: 2 2 0 c\n"
    notes = parse(text).track.notes
    assert [round((n.start_s - 1.0) / 0.05) for n in notes] == [0, 10, 16]


def test_end_marker_stops_reading():
    notes = parse(HEADER + ": 0 1 0 a\nE\n: 5 1 0 b\ngarbage\n").track.notes
    assert [n.text for n in notes] == ["a"]


def test_duet_parts_and_breaks_per_part():
    body = (
        "P1\n: 0 2 0 Hi \n: 2 2 0 there\n- 6\n: 10 2 0 P1-two\n"
        "P2\n: 4 2 0 Yo\n- 8\n: 8 2 0 P2-two\nE\n"
    )
    song = parse(HEADER + "#P1:Ann\n#P2:Bob\n" + body)
    assert song.is_duet
    assert {n.part for n in song.track.notes} == {1, 2}
    lyrics = song.track.to_lyrics()
    assert [(line.part, line.text) for line in lyrics.lines] == [
        (1, "Hi there"), (2, "Yo"), (2, "P2-two"), (1, "P1-two"),
    ]  # fmt: skip


def test_bom_and_utf16_and_crlf():
    text = HEADER + ": 0 1 0 Grüße\r\n: 1 1 0 ça\r\n"
    for data in (
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        text.encode("utf-16"),
        text.encode("utf-16-le"),
        text.encode("utf-16-be"),
    ):
        song = parse_ultrastar(data, "s.txt")
        assert [n.text for n in song.track.notes] == ["Grüße", "ça"]
        assert song.title == "Song"


@pytest.mark.parametrize(
    ("encoding", "declared", "words"),
    [
        ("cp1252", None, ["Ça ", "va ", "très ", "bien, ", "mère"]),
        ("cp1252", "CP1252", ["Ça ", "va ", "très ", "bien, ", "mère"]),
        ("iso8859_1", None, ["Ich ", "liebe ", "dich ", "für ", "immer"]),
        ("cp1250", "CP1250", ["Zażółć ", "gęślą ", "jaźń"]),
        ("koi8_r", None, ["Ой, ", "то ", "не ", "вечер, ", "мне ", "малым ", "мало ", "спалось"]),
        ("koi8_r", "KOI8-R", ["Ой, ", "то ", "не ", "вечер"]),
        ("cp1251", None, ["Ой, ", "то ", "не ", "вечер, ", "мне ", "малым ", "мало ", "спалось"]),
    ],
)
def test_legacy_encodings_with_and_without_declaration(encoding, declared, words):
    header = HEADER.replace("Song", "Chanson")
    if declared:
        header += f"#ENCODING:{declared}\n"
    body = "".join(f": {i} 1 0 {word}\n" for i, word in enumerate(words))
    song = parse_ultrastar((header + body + "E\n").encode(encoding), "s.txt")
    assert [n.text for n in song.track.notes] == words


def test_require_audio_flag():
    text = "#TITLE:T\n#ARTIST:A\n#BPM:100\n: 0 1 0 x\n"
    with pytest.raises(SongFormatError) as caught:
        parse(text)
    assert caught.value.field == "AUDIO"
    assert parse(text, require_audio=False).audio == ""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("#ARTIST:A\n#MP3:a\n#BPM:100\n: 0 1 0 x\n", "TITLE"),
        ("#TITLE:T\n#ARTIST:A\n#MP3:a\n: 0 1 0 x\n", "BPM"),
        ("#TITLE:T\n#ARTIST:A\n#MP3:a\n#BPM:abc\n: 0 1 0 x\n", "not a number"),
        ("#TITLE:T\n#ARTIST:A\n#MP3:a\n#BPM:0\n: 0 1 0 x\n", "positive"),
        (HEADER + "E\n", "no notes"),
        (HEADER + ": 0 x 0 y\n", "line 6"),
        (HEADER + ": 0 -1 0 y\n", "out of range"),
        ("#VERSION:2.0.0\n" + HEADER + ": 0 1 0 x\n", "version"),
    ],
)
def test_malformed_files_raise_song_format_error(text, reason):
    with pytest.raises(SongFormatError) as caught:
        parse(text)
    assert caught.value.path == "song.txt"
    assert reason in str(caught.value)


def test_read_from_disk_and_missing_file(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text(HEADER + ": 0 1 0 x\n", encoding="utf-8")
    assert read_ultrastar(path).track.notes[0].text == "x"
    with pytest.raises(SongFormatError) as caught:
        read_ultrastar(tmp_path / "missing.txt")
    assert "missing.txt" in caught.value.path
