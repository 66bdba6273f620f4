"""The loudness meter: EBU R128 integrated loudness of a song's room mix, on stems the engine
can open (48 kHz FLAC/WAV: native songs, or songs played in place once decoded).

    >>> measure_loudness_lufs(song)        # doctest: +SKIP
    -14.2

The stems that reach the room (not click or cue) are summed at their default gains, read in
large blocks; the meter runs on the mix, downsampled to 2 channels float32 (a 4-minute song
is 92 MB while measured). Returns None when the song cannot be read. Which songs are measured,
and when, is :mod:`appliance.audio.loudness`'s business.
"""

from __future__ import annotations

import logging
import math

import numpy as np

from appliance.audio.dsp.gains import target_gains
from appliance.audio.sources.stems import SAMPLE_RATE, StemSet
from appliance.core.errors import SongLoadError
from appliance.core.models import MixSettings, Song

log = logging.getLogger(__name__)

BLOCK_FRAMES = 65536
MAX_SECONDS = 20 * 60


def measure_loudness_lufs(song: Song) -> float | None:
    """The measurement itself, on stems the engine can open (48 kHz FLAC/WAV)."""
    import pyloudnorm

    try:
        stems = StemSet.open(song)
    except SongLoadError as error:
        log.info("loudness of %s: %s", song.song_id, error.reason)
        return None
    try:
        mix = _room_mix(song, stems)
    except SongLoadError as error:
        log.info("loudness of %s: %s", song.song_id, error.reason)
        return None
    finally:
        stems.close()
    if len(mix) < SAMPLE_RATE // 2:
        return None
    loudness = pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(mix.astype(np.float64))
    return round(float(loudness), 2) if math.isfinite(loudness) else None


def _room_mix(song: Song, stems: StemSet) -> np.ndarray:
    gains = target_gains(song.stems, MixSettings()).astype(np.float32)
    for index, stem in enumerate(song.stems):
        if stem.role.is_monitor_only:
            gains[index] = 0.0
    total = min(stems.length_frames, MAX_SECONDS * SAMPLE_RATE)
    mix = np.zeros((total, 2), np.float32)
    done = 0
    while done < total:
        block = stems.read(min(BLOCK_FRAMES, total - done))
        if not len(block):
            break
        mix[done : done + len(block)] = np.einsum("nsc,sc->nc", block, gains)
        done += len(block)
    return mix[:done]
