"""The lyric and note files of a catalogued song, loaded when the song is about to be sung.

A native song's files are named relative to its folder; other kinds (plain audio + LRC) name
them relative to the folder of their main file::

    >>> from appliance.core.models import Song, SongId
    >>> load_lyrics(Song(SongId("x"), "Instrumental", "", 60.0, "/nowhere")).is_empty
    True

Lyrics come from the LRC file when there is one, else from the UltraStar notes. A missing or
corrupt file raises :class:`SongFormatError`; a song without either has empty lyrics.

An UltraStar song's own background for the TV (``#VIDEO`` with ``#VIDEOGAP``, else a video
named as its audio, else ``#BACKGROUND``; also a native song's notes imported from one) is
:func:`song_backdrop`; None when it has none or the file is not there.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from appliance.core.errors import SongFormatError
from appliance.core.models import Song, SongKind
from appliance.library.formats.audioprobe import VIDEO_EXTENSIONS
from appliance.library.formats.kar import read_kar
from appliance.library.formats.lrc import read_lrc
from appliance.library.formats.lyrics import Lyrics, NoteTrack
from appliance.library.formats.ultrastar import UltraStarSong, read_ultrastar
from appliance.library.songfolder.filematch import find_named_file

log = logging.getLogger(__name__)

PICTURE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp")


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


@dataclass(frozen=True)
class SongBackdrop:
    """A picture or video to draw behind a song's lyrics. ``gap_s`` is ``#VIDEOGAP``: the
    video's time is the song time + ``gap_s`` (as UltraStar Deluxe plays it: a positive gap
    skips the video's start, a negative one holds its first frame that long)."""

    path: str
    is_video: bool
    gap_s: float = 0.0


def song_backdrop(song: Song) -> SongBackdrop | None:
    """The song's own background from its UltraStar notes (an UltraStar song, or a native song
    imported from one): ``#VIDEO`` (also when it is the audio too), a video named as its audio,
    else its ``#BACKGROUND`` picture; None for other songs, without one, or when the file named
    is missing (logged). Files are found as the scanner finds them, inside the song's folder."""
    if song.kind not in (SongKind.ULTRASTAR, SongKind.NATIVE) or not song.notes_file:
        return None
    notes = song_file_path(song, song.notes_file)
    header = read_ultrastar(notes, require_audio=False)
    audio = song.stems[0].file if song.stems else ""
    return notes_backdrop(notes, header, audio, song.label)


def notes_backdrop(
    notes: str, header: UltraStarSong, audio: str, label: str = ""
) -> SongBackdrop | None:
    """The background an UltraStar file at ``notes`` names (see :func:`song_backdrop`);
    ``audio`` is the song's audio file name, a video when the song is a video's sound."""
    for name, is_video in _backdrop_names(header, audio):
        try:
            path = find_named_file(os.path.dirname(notes), name, None, notes, "background")
        except SongFormatError as error:
            log.info("background of %s: %s", label or notes, error)
            continue
        return SongBackdrop(path, is_video, header.video_gap_s if is_video else 0.0)
    return None


def _backdrop_names(header: UltraStarSong, audio: str) -> list[tuple[str, bool]]:
    """(file name, is a video) in the order they are tried."""
    names = []
    if header.video:
        names.append((header.video, True))
    if audio.lower().endswith(VIDEO_EXTENSIONS) and audio != header.video:
        names.append((audio, True))
    if header.background.lower().endswith(PICTURE_EXTENSIONS):
        names.append((header.background, False))
    return names
