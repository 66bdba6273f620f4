"""Decode a source (a file or a zip member) into the engine's format: a 48 kHz 16-bit FLAC,
resampled block by block so memory stays flat whatever the song's length.

    >>> transcode(SourceRef("/usb/a.zip", "a.mp3"), "/state/cache/x.flac", "a")  # doctest: +SKIP
    8640000

Two decoders, chosen by measurement (docs/engine.md, "Decoding every format"): libsndfile
(soundfile) for WAV, FLAC, MP3 and OGG, where it is as fast or faster; PyAV (:mod:`avdecode`,
ffmpeg) for M4A/AAC, Opus, WMA, the audio track of videos, and any file libsndfile cannot open.

Runs in a transcoder process (:mod:`transcoder`), never on the engine's or the core's threads.
A source that cannot be decoded, or ends before its header says, raises SongLoadError naming
the file and what is wrong.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from math import gcd
from typing import Protocol

import numpy as np
import soundfile as sf
from scipy.signal import resample_poly

from appliance.audio.sources.locate import SAMPLE_RATE, SourceRef, error_text, open_source
from appliance.core.errors import SongLoadError

SOUNDFILE_EXTENSIONS = (".wav", ".flac", ".mp3", ".ogg")

BLOCK_FRAMES = 65536
CONTEXT_FRAMES = 256  # input frames each side: >= the resampling filter's half length
MAX_SECONDS = 30 * 60
TRUNCATION_TOLERANCE_FRAMES = 4800
CLIP = 1.0 - 2.0**-15


def resample_blocks(blocks: Iterator[np.ndarray], rate: int) -> Iterator[np.ndarray]:
    """``blocks`` at ``rate`` -> blocks at 48 kHz, equal to resampling the whole signal at once
    (each block is resampled with CONTEXT_FRAMES of its neighbours on both sides, and starts on
    the common grid of both rates, so the polyphase filter sees what it would see whole)."""
    common = gcd(SAMPLE_RATE, rate)
    up, down = SAMPLE_RATE // common, rate // common
    if up == down:
        yield from blocks
        return
    context = down * math.ceil(CONTEXT_FRAMES / down)
    step = down * math.ceil(BLOCK_FRAMES / down)
    pending: np.ndarray | None = None
    left = 0  # frames of context at the front of ``pending``
    for block in blocks:
        pending = block if pending is None else np.concatenate([pending, block])
        while len(pending) >= left + step + context:
            out = resample_poly(pending[: left + step + context], up, down, axis=0)
            first = left * up // down
            yield out[first : first + step * up // down].astype(np.float32)
            pending = pending[left + step - context :]
            left = context
    if pending is not None and len(pending) > left:
        out = resample_poly(pending, up, down, axis=0)
        yield out[left * up // down :].astype(np.float32)


class DecodedAudio(Protocol):
    """A source opened for decoding, by either decoder."""

    rate: int
    channels: int

    def blocks(self) -> Iterator[np.ndarray]:
        """float32 blocks, frames x channels (1 or 2), at ``rate``."""
        ...


class SoundfileAudio:
    """A source libsndfile opened."""

    def __init__(self, sound: sf.SoundFile, ref: SourceRef, song_id: str) -> None:
        self.sound, self.ref, self.song_id = sound, ref, song_id
        self.rate, self.channels = sound.samplerate, min(2, sound.channels)

    def blocks(self) -> Iterator[np.ndarray]:
        """See :func:`decoded_blocks`."""
        return decoded_blocks(self.sound, self.ref, self.song_id)


@contextlib.contextmanager
def open_audio(ref: SourceRef, song_id: str) -> Iterator[DecodedAudio]:
    """``ref`` opened by libsndfile when it is one of its formats and it opens, else by PyAV
    (whose reason is given when neither can open it)."""
    with contextlib.ExitStack() as stack:
        audio: DecodedAudio | None = None
        if os.path.splitext(ref.name)[1].lower() in SOUNDFILE_EXTENSIONS:
            with contextlib.suppress(SongLoadError):
                audio = SoundfileAudio(stack.enter_context(open_source(ref, song_id)), ref, song_id)
        if audio is None:
            # imported here: a transcoder process decoding an MP3 does not load ffmpeg's
            # libraries (~70 MB to map; 77 ms here, seconds on a loaded Pi)
            from appliance.audio.sources.avdecode import open_av

            audio = stack.enter_context(open_av(ref, song_id))
        yield audio


def decoded_blocks(sound: sf.SoundFile, ref: SourceRef, song_id: str) -> Iterator[np.ndarray]:
    """The source in blocks of float32, at most two channels; SongLoadError on a decode error
    or a file that ends early."""
    limit = MAX_SECONDS * sound.samplerate
    done = 0
    while done < limit:
        try:
            block = sound.read(min(BLOCK_FRAMES, limit - done), dtype="float32", always_2d=True)
        except (sf.LibsndfileError, RuntimeError, ValueError) as error:
            reason = f"{ref.name}: cannot decode ({error_text(error)})"
            raise SongLoadError(song_id, reason) from None
        if not len(block):
            break
        done += len(block)
        yield block[:, :2]
    expected = min(sound.frames, limit) if 0 < sound.frames < 2**62 else 0
    if done == 0 or done < expected - TRUNCATION_TOLERANCE_FRAMES:
        raise SongLoadError(song_id, f"{ref.name}: the audio ends early (truncated or corrupt)")


def transcode(ref: SourceRef, dest: str, song_id: str) -> int:
    """Decode ``ref`` into ``dest`` (48 kHz 16-bit FLAC, mono stays mono); frames written."""
    written = 0
    with (
        open_audio(ref, song_id) as audio,
        sf.SoundFile(dest, "w", SAMPLE_RATE, audio.channels, "PCM_16", format="FLAC") as out,
    ):
        for block in resample_blocks(audio.blocks(), audio.rate):
            out.write(np.clip(block, -1.0, CLIP))
            written += len(block)
    return written
