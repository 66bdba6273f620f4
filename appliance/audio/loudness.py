"""EBU R128 integrated loudness of a song, measured once when the library is scanned.

    >>> song_loudness_lufs(song)        # doctest: +SKIP
    -14.2
    >>> song_loudness(song)             # doctest: +SKIP
    Loudness(lufs=-14.2, no_guide_lufs=-15.9)
    >>> with_loudness(song_read_from_its_folder).loudness_lufs  # doctest: +SKIP
    -14.2

The meter (:mod:`appliance.audio.dsp.meter`) measures the room mix of stems the engine can
open. Returns None when the song cannot be read.

Songs indexed in place whose audio must be decoded first (MP3+G, MP3/OGG with LRC, UltraStar)
are not measured at scan time: decoding 80,000 MP3s would take the scan from minutes to days
(see docs/engine.md). Their loudness is measured when they are first transcoded for play, and
kept in the transcode cache. ``decode_sources=True`` measures one from its source anyway
(decoded into a temporary folder, removed afterwards).
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import replace

from appliance.audio.dsp.meter import (
    measure_loudness,
    measure_loudness_lufs,
    with_measured_loudness,
)
from appliance.audio.sources.locate import needs_transcode
from appliance.audio.sources.playable import song_cache_key, transcode_song
from appliance.audio.sources.transcode_cache import TranscodeCache
from appliance.core.errors import SongLoadError
from appliance.core.models import Loudness, Song

log = logging.getLogger(__name__)


def song_loudness(song: Song) -> Loudness | None:
    """The scan's measurement: the room mix's loudness, with and without the guide vocal, for
    songs the engine can open as they are (None for songs that must be decoded first)."""
    try:
        if not needs_transcode(song):
            return measure_loudness(song)
    except SongLoadError as error:
        log.info("loudness of %s: %s", song.song_id, error.reason)
    return None


def with_loudness(song: Song) -> Song:
    """``song`` with its loudness measured now when it has none (a song played or exported by
    folder path, never scanned); songs that must be decoded first are measured when they are
    transcoded for play, and come back unchanged."""
    if needs_transcode(song):
        return song
    return with_measured_loudness(song)


def song_loudness_lufs(song: Song, *, decode_sources: bool = False) -> float | None:
    """Integrated loudness (LUFS) of the song's room mix, or None if unreadable or silent
    (and, unless ``decode_sources``, for songs whose audio must be decoded first)."""
    try:
        if not needs_transcode(song):
            return measure_loudness_lufs(song)
    except SongLoadError as error:
        log.info("loudness of %s: %s", song.song_id, error.reason)
        return None
    if not decode_sources:
        return None
    try:
        return decoded_loudness_lufs(song)
    except SongLoadError as error:
        log.info("loudness of %s: %s", song.song_id, error.reason)
        return None


def decoded_loudness_lufs(song: Song) -> float | None:
    """``song``'s loudness measured from its sources, decoded into a throw-away folder
    (SongLoadError when a source cannot be decoded)."""
    song = replace(song, loudness_lufs=None)
    with tempfile.TemporaryDirectory(prefix="karaoke-decode-") as folder:
        cache = TranscodeCache(folder, 1 << 62)
        transcode_song(song, cache, measure_loudness_lufs)
        return cache.loudness(song_cache_key(song))
