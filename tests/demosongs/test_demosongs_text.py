"""Lyrics, notes and manifest files: they read back and match the note data exactly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from appliance.demosongs import SONG_IDS, SONGS
from appliance.demosongs.render import STEMS
from appliance.library.formats.lrc import read_lrc
from appliance.library.formats.ultrastar import read_ultrastar
from appliance.library.songfolder.manifest import read_manifest

_LINE = re.compile(r"\[(\d\d):(\d\d\.\d\d)\](.*)\Z")
_WORD = re.compile(r"<(\d\d):(\d\d\.\d\d)>([^<]*)")


def _seconds(minutes: str, seconds: str) -> float:
    return int(minutes) * 60 + float(seconds)


def _parse_lrc(text: str) -> list[tuple[float, list[tuple[float, str]]]]:
    lines = []
    for raw in text.splitlines():
        match = _LINE.match(raw)
        if match:
            words = [(_seconds(m, s), word) for m, s, word in _WORD.findall(match.group(3))]
            lines.append((_seconds(match.group(1), match.group(2)), words))
    return lines


@pytest.mark.parametrize("song_id", SONG_IDS)
def test_lrc_word_times_are_the_note_onsets(demo_library: Path, song_id):
    song = SONGS[song_id]
    text = (demo_library / song_id / "lyrics.lrc").read_text(encoding="utf-8")
    assert text.startswith(f"[ti:{song.spec.title}]\n[ar:{song.spec.artist}]\n")
    lines = _parse_lrc(text)
    assert len(lines) == len(song.phrases)
    for (line_s, words), phrase in zip(lines, song.phrases, strict=True):
        assert line_s == pytest.approx(phrase[0].start_s, abs=1e-9)
        assert [w for _, w in words] == [n.text for n in phrase] + [""]
        assert [t for t, _ in words] == pytest.approx(
            [n.start_s for n in phrase] + [phrase[-1].end_s], abs=1e-9
        )


@pytest.mark.parametrize("song_id", SONG_IDS)
def test_lrc_reads_back_with_the_library_reader(demo_library: Path, song_id):
    song = SONGS[song_id]
    lyrics = read_lrc(demo_library / song_id / "lyrics.lrc")
    assert (lyrics.title, lyrics.artist) == (song.spec.title, song.spec.artist)
    words = [word for line in lyrics.lines for word in line.words]
    assert [w.text for w in words] == [n.text for n in song.notes]
    assert [w.start_s for w in words] == pytest.approx([n.start_s for n in song.notes], abs=1e-6)
    assert lyrics.lines[0].text.startswith(song.notes[0].text)


@pytest.mark.parametrize("song_id", SONG_IDS)
def test_notes_txt_reproduces_the_note_data(demo_library: Path, song_id):
    song = SONGS[song_id]
    path = demo_library / song_id / "notes.txt"
    text = path.read_text(encoding="utf-8")
    header = dict(line[1:].split(":", 1) for line in text.splitlines() if line.startswith("#"))
    assert header["VERSION"] == "1.0.0"
    bpm, gap = float(header["BPM"]), float(header["GAP"])
    body = [line for line in text.splitlines() if line.startswith(":")]
    assert len(body) == len(song.notes)
    for line, note in zip(body, song.notes, strict=True):
        _, start, length, pitch, syllable = line.split(" ", 4)
        assert gap + int(start) * 60000 / (bpm * 4) == pytest.approx(note.start_s * 1000, abs=1e-6)
        assert int(length) * 60000 / (bpm * 4) == pytest.approx(note.duration_s * 1000, abs=1e-6)
        assert (int(pitch) + 60, syllable) == (note.pitch_midi, note.text)
    assert text.rstrip().endswith("\nE")
    track = read_ultrastar(path, require_audio=False).track
    assert [(n.start_s, n.pitch_midi, n.text) for n in track.notes] == [
        (pytest.approx(n.start_s, abs=1e-6), n.pitch_midi, n.text) for n in song.notes
    ]
    assert len(track.to_lyrics().lines) == len(song.phrases)


@pytest.mark.parametrize("song_id", SONG_IDS)
def test_the_manifest_reads_back(demo_library: Path, song_id):
    demo = SONGS[song_id]
    song = read_manifest(demo_library / song_id)
    assert (song.song_id, song.title, song.artist) == (song_id, demo.spec.title, demo.spec.artist)
    assert (song.key, song.bpm, song.language) == (demo.spec.key, demo.bpm, "en")
    assert song.duration_s == demo.duration_s
    assert "demo" in song.tags
    assert [s.name for s in song.stems] == list(STEMS)
    assert {s.name: str(s.role) for s in song.stems}["lead_vocal"] == "lead_vocal"
    assert {s.name: str(s.role) for s in song.stems}["click"] == "click"
    assert song.has_guide and song.has_stems
    assert (song.lyrics_file, song.notes_file) == ("lyrics.lrc", "notes.txt")
    raw = (demo_library / song_id / "song.toml").read_text(encoding="utf-8")
    assert raw.startswith("format = 1\n") and "[[stems]]" in raw
