"""Break music between singers: the songs of a folder, played as instrumentals.

A folder of song folders (``song.toml``) or of plain audio files (FLAC, WAV, OGG at 48 kHz);
without one configured, the songs of the library (the demo library's by default)::

    >>> break_playlist("", [])
    []
"""

from __future__ import annotations

import logging
import random
from pathlib import Path

from appliance.core.errors import KaraokeError
from appliance.core.models import Song, SongId, Stem, StemRole
from appliance.library.songfolder.manifest import read_manifest

log = logging.getLogger(__name__)

AUDIO_SUFFIXES = (".flac", ".wav", ".ogg")
MAX_SONGS = 50


def break_playlist(folder: str, library_roots: list[Path], *, shuffle: bool = True) -> list[Song]:
    """Songs to play between singers, at most MAX_SONGS, shuffled."""
    roots = [Path(folder).expanduser()] if folder else list(library_roots)
    songs: list[Song] = []
    for root in roots:
        songs.extend(_songs_in(root))
    if shuffle:
        random.shuffle(songs)
    return songs[:MAX_SONGS]


def _songs_in(root: Path) -> list[Song]:
    if not root.is_dir():
        return []
    songs = []
    for manifest in sorted(root.glob("*/song.toml"))[: MAX_SONGS * 4]:
        try:
            songs.append(read_manifest(manifest.parent))
        except KaraokeError as error:
            log.info("break music: skipping %s (%s)", manifest.parent, error)
    for path in sorted(root.iterdir()):
        if path.suffix.lower() in AUDIO_SUFFIXES and path.is_file():
            songs.append(_file_song(path))
    return songs


def _file_song(path: Path) -> Song:
    stem = Stem(name="mix", role=StemRole.MIX, file=path.name)
    return Song(SongId(f"break-{path.stem}"), path.stem, "", 1.0, str(path.parent), stems=(stem,))
