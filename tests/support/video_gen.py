"""Karaoke videos written here with PyAV (H.264 in MP4, and the other containers), each frame
carrying its own number in its colours, with a known tone as the sound::

    write_counter_video(tmp / "Ada - Song (Karaoke Version).mp4", seconds=4.0, fps=25)
    frame_number(surface, rect)   # the number painted into the picture drawn in ``rect``

Frame n is painted with ``BITS`` vertical stripes, white for a 1 bit, black for a 0 (most
significant first), over a grey band: big flat blocks survive H.264 and any scaling, so the
number reads back exactly from the TV's picture.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pygame

from tests.support.codec_audio import AMPLITUDE

BITS = 10
TONE_HZ = 440.0
AUDIO_RATE = 44_100
CODECS = {".mp4": ("mp4", "libx264", "aac"), ".mkv": ("matroska", "libx264", "aac")}
CODECS |= {".mov": ("mov", "libx264", "aac"), ".m4v": ("mp4", "libx264", "aac")}
CODECS |= {".webm": ("webm", "libvpx", "libopus"), ".avi": ("avi", "mpeg4", "mp3")}


def counter_image(index: int, width: int, height: int) -> np.ndarray:
    """The picture of frame ``index``: its bits as white/black stripes (height x width x 3)."""
    image = np.full((height, width, 3), 128, dtype=np.uint8)
    stripe = width // BITS
    for bit in range(BITS):
        on = (index >> (BITS - 1 - bit)) & 1
        image[:, bit * stripe : (bit + 1) * stripe] = 255 if on else 0
    return image


def write_counter_video(
    path: Path,
    *,
    seconds: float = 4.0,
    fps: int = 25,
    size: tuple[int, int] = (320, 180),
    audio: bool = True,
    video: bool = True,
    title: str = "",
    artist: str = "",
) -> Path:
    """Write a counter video (and a ``TONE_HZ`` tone track) into ``path``; its extension picks
    the container (see CODECS)."""
    container_format, video_codec, audio_codec = CODECS[path.suffix.lower()]
    with av.open(str(path), "w", format=container_format) as container:
        if title or artist:
            container.metadata.update({"title": title, "artist": artist})
        picture = sound = None
        if video:
            picture = container.add_stream(video_codec, rate=fps)
            picture.width, picture.height, picture.pix_fmt = *size, "yuv420p"
            if video_codec == "libx264":
                picture.options = {"preset": "ultrafast", "g": str(fps)}
        if audio:
            rate = 48_000 if audio_codec == "libopus" else AUDIO_RATE
            sound = container.add_stream(audio_codec, rate=rate, layout="stereo")
            sound.bit_rate = 128_000
        if picture is not None:
            _encode_pictures(container, picture, round(seconds * fps), size)
        if sound is not None:
            _encode_tone(container, sound, seconds)
    return path


def _encode_pictures(container, stream, count: int, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    for index in range(count):
        frame = av.VideoFrame.from_ndarray(counter_image(index, *size), format="rgb24")
        frame.pts = index
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)


def _encode_tone(container, stream, seconds: float) -> None:  # type: ignore[no-untyped-def]
    rate = stream.codec_context.sample_rate
    t = np.arange(round(seconds * rate)) / rate
    wave = (AMPLITUDE * np.sin(2 * np.pi * TONE_HZ * t)).astype(np.float32)
    planar = np.ascontiguousarray(np.stack([wave, wave]))
    chunk = stream.codec_context.frame_size or 1024
    for start in range(0, planar.shape[1], chunk):
        frame = av.AudioFrame.from_ndarray(planar[:, start : start + chunk], "fltp", "stereo")
        frame.sample_rate, frame.pts, frame.time_base = rate, start, Fraction(1, rate)
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)


def frame_number(surface: pygame.Surface, rect: pygame.Rect) -> int:
    """The frame number painted into the picture drawn at ``rect`` on ``surface``."""
    stripe = rect.width / BITS
    number = 0
    for bit in range(BITS):
        x = rect.left + int((bit + 0.5) * stripe)
        brightness = sum(surface.get_at((x, rect.centery))[:3]) / 3
        number = number * 2 + (1 if brightness > 128 else 0)
    return number


def write_lyrics_video(path: Path, *, seconds: float = 3.0, fps: int = 25) -> Path:
    """A video that looks like a karaoke video (for pictures in the docs): two lines of made-up
    lyrics on a dark gradient, the first filling with colour word by word, and a tone."""
    width, height = 1280, 720
    pygame.font.init()
    font = pygame.font.Font(None, 92)
    lines = ("Twinkle little star above", "shining on the karaoke bar")
    gradient = np.linspace(20, 70, height, dtype=np.uint8)[:, None]
    with av.open(str(path), "w", format="mp4") as container:
        picture = container.add_stream("libx264", rate=fps)
        picture.width, picture.height, picture.pix_fmt = width, height, "yuv420p"
        sound = container.add_stream("aac", rate=AUDIO_RATE, layout="stereo")
        for index in range(round(seconds * fps)):
            canvas = pygame.Surface((width, height))
            pygame.surfarray.blit_array(canvas, _gradient_array(gradient, width))
            share = index / max(1, round(seconds * fps) - 1)
            for row, line in enumerate(lines):
                ink = font.render(line, True, (255, 255, 255))
                spot = ink.get_rect(center=(width // 2, height // 2 - 70 + row * 140))
                canvas.blit(ink, spot)
                if row == 0:
                    sung = font.render(line, True, (255, 196, 40))
                    canvas.blit(sung, spot, pygame.Rect(0, 0, int(spot.width * share), spot.h))
            image = np.ascontiguousarray(pygame.surfarray.array3d(canvas).swapaxes(0, 1))
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = index
            for packet in picture.encode(frame):
                container.mux(packet)
        for packet in picture.encode(None):
            container.mux(packet)
        _encode_tone(container, sound, seconds)
    return path


def _gradient_array(gradient: np.ndarray, width: int) -> np.ndarray:
    """A width x height x 3 array (pygame's axis order) of a dark blue-violet gradient."""
    column = np.concatenate([gradient // 2, gradient // 3, gradient + 40], axis=1)
    return np.repeat(column[None, :, :], width, axis=0)
