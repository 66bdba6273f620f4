"""load_lyrics picks the reader by the kind of lyrics file: LRC, KAR, or CD+G graphics."""

from __future__ import annotations

import io

import mido

from appliance.core.models import Song, SongId, SongKind
from appliance.library.formats.songfiles import load_lyrics


def kar_bytes() -> bytes:
    midi = mido.MidiFile(ticks_per_beat=96)
    midi.tracks.append(
        mido.MidiTrack(
            [
                mido.MetaMessage("set_tempo", tempo=500000, time=0),
                mido.MetaMessage("lyrics", text="Twin", time=96),
                mido.MetaMessage("lyrics", text="kle ", time=96),
                mido.MetaMessage("lyrics", text="star", time=96),
            ]
        )
    )
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()


def test_kar_lyrics_come_from_the_midi_file(tmp_path):
    path = tmp_path / "twinkle.kar"
    path.write_bytes(kar_bytes())
    song = Song(SongId("k"), "Twinkle", "", 3.0, str(path), SongKind.KAR, lyrics_file=path.name)
    lyrics = load_lyrics(song)
    assert "".join(line.text for line in lyrics.lines).replace(" ", "") == "Twinklestar"
    assert lyrics.lines[0].words[0].start_s == 0.5  # 96 ticks at 120 bpm


def test_cdg_songs_have_no_text_lyrics(tmp_path):
    for lyrics_file in ("Song.cdg", "zip-member:Artist - Song.cdg"):
        song = Song(SongId("c"), "S", "A", 3.0, str(tmp_path / "x.zip"), SongKind.MP3G,
                    lyrics_file=lyrics_file)  # fmt: skip
        assert load_lyrics(song).is_empty
