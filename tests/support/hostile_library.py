"""A library as people really have it, written by the project itself: every case of issue 12
that the library must index or report (never lose in silence), repeated ``sets`` times.

``build_hostile_library(root, sets)`` returns :class:`Expected`: the song paths that must be
indexed, and for each path that must fail, a fragment of the reason a person reads::

    expected = build_hostile_library(tmp_path / "songs", sets=16)   # 256 songs, 144 failures

Each set holds: two UltraStar songs by 周杰伦 (names only in CJK) and two native folders in
CJK; four "t.A.T.u." spellings of one song; two different UltraStars of one artist and title;
audio named ``AUDIO.WAV`` beside ``audio.wav``; NFD file names named NFC (a Mac copy); audio
at ``../../sounds/`` (inside the library) and outside the library; missing audio; corrupt
notes, KAR, zip, a lonely CD+G, lyrics without audio, audio + LRC with unreadable audio, a
text that is not a song; good MP3+G, KAR, audio + LRC songs; pictures and a read-me.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.importer_songs import kar_bytes
from tests.support.mp3g_songs import cdg_bytes, mp3_bytes, wav_bytes
from tests.support.song_folders import make_song


@dataclass
class Expected:
    """What a scan of the library must find."""

    indexed: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)
    outside: Path | None = None


def ultrastar_text(title: str, artist: str, audio: str, pitch: int = 0) -> str:
    return (
        f"#TITLE:{title}\n#ARTIST:{artist}\n#MP3:{audio}\n#BPM:240\n#GAP:100\n"
        f": 0 4 {pitch} One\n: 4 4 2  two\n- 10\n: 10 4 4 Three\nE\n"
    )


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _ultrastar(folder: Path, txt: str, audio: str, title: str, artist: str, **kw: int) -> str:
    """An UltraStar song with a WAV named exactly ``audio``; returns the .txt path."""
    _write(folder / audio, wav_bytes(2.0))
    return str(_write(folder / txt, ultrastar_text(title, artist, audio, **kw)))


def build_hostile_library(root: Path, sets: int) -> Expected:
    """Write ``sets`` sets of every case under ``root`` (see the module doc)."""
    expected = Expected(outside=root.parent / "outside.wav")
    _write(expected.outside, wav_bytes(1.0))
    for number in range(sets):
        _one_set(root / f"set {number:03d}", expected)
    return expected


def _one_set(base: Path, expected: Expected) -> None:
    ok, bad = expected.indexed, expected.failed
    jay = base / "周杰伦"
    ok.add(_ultrastar(jay, "晴天.txt", "晴天.wav", "晴天", "周杰伦"))
    ok.add(_ultrastar(jay, "七里香.txt", "七里香.wav", "七里香", "周杰伦"))
    for title in ("稻香", "青花瓷"):
        ok.add(str(make_song(base / "周杰伦 native" / title, title=title, artist="周杰伦")))
    for spelling in ("t.A.T.u.", "t.A.T.u", "T.A.T.U.", "t_A_T_u"):
        song = _ultrastar(base / spelling, "All.txt", "a.wav", "All the Things", spelling)
        ok.add(song)
    ok.add(_ultrastar(base / "Dup A", "Band - Hit.txt", "hit.wav", "Hit", "Band"))
    ok.add(_ultrastar(base / "Dup B", "Band - Hit.txt", "hit.wav", "Hit", "Band", pitch=5))
    windows = base / "Windows"
    _write(windows / "audio.wav", wav_bytes(2.0))
    ok.add(str(_write(windows / "Song.txt", ultrastar_text("Win", "Dows", "AUDIO.WAV"))))
    mac = base / unicodedata.normalize("NFD", "Björk")
    _write(mac / unicodedata.normalize("NFD", "Jóga.wav"), wav_bytes(2.0))
    ok.add(str(_write(mac / "Jóga.txt", ultrastar_text("Jóga", "Björk", "Jóga.wav"))))
    _write(base / "sounds" / "x.wav", wav_bytes(2.0))
    inside = ultrastar_text("Inside", "Rel", "../../sounds/x.wav")
    ok.add(str(_write(base / "rel" / "in" / "Inside.txt", inside)))
    outside = ultrastar_text("Outside", "Rel", "../../../../outside.wav")
    bad[str(_write(base / "rel" / "out" / "Outside.txt", outside))] = "outside the library"
    missing = ultrastar_text("Missing", "Nobody", "gone.wav")
    bad[str(_write(base / "Missing" / "Missing.txt", missing))] = "audio file (#MP3/#AUDIO) not"
    _corrupt(base / "Corrupt", bad)
    _good_foreign(base / "Good", ok)
    _write(base / "Good" / "cover.jpg", b"\xff\xd8\xff not really a picture")
    _write(base / "Good" / "readme.txt", "songs from a friend\n")


def _corrupt(folder: Path, bad: dict[str, str]) -> None:
    notes = ultrastar_text("Broken", "Notes", "b.wav").replace(": 4 4 2", ": four 4 2")
    _write(folder / "Notes" / "b.wav", wav_bytes(1.0))
    bad[str(_write(folder / "Notes" / "Broken.txt", notes))] = "line 7: cannot read"
    bad[str(_write(folder / "Broken.kar", b"MThd\x00\x00\x00\x06\x00\x01"))] = "MIDI"
    bad[str(_write(folder / "Broken.zip", b"PK\x03\x04 not a zip at all"))] = "zip"
    bad[str(_write(folder / "Lonely.cdg", cdg_bytes(1.0)))] = "no audio file"
    bad[str(_write(folder / "Lyrics only.lrc", "[00:01.00]la\n"))] = "no audio file of the same"
    _write(folder / "Mute.lrc", "[00:01.00]la\n")
    bad[str(_write(folder / "Mute.ogg", b"OggS garbage"))] = "unreadable audio"
    bad[str(_write(folder / "Shopping list.txt", "milk\neggs\n"))] = "not an UltraStar song"


def _good_foreign(folder: Path, ok: set[str]) -> None:
    ok.add(str(_write(folder / "SC1001-01 - Band - Song.mp3", mp3_bytes(2.0))))
    _write(folder / "SC1001-01 - Band - Song.cdg", cdg_bytes(2.0))
    ok.add(str(_write(folder / "Artist - Tune.kar", kar_bytes())))
    ok.add(str(_write(folder / "Singer - Words.wav", wav_bytes(2.0))))
    _write(folder / "Singer - Words.lrc", "[00:01.00]words\n")
