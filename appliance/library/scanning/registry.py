"""The song readers the scanner uses, in order of precedence. Register a format here.

A reader earlier in the list wins a folder it claims (a native ``song.toml`` folder hides its
``notes.txt`` from the UltraStar reader). To add a format, import its reader and add one line
to the tuple::

    >>> [reader.name for reader in default_readers()]
    ['native', 'ultrastar', 'mp3g', 'kar', 'lrc_audio', 'video']
"""

from __future__ import annotations

import os

from appliance.core.errors import SongFormatError
from appliance.core.models import Song
from appliance.library.formats.foreign import foreign_readers
from appliance.library.formats.native import NativeFolderReader
from appliance.library.formats.songreader import (
    FolderListing,
    SongCandidate,
    SongReader,
    is_ignored_name,
)
from appliance.library.formats.video import video_readers


def default_readers() -> tuple[SongReader, ...]:
    """A fresh set of the registered readers, most specific first."""
    return (
        NativeFolderReader(),
        *foreign_readers(),  # UltraStar, MP3+G pairs and zips, KAR, audio + LRC
        *video_readers(),  # karaoke videos (MP4, MKV, WebM...): the lyrics are in the picture
    )


def candidate_at(path: str) -> SongCandidate | None:
    """The song at one path: a native song folder, or a file its folder's readers claim (a
    zip, an MP3 with its .cdg, a .kar, an UltraStar .txt, audio with its .lrc, a video). None if no
    reader claims it."""
    path = os.path.abspath(path)
    if os.path.isdir(path):
        listing = FolderListing(path, files_of(path), (), os.path.dirname(path))
        return next(iter(NativeFolderReader().find(listing)), None)
    folder = os.path.dirname(path)
    listing = FolderListing(folder, files_of(folder), (), folder)
    for reader in default_readers():
        for candidate in reader.find(listing):
            if path in (candidate.path, *(listing.file_path(f) for f in candidate.files)):
                return candidate
    return None


def read_song_at(path: str) -> Song:
    """Read the song at ``path`` (see :func:`candidate_at`); SongFormatError if none is there."""
    candidate = candidate_at(path)
    if candidate is None:
        raise SongFormatError(path, "not a song this box can read (no reader claims it)")
    return candidate.reader.read(candidate, os.path.dirname(candidate.path))


def files_of(folder: str) -> tuple[str, ...]:
    """The visible file names of ``folder``, sorted."""
    names = (n for n in os.listdir(folder) if not is_ignored_name(n))
    return tuple(sorted(n for n in names if os.path.isfile(os.path.join(folder, n))))
