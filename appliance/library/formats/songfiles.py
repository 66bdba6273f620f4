"""The lyric and note files of a catalogued song, loaded when the song is about to be sung.

A native song's files are named relative to its folder; other kinds (plain audio + LRC) name
them relative to the folder of their main file::

    >>> from appliance.core.models import Song, SongId
    >>> load_lyrics(Song(SongId("x"), "Instrumental", "", 60.0, "/nowhere")).is_empty
    True

Lyrics come from the LRC file when there is one, else from the UltraStar notes. A missing or
corrupt file raises :class:`SongFormatError`; a song without either has empty lyrics.
"""

from __future__ import annotations

import os

from appliance.core.models import Song, SongKind
from appliance.library.formats.kar import read_kar
from appliance.library.formats.lrc import read_lrc
from appliance.library.formats.lyrics import Lyrics, NoteTrack
from appliance.library.formats.ultrastar import read_ultrastar


def song_file_path(song: Song, relative: str) -> str:
    """Absolute path of a file a song's manifest names."""
    base = song.path if song.kind is SongKind.NATIVE else os.path.dirname(song.path)
    return os.path.join(base, relative)


def has_graphics_lyrics(song: Song) -> bool:
    """True for CD+G songs: their lyrics are pictures the TV's CD+G scene draws."""
    name = song.lyrics_file.lower()
    return name.endswith(".cdg") or name.startswith("zip-member:")


def load_lyrics(song: Song) -> Lyrics:
    """The song's timed lyrics (empty when it has no lyrics or notes file, or for CD+G)."""
    if song.lyrics_file and has_graphics_lyrics(song):
        return Lyrics(title=song.title, artist=song.artist)
    if song.lyrics_file.lower().endswith((".kar", ".mid", ".midi")):
        lyrics = read_kar(song_file_path(song, song.lyrics_file)).lyrics
    elif song.lyrics_file:
        lyrics = read_lrc(song_file_path(song, song.lyrics_file))
    elif song.notes_file:
        track = load_notes(song)
        lyrics = track.to_lyrics() if track else Lyrics()
    else:
        return Lyrics()
    return Lyrics(
        lines=lyrics.lines, title=lyrics.title or song.title, artist=lyrics.artist or song.artist
    )


def load_notes(song: Song) -> NoteTrack | None:
    """The song's sung notes with pitch (for scoring and the notes view), or None."""
    if not song.notes_file:
        return None
    return read_ultrastar(song_file_path(song, song.notes_file), require_audio=False).track
