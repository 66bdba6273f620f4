"""KAR reader against MIDI files built with mido: tempo maps, layouts, encodings."""

from __future__ import annotations

import io

import mido
import pytest

from appliance.core.errors import SongFormatError
from appliance.library.formats.kar import parse_kar, read_kar

TPB = 480


def midi_bytes(tracks: list[list[mido.MetaMessage | mido.Message]], tpb: int = TPB, kind=1):
    midi = mido.MidiFile(type=kind, ticks_per_beat=tpb, charset="latin1")
    for messages in tracks:
        midi.tracks.append(mido.MidiTrack(messages))
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def text(raw: bytes, delta: int, lyric: bool = False) -> mido.MetaMessage:
    """A text (FF 01) or lyric (FF 05) event holding raw bytes (mido writes latin-1)."""
    return mido.MetaMessage("lyrics" if lyric else "text", text=raw.decode("latin-1"), time=delta)


def notes(count: int, step: int) -> list[mido.Message]:
    out = []
    for _ in range(count):
        out += [mido.Message("note_on", note=60, velocity=90, time=0)]
        out += [mido.Message("note_off", note=60, velocity=0, time=step)]
    return out


def words_track(syllables: list[tuple[bytes, int]]) -> list:
    header = [mido.MetaMessage("track_name", name="Words", time=0)]
    header += [text(b"@KMIDI KARAOKE FILE", 0), text(b"@LENGL", 0)]
    header += [text(b"@TMy Song", 0), text(b"@TThe Band", 0), text(b"@IInfo", 0)]
    return header + [text(raw, delta) for raw, delta in syllables]


def test_soft_karaoke_words_track_with_tempo_change_mid_song():
    tempo_track = [
        mido.MetaMessage("track_name", name="Sequence", time=0),
        mido.MetaMessage("set_tempo", tempo=500_000, time=0),  # 120 bpm: a beat = 0.5 s
        mido.MetaMessage("set_tempo", tempo=1_000_000, time=4 * TPB),  # 60 bpm from 2.0 s
    ]
    syllables = [
        (b"\\Hel", 0), (b"lo", TPB), (b" world", TPB),  # 0.0, 0.5, 1.0 s
        (b"/Sec", 2 * TPB), (b"ond", TPB),  # 2.0 s, then one slow beat: 3.0 s
        (b"\\New", TPB),  # 4.0 s, new paragraph
    ]  # fmt: skip
    data = midi_bytes([tempo_track, words_track(syllables), notes(8, TPB)])
    kar = parse_kar(data, "song.kar")
    lines = kar.lyrics.lines
    assert [line.text for line in lines] == ["Hello world", "Second", "New"]
    starts = [word.start_s for line in lines for word in line.words]
    assert starts == pytest.approx([0.0, 0.5, 1.0, 2.0, 3.0, 4.0])
    assert lines[0].words[0].end_s == pytest.approx(0.5)
    assert (kar.lyrics.title, kar.lyrics.artist) == ("My Song", "The Band")
    assert kar.duration_s == pytest.approx(2.0 + 4.0)  # 8 beats: 4 at 0.5 s, 4 at 1 s


def test_lyric_events_in_track_zero_with_cr_and_lf_and_tempo_in_another_track():
    track0 = [
        text(b"Copyright nobody", 0),  # a credit among lyric events: never sung
        text(b"Twin", TPB, lyric=True),
        text(b"kle\r", TPB, lyric=True),
        text(b"Lit", TPB, lyric=True),
        text(b"tle\n", TPB, lyric=True),
        text(b"Star\x00", TPB, lyric=True),
    ]
    tempo = [mido.MetaMessage("set_tempo", tempo=250_000, time=2 * TPB)]  # doubles speed at 2 beats
    kar = parse_kar(midi_bytes([track0, tempo + notes(2, TPB)]), "t.kar")
    texts = [line.text for line in kar.lyrics.lines]
    assert texts == ["Twinkle", "Little", "Star"]
    starts = [word.start_s for line in kar.lyrics.lines for word in line.words]
    assert starts == pytest.approx([0.5, 1.0, 1.25, 1.5, 1.75])


def test_format_zero_file_and_words_track_preferred_over_duplicate_lyrics():
    single = [mido.MetaMessage("set_tempo", tempo=600_000, time=0)]
    single += [text(b"One ", 0, lyric=True), text(b"two", TPB, lyric=True)]
    kar = parse_kar(midi_bytes([single], kind=0), "zero.kar")
    assert [w.start_s for w in kar.lyrics.lines[0].words] == pytest.approx([0.0, 0.6])
    duplicate = [text(b"One ", 0, lyric=True), text(b"two", TPB, lyric=True)]
    words = words_track([(b"Real ", 0), (b"words", TPB)])
    kar = parse_kar(midi_bytes([duplicate, words]), "dup.kar")
    assert kar.lyrics.lines[0].text == "Real words"


def test_smpte_division():
    data = bytearray(midi_bytes([[text(b"A", 0, lyric=True), text(b"B", 50, lyric=True)]]))
    data[12:14] = bytes((256 - 25, 40))  # 25 fps, 40 ticks per frame: 1000 ticks per second
    kar = parse_kar(bytes(data), "smpte.kar")
    assert [w.start_s for w in kar.lyrics.lines[0].words] == pytest.approx([0.0, 0.05])


@pytest.mark.parametrize(
    ("encoding", "words"),
    [
        ("cp1252", ["Ça ", "va ", "très ", "bien, ", "mère"]),
        ("iso8859_2", ["Zażółć ", "gęślą ", "jaźń"]),
        ("cp1251", ["Ой, ", "то ", "не ", "вечер, ", "мне ", "малым ", "мало ", "спалось"]),
        ("shift_jis", ["夜空", "ノ", "ムコウ ", "あの", "頃の", "未来に"]),
    ],
)
def test_text_encoding_detection(encoding, words):
    events = [text(word.encode(encoding), TPB, lyric=True) for word in words]
    kar = parse_kar(midi_bytes([events]), "enc.kar")
    assert "".join(line.text for line in kar.lyrics.lines) == "".join(words)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not a MIDI"),
        (b"RIFF" + bytes(20), "not a MIDI"),
        (
            b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0MTrk\x00\x00\x00\x09\x00\xff\x05",
            "the file ends early (truncated): track 1 of 2 stops after 3 of its 9 bytes",
        ),
        (
            b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x01\xe0MTrk\x00\x00\x00\x04\x00\xff\x2f\x05",
            "the file ends early (truncated): its last track stops in the middle of an event",
        ),
        (
            b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x01\xe0MTrk\x00\x00\x00\x04\x00\xf4\x3c\x40",
            "corrupt MIDI data: undefined status byte 0xf4",
        ),
    ],
)
def test_malformed_midi_raises_song_format_error(data, reason):
    with pytest.raises(SongFormatError) as caught:
        parse_kar(data, "bad.kar")
    assert caught.value.path == "bad.kar"
    assert reason in caught.value.reason


def test_midi_without_lyrics_and_missing_file(tmp_path):
    with pytest.raises(SongFormatError, match="no lyrics"):
        parse_kar(midi_bytes([notes(2, TPB)]), "instrumental.mid")
    with pytest.raises(SongFormatError):
        read_kar(tmp_path / "gone.kar")
    path = tmp_path / "ok.kar"
    path.write_bytes(midi_bytes([[text(b"La", 0, lyric=True)]]))
    assert read_kar(path).lyrics.lines[0].text == "La"
