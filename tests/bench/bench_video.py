"""Karaoke videos on the TV: frame time while a video plays, the decoder's CPU, first picture.

Run: .venv/bin/python tests/bench/bench_video.py [--seconds 10]

Writes 720p and 1080p H.264 videos (30 fps, x264 "veryfast": CABAC and B-frames as in the
files people download; moving gradients, noise blocks and text so the bitrate is realistic),
then for each, on a 1920x1080 screen (SDL's dummy driver: the KMS page flip is not included):

- TV frame time (render + flip of the video scene, the frame loop's work) at 60 fps in real
  time while the decoder thread runs: p50 / p99 / worst, as a share of the 16.7 ms budget; and,
  interleaved in the same run, a baseline frame that only clears the screen and flips (on a
  loaded shared machine its p99 shows what the scheduler alone adds);
- decoder CPU: the process's CPU time less the frame loop's, as % of one core, while playing;
  and per frame, the CPU time of decoding and of scaling-and-converting, measured apart;
- first picture: from opening the file (``VideoFeed``) to the first frame on screen, median of 5.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("SDL_NO_SIGNAL_HANDLERS", "1")  # so that Ctrl+C and timeout stop it
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import av
import numpy as np
import pygame

from appliance.core.models import Song, SongId, SongKind
from appliance.display.frame import Frame, Resources
from appliance.display.render import render
from appliance.display.screenshot import screenshot_snapshot
from appliance.display.video_decoder import VideoSource
from appliance.display.video_feed import VideoFeed
from appliance.display.video_scene import frame_masks, video_rect

BUDGET_MS = 1000 / 60
VIDEO_FPS = 30


def write_video(path: Path, size: tuple[int, int], seconds: float) -> Path:
    """A song-like H.264 video: a drifting gradient, noisy blocks and moving bars."""
    width, height = size
    rng = np.random.default_rng(7)
    ys, xs = np.mgrid[0:height, 0:width]
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=VIDEO_FPS)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "veryfast", "crf": "23"}
        for index in range(int(seconds * VIDEO_FPS)):
            shift = index * 4
            image = np.empty((height, width, 3), dtype=np.uint8)
            image[..., 0] = (xs + shift) % 256
            image[..., 1] = (ys + shift // 2) % 256
            image[..., 2] = 128
            block = rng.integers(0, 255, (height // 8, width // 8, 3), dtype=np.uint8)
            noise = np.repeat(np.repeat(block, 8, axis=0), 8, axis=1)
            image[: noise.shape[0] // 3, : noise.shape[1]] = noise[: noise.shape[0] // 3]
            bar = (index * 12) % width
            image[height // 2 : height // 2 + height // 10, :bar] = (250, 200, 40)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def video_song(path: Path) -> Song:
    return Song(SongId("bench"), "Bench Video", "Ada", 60.0, str(path), kind=SongKind.VIDEO)


def play(path: Path, screen: pygame.Surface, res: Resources, seconds: float) -> dict:
    """Frame times and CPU while the video plays in real time at 60 fps."""
    song = video_song(path)
    snapshot = screenshot_snapshot(song, 0.0, "lyrics", "Ada")
    feed = VideoFeed(str(path))
    times: list[float] = []
    baseline: list[float] = []
    start = time.monotonic()
    cpu0, main0 = time.process_time(), time.thread_time()
    n = 0
    while (now := time.monotonic()) - start < seconds:
        frame = Frame(snapshot, lyrics_s=now - start, video=feed)
        began = time.perf_counter()
        render(screen, frame, res)
        pygame.display.flip()
        times.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        screen.fill((10, 12, 28))
        pygame.display.flip()
        baseline.append((time.perf_counter() - began) * 1000)
        n += 1
        pause = start + n / 60 - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    wall = time.monotonic() - start
    cpu, main = time.process_time() - cpu0, time.thread_time() - main0
    stats = feed.stats()
    feed.close()
    return {
        "times": times,
        "baseline": baseline,
        "decoder_cpu": (cpu - main) / wall,
        "main_cpu": main / wall,
        **stats,
    }


def per_frame_costs(path: Path, size: tuple[int, int], masks) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(decode, scale-and-convert) CPU ms per frame: the whole file decoded, then decoded and
    converted, as fast as it goes, counting the CPU time of every thread (ffmpeg's frame
    threads too), so the figures do not depend on how much of the machine the run got."""
    spent = []
    for convert in (False, True):
        source = VideoSource(str(path))
        frames, began = 0, time.process_time()
        while (frame := source.next_frame()) is not None:
            if convert:
                source.surface(frame, size, masks)
            frames += 1
        spent.append((time.process_time() - began) / frames * 1000)
        source.close()
    return spent[0], spent[1] - spent[0]


def first_picture(path: Path, screen: pygame.Surface, res: Resources) -> float:
    """Seconds from opening the file to the first frame drawn by the video scene."""
    song = video_song(path)
    snapshot = screenshot_snapshot(song, 0.0, "lyrics", "Ada")
    began = time.perf_counter()
    feed = VideoFeed(str(path))
    while not feed.has_picture:
        render(screen, Frame(snapshot, lyrics_s=time.perf_counter() - began, video=feed), res)
        time.sleep(0.001)
    elapsed = time.perf_counter() - began
    feed.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--sizes", default="720p,1080p", help="which sources, e.g. 1080p")
    args = parser.parse_args()
    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode((1920, 1080))
    res = Resources.create(1920, 1080)
    rect = video_rect(res.theme, 16 / 9)
    print(
        f"screen 1920x1080, picture {rect.width}x{rect.height}, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    folder = Path(tempfile.gettempdir()) / "karaoke-bench-video"  # kept: writing takes minutes
    folder.mkdir(exist_ok=True)
    sources = {"720p": (1280, 720), "1080p": (1920, 1080)}
    for name in args.sizes.split(","):
        size = sources[name]
        path = folder / f"{name}-{args.seconds + 1:g}s.mp4"
        if not path.exists():
            write_video(path.with_suffix(".part.mp4"), size, args.seconds + 1).rename(path)
        run = play(path, screen, res, args.seconds)
        times, base = sorted(run["times"]), sorted(run["baseline"])
        p50, p99 = times[len(times) // 2], times[int(0.99 * len(times))]
        base_p50, base_p99 = base[len(base) // 2], base[int(0.99 * len(base))]
        decode_ms, convert_ms = per_frame_costs(path, rect.size, frame_masks(screen))
        firsts = [first_picture(path, screen, res) for _ in range(5)]
        print(
            f"{name}: TV frame p50 {p50 / BUDGET_MS:.2f} p99 {p99 / BUDGET_MS:.2f} worst "
            f"{times[-1] / BUDGET_MS:.2f} of a 60 fps frame ({p50:.2f} / {p99:.1f} ms; "
            f"clear-only baseline {base_p50:.2f} / {base_p99:.1f} ms); decoder "
            f"{run['decoder_cpu']:.0%} of a core ({run['decoder']}), frame loop "
            f"{run['main_cpu']:.0%}; {run['decoded']} shown-ready, {run['dropped']} dropped; "
            f"per frame decode {decode_ms:.1f} ms + convert {convert_ms:.1f} ms "
            f"({(decode_ms + convert_ms) * VIDEO_FPS / 10:.0f}% of a core at {VIDEO_FPS} fps)"
            f"; first picture median {statistics.median(firsts) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
