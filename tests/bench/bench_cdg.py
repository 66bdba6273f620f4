"""CD+G decoder speed: a 4-minute stream decoded as a display would drive it.

Run: .venv/bin/python tests/bench/bench_cdg.py
Figures are ratios: decode time / stream duration (lower is better; 1.0 = just real time), and
against a baseline loop that only walks the packets in the same run.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from appliance.library.formats.cdg import CdgDecoder
from tests.support.cdg_gen import (
    encode,
    load_colors,
    memory_preset,
    random_instruction,
    scroll,
    tile,
)

SECONDS = 240
PACKETS = SECONDS * 300


def song_like(rng: random.Random) -> list:
    """Palette, presets, then text tiles and XOR wipes on ~60% of packets, a scroll a minute."""
    schedule = [(0, load_colors(False, [(i, i, i) for i in range(8)])), (1, memory_preset(0))]
    for index in range(2, PACKETS):
        roll = rng.random()
        if roll < 0.45:
            bits = [rng.randrange(64) for _ in range(12)]
            schedule.append((index, tile(0, 7, rng.randrange(18), rng.randrange(50), bits)))
        elif roll < 0.60:
            schedule.append(
                (index, tile(0, 3, rng.randrange(18), rng.randrange(50), [63] * 12, xor=True))
            )
        elif index % 18000 == 0:
            schedule.append((index, scroll(0, 0, 0, 2, 0, copy=True)))
    return schedule


def worst_case(rng: random.Random) -> list:
    """Every packet a graphics instruction of any kind (scrolls and presets included)."""
    return [(index, random_instruction(rng)) for index in range(PACKETS)]


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def baseline_walk(data: bytes) -> None:
    count = 0
    for offset in range(0, len(data) - 23, 24):
        if data[offset] & 0x3F == 9:
            count += data[offset + 1] & 0x3F
    return count


def main() -> None:
    rng = random.Random(7)
    for name, schedule in (("song-like", song_like(rng)), ("worst case", worst_case(rng))):
        data = encode(schedule, PACKETS, seed=3)
        base = timed(lambda data=data: baseline_walk(data))
        setup = timed(lambda data=data: CdgDecoder(data))
        decoder = CdgDecoder(data)
        whole = timed(decoder.last_change_s)
        playback = CdgDecoder(data)
        frames = int(SECONDS * 30)
        play = timed(
            lambda playback=playback, frames=frames: [
                playback.frame_at(i / 30) for i in range(frames)
            ]
        )
        seek = timed(
            lambda playback=playback: (
                playback.frame_at(SECONDS - 1)
                and playback.frame_at(1.0)
                and playback.frame_at(SECONDS - 1)
            )
        )
        print(f"{name}: {len(decoder._packets)} graphics packets in {SECONDS} s")
        report("open (mask + index)", setup)
        report("decode whole stream", whole, f", {whole / base:.0f}x the packet-walk baseline")
        report("play, frame_at at 30 fps", play)
        report("seek end -> 1 s -> end", seek)


def report(label: str, seconds: float, extra: str = "") -> None:
    ratio = seconds / SECONDS
    print(f"  {label:26s} {seconds:7.3f} s = {ratio:.5f} x real time ({1 / ratio:,.0f}x){extra}")


if __name__ == "__main__":
    main()
