"""Benchmark of the demo library build: time per song as a ratio to the song's length.

Run: ``.venv/bin/python tests/bench/bench_demo.py``. Prints, per song, render and write times
and how many times faster than real time the song was built; then the whole library built
with 1 and 2 worker processes (the ratio of the two is the parallel speed-up). A baseline in the
same run: synthesizing plain sine tones of the same total length (the cheapest "song").
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from appliance.demosongs import SONGS, build_demo_library
from appliance.demosongs.render import SR, render_stems
from appliance.demosongs.writers import write_song_files


def main() -> None:
    total_audio = sum(song.duration_s for song in SONGS.values())
    started = time.perf_counter()
    for song in SONGS.values():
        t = np.arange(round(song.duration_s * SR)) / SR
        _ = [np.sin(2 * np.pi * 440.0 * t).astype(np.float32) for _ in range(6)]
    baseline = time.perf_counter() - started
    print(f"baseline (6 sine stems per song): {total_audio / baseline:.0f}x real time")
    print(f"{'song':28} {'length':>7} {'render':>7} {'write':>7} {'x real time':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for song in SONGS.values():
            folder = Path(tmp) / song.song_id
            folder.mkdir()
            t0 = time.perf_counter()
            stems = render_stems(song)
            t1 = time.perf_counter()
            write_song_files(folder, song, stems)
            t2 = time.perf_counter()
            ratio = song.duration_s / (t2 - t0)
            print(
                f"{song.song_id:28} {song.duration_s:6.1f}s {t1 - t0:6.2f}s {t2 - t1:6.2f}s"
                f" {ratio:11.1f}x"
            )
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            build_demo_library(Path(tmp), workers=workers)
            took = time.perf_counter() - t0
        print(
            f"whole library, {workers} worker(s): {took:.1f} s for {total_audio:.0f} s of songs"
            f" = {total_audio / took:.1f}x real time ({took / baseline:.0f}x the baseline)"
        )


if __name__ == "__main__":
    main()
