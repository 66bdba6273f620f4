"""load_lyrics picks the reader by the kind of lyrics file: LRC, KAR, or CD+G graphics."""

from __future__ import annotations

from appliance.core.models import Song, SongId, SongKind
from appliance.library.formats.songfiles import load_lyrics
from tests.support.importer_songs import kar_bytes


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
