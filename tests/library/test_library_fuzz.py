"""Fuzzing: whatever the bytes, the LRC parser and the manifest reader raise only
SongFormatError, and what they return is well-formed."""

from __future__ import annotations

import tempfile
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.core.errors import SongFormatError
from appliance.library.formats.lrc import parse_lrc
from appliance.library.formats.lyrics import Lyrics
from appliance.library.songfolder.manifest import (
    SONG_KEYS,
    STEM_KEYS,
    parse_manifest,
    read_manifest,
)

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

time_tags = st.builds(
    lambda m, s, f, bracket: f"{bracket[0]}{m}:{s}{f}{bracket[1]}",
    st.integers(0, 200).map(lambda n: f"{n:02d}"),
    st.integers(0, 99).map(lambda n: f"{n:02d}"),
    st.sampled_from(["", ".5", ".25", ".125", ":30", ".", ".1234"]),
    st.sampled_from(["[]", "<>", "[>", "<]"]),
)
lrc_pieces = st.one_of(
    time_tags,
    st.sampled_from(
        ["[ti:x]", "[offset:+300]", "[offset:-99999]", "[offset:x]", "[ar:]", "[Chorus]", "M:",
         "F: ", "D:", "\n", "\r\n", " ", "[", "]", "<", ">", ":", "\ufeff", "\x00"]
    ),
    st.text(max_size=8),
)  # fmt: skip
lrc_texts = st.lists(lrc_pieces, max_size=40).map("".join)


def check_lyrics(lyrics: Lyrics) -> None:
    starts = [line.start_s for line in lyrics.lines]
    assert starts == sorted(starts)
    for line in lyrics.lines:
        assert line.part in (0, 1, 2)
        for word in line.words:
            assert 0.0 <= word.start_s <= word.end_s
            assert word.text


def parses_or_refuses(data: bytes | str) -> None:
    try:
        lyrics = parse_lrc(data, "fuzz.lrc")
    except SongFormatError as error:
        assert error.path == "fuzz.lrc"
    else:
        check_lyrics(lyrics)


@FUZZ
@given(st.binary(max_size=400))
def test_lrc_random_bytes(data: bytes) -> None:
    parses_or_refuses(data)


@FUZZ
@given(lrc_texts, st.sampled_from(["utf-8", "utf-16", "gb18030", "cp1252"]))
def test_lrc_random_lrc_like_text(text: str, encoding: str) -> None:
    parses_or_refuses(text)
    parses_or_refuses(text.encode(encoding, errors="replace"))


toml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["drums", "lead_vocal", "mix", "G", "Am", "en", "a.flac", "../x", "/etc"]),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(STEM_KEYS), inner, max_size=5)
    ),
    max_leaves=12,
)
manifests = st.dictionaries(
    st.one_of(st.sampled_from(SONG_KEYS), st.text(max_size=6)), toml_values, max_size=12
)


@FUZZ
@given(manifests)
def test_manifest_random_fields(data: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "a.flac").write_bytes(b"x")
        try:
            song = parse_manifest(data, folder)
        except SongFormatError as error:
            assert error.path.endswith("song.toml")
        else:
            assert song.duration_s > 0 and song.stems and song.title


@FUZZ
@given(manifests)
def test_manifest_random_toml_files(data: dict[str, object]) -> None:
    clean = {key: value for key, value in data.items() if value is not None}
    try:
        text = tomli_w.dumps(clean).encode("utf-8")
    except (TypeError, ValueError):
        return
    check_manifest_bytes(text)


@FUZZ
@given(st.binary(max_size=300))
def test_manifest_random_bytes(data: bytes) -> None:
    check_manifest_bytes(data)


def check_manifest_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "song.toml").write_bytes(data)
        try:
            read_manifest(folder)
        except SongFormatError as error:
            assert error.path == str(Path(folder, "song.toml"))
