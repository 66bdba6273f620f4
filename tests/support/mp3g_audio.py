"""MP3+G songs with real audio for the in-place engine tests: tones and noise encoded as MP3,
zipped with a CD+G stream (deflated, Deflate64, corrupt), and the tools that find a reference
signal in an ALSA capture and compare it (error and gain in dB) and its expected loudness gain."""

from __future__ import annotations

import io
import zipfile
from math import gcd
from pathlib import Path

import numpy as np
import pyloudnorm
import soundfile as sf
from scipy.signal import resample_poly

from appliance.audio.dsp.song_renderer import LOUDNESS_TARGET_LUFS
from tests.support.cdg_gen import encode, load_colors, memory_preset
from tests.support.mp3g_songs import as_deflate64

SECONDS = 2.0
ZIP_SONG = "SC1001-01 - Test Artist - Zip Song"
D64_SONG = "ZM2002-02 - Other Artist - Deflate Song"
BAD_SONG = "KV3003-03 - Broken Artist - Corrupt Song"
LOOSE_SONG = "Loose Artist - Loose Song"
EDGE = 4800  # 0.1 s left out of comparisons at each end of a song


def music(seed: int, rate: int, seconds: float = SECONDS) -> np.ndarray:
    """Tones and a little noise, sounding from the first sample (easy to align)."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    left = 0.12 * np.sin(2 * np.pi * (300 + 40 * seed) * t) + 0.02 * rng.standard_normal(len(t))
    right = 0.1 * np.sin(2 * np.pi * (450 + 30 * seed) * t) + 0.02 * rng.standard_normal(len(t))
    return np.stack([left, right], axis=1).astype(np.float32)


def encoded(signal: np.ndarray, rate: int, fmt: str) -> bytes:
    out = io.BytesIO()
    sf.write(out, signal, rate, format=fmt)
    return out.getvalue()


def cdg(seconds: float = SECONDS) -> bytes:
    colors = [(i, 15 - i, i // 2) for i in range(8)]
    return encode([(0, memory_preset(1)), (10, load_colors(False, colors))], int(seconds * 300))


def write_zip(path: Path, base: str, audio: bytes, *, deflate64: bool = False) -> None:
    """The MP3 deflated, the .cdg stored (its long runs of zeros are no Deflate64 stream)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(f"{base}.mp3", audio, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(f"{base}.cdg", cdg(), compress_type=zipfile.ZIP_STORED)
    blob = as_deflate64(out.getvalue()) if deflate64 else out.getvalue()
    path.write_bytes(blob)
    with zipfile.ZipFile(path) as archive:
        assert archive.read(f"{base}.mp3") == audio  # a valid zip, Deflate64 or not
        assert archive.getinfo(f"{base}.mp3").compress_type == (9 if deflate64 else 8)


def corrupt_member(path: Path, member: str) -> None:
    """Flip bytes in the middle of a stored member: the zip opens, the CRC fails at its end."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    blob = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.orig_filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    blob[middle : middle + 64] = bytes(64)
    path.write_bytes(bytes(blob))


def decoded_reference(data: bytes) -> np.ndarray:
    """The source decoded and resampled to 48 kHz at once (independent of the block code)."""
    signal, rate = sf.read(io.BytesIO(data), dtype="float64", always_2d=True)
    common = gcd(48_000, rate)
    return resample_poly(signal, 48_000 // common, rate // common, axis=0)


def sounding_runs(capture: np.ndarray, gap_s: float = 0.3) -> list[tuple[int, int]]:
    """(start, end) of the parts of the capture separated by silences longer than gap_s."""
    loud = np.flatnonzero(np.abs(capture).max(axis=1) > 1e-3)
    if not len(loud):
        return []
    breaks = np.flatnonzero(np.diff(loud) > gap_s * 48_000)
    starts = [loud[0], *loud[breaks + 1]]
    ends = [*loud[breaks], loud[-1]]
    return list(zip(starts, ends, strict=True))


def compare(capture: np.ndarray, start: int, reference: np.ndarray) -> tuple[float, float]:
    """(error dB relative to the reference, fitted gain dB) of the reference found near
    ``start`` in the capture: aligned by correlation, scaled by least squares, compared
    without its first and last EDGE frames (the engine fades a song in over 5 ms)."""
    template = reference[EDGE : EDGE + 9600, 0]
    low = max(0, start - 2400)
    window = capture[low : start + 2400 + EDGE + len(template), 0]
    offset = low + int(np.argmax(np.correlate(window, template, "valid"))) - EDGE
    piece = capture[offset + EDGE : offset + len(reference) - EDGE].astype(np.float64)
    ref = reference[EDGE : EDGE + len(piece)]
    gain = float(np.sum(piece * ref) / np.sum(ref * ref))
    error = np.sqrt(np.mean((piece - gain * ref) ** 2)) / (gain * np.sqrt(np.mean(ref**2)))
    return 20 * np.log10(error), 20 * np.log10(gain)


def expected_gain_db(reference: np.ndarray) -> float:
    lufs = pyloudnorm.Meter(48_000).integrated_loudness(reference)
    return LOUDNESS_TARGET_LUFS - lufs
