"""UltraStar songs with a background video, and background pictures and videos, written here.

    txt = write_ultrastar_video_song(tmp / "Ada - Stars", gap_s=0.6)   # #VIDEO + #VIDEOGAP
    song = read_song_at(str(txt))
    write_picture(tmp / "bg" / "white.png", (255, 255, 255))
    write_scenery_video(tmp / "bg" / "lights.mp4")      # moving coloured lights, for the eye
    background_frame(screen, area)                      # the counter frame read off the TV

The counter video (``video_gen.write_counter_video``) paints its frame number as white and
black stripes; behind the lyrics it is dimmed, so :func:`background_frame` reads the stripes
against half the dimmed white.
"""

from __future__ import annotations

import math
from pathlib import Path

import av
import numpy as np
import pygame

from appliance.display.backdrop import DIM
from tests.support.video_gen import BITS, write_counter_video

FPS = 25
NOTES = """: 0 8 0 Twin
: 8 8 0 kle
: 16 8 7  twin
: 24 8 7 kle
- 34
: 36 8 9 Lit
: 44 8 9 tle
: 52 16 7  star
E
"""


def write_ultrastar_video_song(
    folder: Path,
    *,
    gap_s: float = 0.0,
    seconds: float = 8.0,
    video: bytes | None = None,
    own_audio: bool = False,
    gap_ms: int = 1000,
) -> Path:
    """An UltraStar folder: ``song.txt`` naming ``clip.mp4`` as ``#VIDEO`` (with ``#VIDEOGAP``)
    and, unless ``own_audio``, as its audio too (a tone track ``tone.mp4`` otherwise).
    ``video``: bytes to write as the clip instead (a damaged one)."""
    folder.mkdir(parents=True, exist_ok=True)
    clip = folder / "clip.mp4"
    if video is None:
        write_counter_video(clip, seconds=seconds, fps=FPS)
    else:
        clip.write_bytes(video)
    audio = "clip.mp4"
    if own_audio or video is not None:
        write_counter_video(folder / "tone.mp4", seconds=seconds, fps=FPS)
        audio = "tone.mp4"
    gap = f"#VIDEOGAP:{gap_s:.2f}\n".replace(".", ",") if gap_s else ""
    head = (
        f"#TITLE:Stars\n#ARTIST:Ada\n#MP3:{audio}\n#VIDEO:clip.mp4\n{gap}#BPM:150\n#GAP:{gap_ms}\n"
    )
    path = folder / "song.txt"
    path.write_text(head + NOTES, encoding="utf-8")
    return path


def background_frame(surface: pygame.Surface, area: pygame.Rect, y: int | None = None) -> int:
    """The counter frame painted (dimmed) into the background drawn in ``area``, read on row
    ``y`` (default: just under the header, where no text goes)."""
    row = area.top + 2 if y is None else y
    threshold = 255 * DIM / 2
    number = 0
    for bit in range(BITS):
        x = area.left + int((bit + 0.5) * area.width / BITS)
        brightness = sum(surface.get_at((x, row))[:3]) / 3
        number = number * 2 + (1 if brightness > threshold else 0)
    return number


def write_picture(path: Path, color: tuple[int, int, int], size: tuple[int, int] = (640, 360)):
    """A picture of one colour (PNG or JPEG by the extension)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    surface = pygame.Surface(size)
    surface.fill(color)
    pygame.image.save(surface, str(path))
    return path


def write_stage_picture(path: Path, size: tuple[int, int] = (1600, 900)) -> Path:
    """A bright stage: a warm gradient with spotlights (for the docs' picture)."""
    width, height = size
    rows = np.linspace(0.0, 1.0, height)[None, :]
    red = (90 + 140 * rows).repeat(width, 0)
    green = (40 + 90 * rows).repeat(width, 0)
    blue = (120 - 60 * rows).repeat(width, 0)
    pixels = np.stack([red, green, blue], axis=2).astype(np.uint8)
    surface = pygame.surfarray.make_surface(pixels)
    glow = pygame.Surface(size, pygame.SRCALPHA)
    for n, color in enumerate(((255, 240, 200), (200, 220, 255), (255, 200, 240))):
        centre = (width * (n + 1) // 4, height // 3)
        for radius in range(height // 2, 0, -12):
            alpha = max(0, 60 - radius * 60 // (height // 2))
            pygame.draw.circle(glow, (*color, alpha), centre, radius)
    surface.blit(glow, (0, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(surface, str(path))
    return path


def write_scenery_video(path: Path, *, seconds: float = 3.0, fps: int = 25) -> Path:
    """A music-video-like clip (for the docs' picture): coloured lights drifting over a dark
    blue-violet gradient, 1280x720 H.264, no sound."""
    width, height = 1280, 720
    rows = np.linspace(50, 150, height)[None, :]
    base = np.stack(
        [(rows * 0.6).repeat(width, 0), (rows * 0.3).repeat(width, 0), rows.repeat(width, 0)],
        axis=2,
    ).astype(np.uint8)
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "ultrafast"}
        for index in range(round(seconds * fps)):
            canvas = pygame.surfarray.make_surface(base)
            lights = pygame.Surface((width, height), pygame.SRCALPHA)
            for n, color in enumerate(((255, 80, 170), (40, 170, 255), (255, 196, 40))):
                phase = index / fps + n * 2.1
                centre = (
                    int(width / 2 + math.cos(phase * 0.9) * width * 0.33),
                    int(height / 2 + math.sin(phase * 1.3) * height * 0.3),
                )
                for radius in range(260, 0, -20):
                    pygame.draw.circle(lights, (*color, 40), centre, radius)
            canvas.blit(lights, (0, 0))
            image = np.ascontiguousarray(pygame.surfarray.array3d(canvas).swapaxes(0, 1))
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path
