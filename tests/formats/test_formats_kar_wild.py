"""KAR files as they are found in the wild, written here with mido: chord names beside the
lyrics, credits where a title should be, section markers, line marks inside syllables, no
``@T`` at all, and files cut short. Only syllables are sung; the title and artist come from
``@T``, then a title-like track name, then the file name; never from a copyright line."""

from __future__ import annotations

import io
from pathlib import Path

import mido
import pytest

from appliance.core.catalog import Catalog
from appliance.core.errors import SongFormatError
from appliance.core.store import Store
from appliance.library.formats.kar import parse_kar, read_kar
from appliance.library.scanning.scanner import scan_library

TPB = 480


def meta(kind: str, value: str, delta: int = TPB) -> mido.MetaMessage:
    if kind == "track_name":
        return mido.MetaMessage("track_name", name=value, time=delta)
    return mido.MetaMessage(kind, text=value, time=delta)


def midi_bytes(*tracks: list) -> bytes:
    midi = mido.MidiFile(type=1, ticks_per_beat=TPB, charset="latin1")
    for messages in tracks:
        midi.tracks.append(mido.MidiTrack(messages))
    midi.tracks.append(
        mido.MidiTrack(
            [
                mido.Message("note_on", note=64, velocity=90, time=0),
                mido.Message("note_off", note=64, velocity=0, time=16 * TPB),
            ]
        )
    )
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def sung(data: bytes, name: str = "song.kar") -> list[str]:
    return [line.text for line in parse_kar(data, name).lyrics.lines]


def test_chord_text_events_beside_lyric_events_are_not_sung():
    """Lyrics as lyric events (FF 05), chords as text events (FF 01) in the same track: the
    file that sang "IT'A S A DAMN A sus4/DCOLD NIGHT"."""
    track = [
        meta("lyrics", "IT'", 0),
        meta("text", "A ", 0),
        meta("lyrics", "S "),
        meta("lyrics", "A "),
        meta("lyrics", "DAMN "),
        meta("text", "A sus4/D", 0),
        meta("lyrics", "COLD "),
        meta("lyrics", "NIGHT"),
    ]
    assert sung(midi_bytes(track)) == ["IT'S A DAMN COLD NIGHT"]


def test_chord_names_among_soft_karaoke_text_syllables_are_not_sung():
    words = [meta("track_name", "Words", 0), meta("text", "@TCold Night", 0)]
    words += [
        meta("text", "\\IT'", 0),
        meta("text", "A", 0),  # a bare "A" in a track with clear chords: a chord
        meta("text", "S "),
        meta("text", "A "),  # "A " with its space: the word
        meta("text", "DAMN "),
        meta("text", "Asus4/D", 0),
        meta("text", "COLD "),
        meta("text", "NIGHT"),
        meta("text", "D/F#", 0),
        meta("text", "/A "),  # a new line starting with the word "A"
        meta("text", "Cmaj7", 0),
        meta("text", "[Am]", 0),
        meta("text", "LONG "),
        meta("text", "(G)", 0),
        meta("text", "ROAD"),
        meta("text", "Em", 0),
    ]
    assert sung(midi_bytes(words)) == ["IT'S A DAMN COLD NIGHT", "A LONG ROAD"]


def test_without_clear_chords_a_bare_letter_is_a_syllable():
    words = [meta("track_name", "Words", 0)]
    words += [meta("text", "\\C", 0), meta("text", "ome "), meta("text", "A"), meta("text", "way")]
    assert sung(midi_bytes(words)) == ["Come Away"]


def test_credits_markers_and_line_marks_are_never_shown():
    words = [meta("track_name", "Words", 0)]
    words += [
        meta("text", "@KMIDI KARAOKE FILE", 0),
        meta("text", "@IKaraoke file by Someone <someone@example.org>", 0),
        meta("text", "(C) 1999 Acme Music Ltd.", 0),
        meta("text", "Sequenced by J. Doe", 0),
        meta("text", "%a comment", 0),
        meta("text", "[Chorus]", 0),
        meta("text", "\\Home  ", 0),
        meta("text", "\tsweet\t"),
        meta("text", "home/"),  # a line mark at the end of a syllable
        meta("text", "There's /no "),  # and one in the middle
        meta("text", "place\\"),
        meta("text", "www.example.com", 0),
        meta("text", "like "),
        meta("text", "home"),
    ]
    lines = sung(midi_bytes(words))
    assert lines == ["Home sweet home", "There's", "no place", "like home"]
    assert not any(mark in line for line in lines for mark in "/\\@[%")


def test_title_from_at_t_and_artist_from_the_second_at_t():
    words = [meta("track_name", "Copyright 2001 Acme", 0)]
    words += [meta("text", "@TWaterloo", 0), meta("text", "@TABBA", 0)]
    words += [meta("text", "@T(c) 2001 Sequencer Guy", 0), meta("text", "My ", 0)]
    words += [meta("text", "my")]
    lyrics = parse_kar(midi_bytes(words), "x.kar").lyrics
    assert (lyrics.title, lyrics.artist) == ("Waterloo", "ABBA")


def test_a_copyright_track_name_is_never_the_title(tmp_path: Path):
    """No @T; the first track is named after the copyright holder; the file is "Artist -
    Title.kar": the scan takes both from the file name, and a search for the artist finds it."""
    tempo = [meta("track_name", "(C) 1995 Big Label Records", 0)]
    words = [meta("track_name", "Words", 0), meta("text", "\\Sing ", 0), meta("text", "along")]
    folder = tmp_path / "usb"
    folder.mkdir()
    (folder / "The Tunesmiths - Sing Along Song.kar").write_bytes(midi_bytes(tempo, words))
    untitled = [meta("track_name", "Untitled", 0), meta("lyrics", "La ", 0), meta("lyrics", "la")]
    (folder / "Meadow Lark.kar").write_bytes(midi_bytes(untitled))
    titled = [meta("track_name", "Evening Bells", 0), meta("lyrics", "Ding ", 0)]
    (folder / "Folk Choir - evening_bells.kar").write_bytes(midi_bytes(titled))

    catalog = Catalog(Store.open_memory())
    report = scan_library(folder, catalog)
    assert report.added == 3, report.failures
    songs = {song.title: song.artist for song in catalog.list_all(limit=10)}
    assert songs == {
        "Sing Along Song": "The Tunesmiths",
        "Meadow Lark": "",
        "Evening Bells": "Folk Choir",
    }
    assert [song.title for song in catalog.search("tunesmiths")] == ["Sing Along Song"]
    assert [song.title for song in catalog.search("folk choir")] == ["Evening Bells"]


def test_a_truncated_kar_says_it_ends_early(tmp_path: Path):
    words = [meta("track_name", "Words", 0)] + [meta("text", f"la{n} ") for n in range(40)]
    whole = midi_bytes(words)
    for cut in (len(whole) // 2, len(whole) - 3, 30):
        path = tmp_path / "Half Song.kar"
        path.write_bytes(whole[:cut])
        with pytest.raises(SongFormatError) as caught:
            read_kar(path)
        reason = caught.value.reason
        assert reason.startswith("the file ends early (truncated): "), reason
        assert "EOFError" not in str(caught.value)
        assert str(caught.value).startswith(f"{path}: the file ends early")


@pytest.mark.parametrize("page", ["cp865", "cp850", "cp1252"])
def test_a_nordic_kar_is_read_in_its_code_page_with_its_at_l_tag(page):
    syllables = ["Rød", "grød ", "med ", "fløde ", "på ", "øen"]
    words = [meta("track_name", "Words", 0), meta("text", "@LDANS", 0)]
    words += [meta("text", syllable.encode(page).decode("latin-1")) for syllable in syllables]
    kar = parse_kar(midi_bytes(words), "x.kar")
    assert [line.text for line in kar.lyrics.lines] == ["Rødgrød med fløde på øen"]
