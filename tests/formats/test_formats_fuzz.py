"""Every foreign-format reader, fuzzed: bad input only ever raises SongFormatError with reasons."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import mido
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.core.errors import SongFormatError
from appliance.library.formats.cdg import CdgDecoder
from appliance.library.formats.kar import parse_kar
from appliance.library.formats.mp3g import read_mp3g_zip, read_song_file
from appliance.library.formats.songnames import parse_song_name
from appliance.library.formats.textcodec import LEGACY_WITH_ASIAN, decode_text
from appliance.library.formats.ultrastar import parse_ultrastar
from tests.support.mp3g_songs import cdg_bytes, mp3_bytes, zip_bytes

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_reasoned(error: SongFormatError, path: str) -> None:
    assert error.path == path
    assert error.reason and str(error).startswith(path)


def ultrastar_lines():
    number = st.integers(-(10**9), 10**9).map(str) | st.sampled_from(["", "x", "1.5", "-"])
    note = st.tuples(
        st.sampled_from(list(":*FRGX-PE#")), number, number, number, st.text(max_size=6)
    )
    header = st.tuples(
        st.sampled_from(
            [
                "#TITLE",
                "#artist",
                "#MP3",
                "#AUDIO",
                "#BPM",
                "#GAP",
                "#VERSION",
                "#RELATIVE",
                "#ENCODING",
            ]
        ),
        st.sampled_from(
            ["", "T", "120", "0", "-5", "1,5", "nan", "inf", "2.0.0", "yes", "koi8-r", "1e400"]
        ),
    )
    line = note.map(lambda n: f"{n[0]}{n[1]} {n[2]} {n[3]} {n[4]}") | header.map(":".join)
    return st.lists(line, max_size=30).map("\n".join)


@FUZZ
@given(ultrastar_lines(), st.sampled_from(["utf-8", "utf-16", "cp1252"]), st.booleans())
def test_ultrastar_structured_fuzz(text, encoding, require_audio):
    try:
        song = parse_ultrastar(
            text.encode(encoding, errors="replace"), "f.txt", require_audio=require_audio
        )
    except SongFormatError as error:
        assert_reasoned(error, "f.txt")
        return
    assert song.track.notes
    song.track.to_lyrics()


@FUZZ
@given(st.binary(max_size=2000))
def test_ultrastar_random_bytes(data):
    head = b"#TITLE:a\n#ARTIST:b\n#MP3:c\n#BPM:100\n"
    for blob in (data, head + data):
        try:
            parse_ultrastar(blob, "f.txt")
        except SongFormatError as error:
            assert_reasoned(error, "f.txt")


@FUZZ
@given(st.binary(max_size=24 * 40), st.floats(allow_nan=True), st.floats(-1, 10))
def test_cdg_decoder_accepts_any_bytes(data, position, other):
    decoder = CdgDecoder(data)
    for time_s in (position, other, 0.0):
        frame = decoder.frame_at(time_s)
        assert len(frame.pixels) == 300 * 216 and len(frame.viewport()) == 288 * 192
    decoder.last_change_s()


def sample_kar() -> bytes:
    midi = mido.MidiFile(ticks_per_beat=96)
    midi.tracks.append(mido.MidiTrack([
        mido.MetaMessage("set_tempo", tempo=400000, time=0),
        mido.MetaMessage("lyrics", text="\\Hel", time=10),
        mido.MetaMessage("text", text="lo/", time=10),
        mido.Message("note_on", note=60, time=5),
        mido.Message("note_off", note=60, time=50),
    ]))  # fmt: skip
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


KAR = sample_kar()


@FUZZ
@given(
    st.lists(st.tuples(st.integers(0, len(KAR) - 1), st.integers(0, 255)), max_size=8),
    st.integers(0, len(KAR)),
)
def test_kar_mutations(changes, cut):
    data = bytearray(KAR)
    for offset, value in changes:
        data[offset] = value
    for blob in (bytes(data), bytes(data[:cut])):
        try:
            parse_kar(blob, "f.kar")
        except SongFormatError as error:
            assert_reasoned(error, "f.kar")


@FUZZ
@given(st.binary(max_size=300))
def test_kar_random_bytes_after_header(data):
    try:
        parse_kar(b"MThd\x00\x00\x00\x06\x00\x01\x00\x01\x00\x60" + data, "f.kar")
    except SongFormatError as error:
        assert_reasoned(error, "f.kar")


ZIP = zip_bytes({"A - B.mp3": mp3_bytes(0.5), "A - B.cdg": cdg_bytes(0.2)}, zipfile.ZIP_DEFLATED)


@FUZZ
@given(
    st.lists(st.tuples(st.integers(0, len(ZIP) - 1), st.integers(0, 255)), max_size=6),
    st.integers(0, len(ZIP)),
)
def test_mp3g_zip_mutations(changes, cut):
    data = bytearray(ZIP)
    for offset, value in changes:
        data[offset] = value
    with tempfile.TemporaryDirectory() as folder:
        for blob in (bytes(data), bytes(data[:cut])):
            path = str(Path(folder) / "f.zip")
            Path(path).write_bytes(blob)
            try:
                song = read_mp3g_zip(path, folder)
                read_song_file(song.path, song.lyrics_file)
            except SongFormatError as error:
                assert_reasoned(error, path)


@FUZZ
@given(st.text(max_size=80), st.binary(max_size=400))
def test_names_and_text_decoding_never_fail(name, data):
    parsed = parse_song_name(name)
    assert isinstance(parsed.title, str)
    text, encoding = decode_text(data, None, LEGACY_WITH_ASIAN)
    assert isinstance(text, str) and encoding
