"""The loudness meter: EBU R128 integrated loudness of a song's room mix, on stems the engine
can open (48 kHz FLAC/WAV: native songs, or songs played in place once decoded).

    >>> measure_loudness_lufs(song)        # doctest: +SKIP
    -14.2

The stems that reach the room (not click or cue) are summed at their default gains, read in
large blocks; the meter runs on the mix, downsampled to 2 channels float32 (a 4-minute song
is 92 MB while measured, 138 MB with a guide vocal). ``measure_loudness`` also measures the mix
without the guide vocal (``lead_vocal`` stems), for the engine to normalise what is heard at
any guide level (:func:`appliance.audio.dsp.song_renderer.heard_loudness_lufs`). Returns None
when the song cannot be read. Which songs are measured, and when, is
:mod:`appliance.audio.loudness`'s business.
"""

from __future__ import annotations

import logging
import math
from dataclasses import replace

import numpy as np

from appliance.audio.dsp.gains import target_gains
from appliance.audio.sources.stems import SAMPLE_RATE, StemSet
from appliance.core.errors import SongLoadError
from appliance.core.models import Loudness, MixSettings, Song, StemRole

log = logging.getLogger(__name__)

BLOCK_FRAMES = 65536
MAX_SECONDS = 20 * 60


def measure_loudness_lufs(song: Song) -> float | None:
    """The room mix's loudness, on stems the engine can open (48 kHz FLAC/WAV)."""
    loudness = measure_loudness(song)
    return None if loudness is None else loudness.lufs


def measure_loudness(song: Song) -> Loudness | None:
    """The room mix's loudness and, for a song with a guide vocal stem, the same mix's without
    it (one read of the stems). None when the song cannot be read or is silent."""
    try:
        stems = StemSet.open(song)
    except SongLoadError as error:
        log.info("loudness of %s: %s", song.song_id, error.reason)
        return None
    try:
        bare, guide = _room_mixes(song, stems)
    except SongLoadError as error:
        log.info("loudness of %s: %s", song.song_id, error.reason)
        return None
    finally:
        stems.close()
    if len(bare) < SAMPLE_RATE // 2:
        return None
    no_guide = _integrated(bare) if guide is not None else None
    if guide is not None:
        bare += guide  # the whole room mix, in place
    lufs = _integrated(bare)
    return None if lufs is None else Loudness(lufs, no_guide)


def with_measured_loudness(song: Song) -> Song:
    """``song`` as it is when it has a loudness, else with it measured now (unchanged when
    it cannot be measured)."""
    if song.loudness_lufs is not None:
        return song
    loudness = measure_loudness(song)
    if loudness is None:
        return song
    return replace(song, loudness_lufs=loudness.lufs, loudness_no_guide_lufs=loudness.no_guide_lufs)


def _integrated(mix: np.ndarray) -> float | None:
    import pyloudnorm

    loudness = pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(mix.astype(np.float64))
    return round(float(loudness), 2) if math.isfinite(loudness) else None


def _room_mixes(song: Song, stems: StemSet) -> tuple[np.ndarray, np.ndarray | None]:
    """The room mix without the guide vocal, and the guide vocal alone (None without one)."""
    gains = target_gains(song.stems, MixSettings()).astype(np.float32)
    guide_gains = np.zeros_like(gains)
    for index, stem in enumerate(song.stems):
        if stem.role.is_monitor_only:
            gains[index] = 0.0
        elif stem.role is StemRole.LEAD_VOCAL:
            guide_gains[index], gains[index] = gains[index], 0.0
    has_guide = bool(guide_gains.any())
    total = min(stems.length_frames, MAX_SECONDS * SAMPLE_RATE)
    bare = np.zeros((total, 2), np.float32)
    guide = np.zeros((total, 2), np.float32) if has_guide else None
    done = 0
    while done < total:
        block = stems.read(min(BLOCK_FRAMES, total - done))
        if not len(block):
            break
        bare[done : done + len(block)] = np.einsum("nsc,sc->nc", block, gains)
        if guide is not None:
            guide[done : done + len(block)] = np.einsum("nsc,sc->nc", block, guide_gains)
        done += len(block)
    return bare[:done], None if guide is None else guide[:done]
