"""The evidence read from the machine's outputs: the captured WAV's level, the TV's QR code, and
the verdict over all checks."""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class WavLevel:
    """Level of a captured WAV: duration, RMS and peak in dBFS, seconds above -50 dBFS."""

    seconds: float
    rms_dbfs: float
    peak_dbfs: float
    loud_seconds: float
    rate: int
    channels: int
    extra: dict[str, Any] = field(default_factory=dict)


def _dbfs(value: float) -> float:
    return round(20 * math.log10(value), 1) if value > 0 else -120.0


def wav_level(data: bytes, window_s: float = 0.1, from_byte: int = 0) -> WavLevel:
    """Level of a 16-bit PCM WAV, also one QEMU could not finish (killed: sizes in the header
    still 0), by reading whatever follows the ``data`` chunk header. ``from_byte``: only the
    samples from this offset in the file on (what was captured after a moment)."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a WAV file")
    pos, rate, channels, bits = 12, 0, 0, 0
    while pos + 8 <= len(data):
        chunk, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        if chunk == b"fmt ":
            _, channels, rate, _, _, bits = struct.unpack("<HHIIHH", data[pos + 8 : pos + 24])
        elif chunk == b"data":
            pos += 8
            break
        pos += 8 + size
    else:
        raise ValueError("no data chunk")
    if bits != 16 or channels < 1 or rate < 1:
        raise ValueError(f"unsupported WAV format: {bits} bits, {channels} channels, {rate} Hz")
    import numpy as np

    frame = 2 * channels
    if from_byte > pos:
        pos += (from_byte - pos) // frame * frame
    usable = max(0, len(data) - pos) // frame * frame
    samples = np.frombuffer(data, dtype="<i2", count=usable // 2, offset=pos).astype(np.float64)
    count = samples.size
    window = max(1, int(rate * window_s)) * channels
    windows = samples[: count // window * window].reshape(-1, window)
    window_rms = np.sqrt((windows**2).mean(axis=1)) / 32768 if windows.size else np.zeros(0)
    loud = int((window_rms > 10 ** (-50 / 20)).sum())
    rms = float(np.sqrt((samples**2).mean())) / 32768 if count else 0.0
    peak = float(np.abs(samples).max()) if count else 0.0
    return WavLevel(
        seconds=round(count / channels / rate, 2),
        rms_dbfs=_dbfs(rms),
        peak_dbfs=_dbfs(peak / 32768),
        loud_seconds=round(loud * window / channels / rate, 2),
        rate=rate,
        channels=channels,
    )


def decode_qr(png: Path) -> list[str]:
    """Texts of the QR codes in a PNG (zxing-cpp)."""
    import numpy as np
    import pygame
    import zxingcpp

    surface = pygame.image.load(str(png))
    pixels = np.ascontiguousarray(pygame.surfarray.array3d(surface).swapaxes(0, 1))
    return [
        r.text for r in zxingcpp.read_barcodes(pixels) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]


def lit_fraction(png: Path) -> float:
    """The fraction of a screendump's pixels that are not pure black (0.0: nothing shown)."""
    import numpy as np
    import pygame

    pixels = pygame.surfarray.array3d(pygame.image.load(str(png)))
    return float(np.count_nonzero(pixels.max(axis=2))) / max(1, pixels.shape[0] * pixels.shape[1])


def all_passed(checks: list[dict[str, Any]]) -> bool:
    """Every check passed (and there is at least one)."""
    return bool(checks) and all(c["passed"] for c in checks)
