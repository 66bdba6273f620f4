"""Audio in the formats people's libraries hold, written here from a known tone with PyAV (its
wheels bundle ffmpeg's encoders): M4A/AAC, raw ADTS AAC, Opus, WMA, MP3, OGG, FLAC, WAV, and
video files (MP4, MKV, WebM) with an audio track; plus the checks a decoded tone must pass.

    write_tone(tmp / "song.m4a", seconds=2.0, hz=440.0)      # 44.1 kHz stereo AAC in MP4
    write_tone(tmp / "clip.mp4", seconds=2.0, hz=440.0, video=True)
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

# extension -> (container format, audio codec, sample rate it is written at)
FORMATS: dict[str, tuple[str, str, int]] = {
    ".m4a": ("ipod", "aac", 44_100),
    ".aac": ("adts", "aac", 44_100),
    ".opus": ("ogg", "libopus", 48_000),
    ".wma": ("asf", "wmav2", 44_100),
    ".mp3": ("mp3", "libmp3lame", 44_100),
    ".ogg": ("ogg", "vorbis", 44_100),
    ".flac": ("flac", "flac", 44_100),
    ".wav": ("wav", "pcm_s16le", 44_100),
    ".mp4": ("mp4", "aac", 44_100),
    ".mkv": ("matroska", "libopus", 48_000),
    ".webm": ("webm", "libopus", 48_000),
}
VIDEO_CODECS = {".mp4": "mpeg4", ".mkv": "mpeg4", ".webm": "libvpx"}
AMPLITUDE = 0.3
LAYOUTS = {1: "mono", 2: "stereo", 6: "5.1"}


def tone(seconds: float, hz: float, rate: int, channels: int = 2) -> np.ndarray:
    """A sine at ``hz``, ``AMPLITUDE`` peak, frames x channels float32 (both sides alike)."""
    t = np.arange(round(seconds * rate)) / rate
    wave = (AMPLITUDE * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    return np.repeat(wave[:, None], channels, axis=1)


def write_tone(
    path: Path, *, seconds: float = 2.0, hz: float = 440.0, channels: int = 2, video: bool = False
) -> Path:
    """Encode a tone into ``path``; its extension picks the format (see FORMATS)."""
    rate = FORMATS[path.suffix.lower()][2]
    write_signal(path, tone(seconds, hz, rate, channels), rate, video=video)
    return path


def write_signal(
    path: Path, signal: np.ndarray, rate: int, *, video: bool = False, faststart: bool = False
) -> Path:
    """Encode ``signal`` (frames x 1, 2 or 6 channels, float32 at ``rate``) into ``path``;
    ``faststart`` puts an MP4's index before its data (as streaming sites do)."""
    container_format, codec, _ = FORMATS[path.suffix.lower()]
    layout = LAYOUTS[signal.shape[1]]
    options = {"movflags": "faststart"} if faststart else {}
    with av.open(str(path), "w", format=container_format, options=options) as container:
        picture = None
        if video:
            picture = container.add_stream(VIDEO_CODECS[path.suffix.lower()], rate=10)
        # ffmpeg's own Vorbis encoder is marked experimental (the only one the wheels carry)
        stream = container.add_stream(codec, rate=rate, layout=layout, options={"strict": "-2"})
        stream.bit_rate = 128_000  # wmav2 will not open without one
        if picture is not None:
            _encode_video(container, picture, signal.shape[0] / rate)
        _encode(container, stream, signal, rate)
    return path


def _encode(container, stream, signal: np.ndarray, rate: int) -> None:  # type: ignore[no-untyped-def]
    chunk = 1024
    planar = np.ascontiguousarray(signal.T)
    layout = LAYOUTS[signal.shape[1]]
    for start in range(0, planar.shape[1], chunk):
        frame = av.AudioFrame.from_ndarray(planar[:, start : start + chunk], "fltp", layout)
        frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)


def _encode_video(container, stream, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """A small grey picture, 10 frames a second."""
    stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
    for index in range(max(1, int(seconds * 10))):
        image = np.full((48, 64, 3), 90 + index % 50, dtype=np.uint8)
        frame = av.VideoFrame.from_ndarray(image, format="rgb24")
        frame.pts = index
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)


def dominant_hz(signal: np.ndarray, rate: int) -> float:
    """The strongest frequency of the first channel (Hann window, parabolic peak)."""
    mono = signal[:, 0] if signal.ndim == 2 else signal
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono))))
    peak = int(np.argmax(spectrum[1:])) + 1
    a, b, c = spectrum[peak - 1], spectrum[peak], spectrum[peak + 1]
    offset = 0.5 * (a - c) / (a - 2 * b + c) if a - 2 * b + c else 0.0
    return (peak + offset) * rate / len(mono)


def rms(signal: np.ndarray) -> float:
    """Root mean square of every sample."""
    return float(np.sqrt(np.mean(np.square(signal, dtype=np.float64))))
