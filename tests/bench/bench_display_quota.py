"""The TV loop's CPU floor: the smallest share of one core at which its frames stay in time.

    sudo .venv/bin/python tests/bench/bench_display_quota.py [--seconds 10] [--period-us 5000]
        [--size 1920x1080 --size 1280x720] [--fps 60 --fps 30]

The real display loop (:class:`appliance.display.part.DisplayLoop`, SDL's dummy video driver)
runs in a child process, the lyrics scene of the demo song "Amazing Grace" while the song plays
(a :class:`SilentPlayer`: the core's clock moves, no sound), with the whole process (the core's
and the display state's threads too) in a cgroup v1 ``cpu`` group whose quota is a share of one
core (tests/support/cgroup_quota.py, 5 ms period, as bench_engine_quota.py). A frame's time is
what the loop spends between two waits of its clock (input, the frame, render, flip): the p99
of it must stay within one frame at the rate tried (16.7 ms at 60 fps, 33.3 ms at 30 fps), else
frames are late. The share is lowered until it does not in any of ``--attempts`` tries (3: the
machine's other work only ever adds delay, so the best try is the one that shows the quota).
The cost of showing the frame (a KMS page flip on a Pi) is not included. On a shared machine
other processes also compete for the core, so the floor found is an upper bound. Needs root.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SHARES = (1.0, 0.6, 0.45, 0.35, 0.3, 0.25, 0.21, 0.18, 0.15, 0.13, 0.11, 0.09, 0.07, 0.05)


class TimedClock:
    """pygame's clock, recording the time spent between two of its waits (a frame's work)."""

    def __init__(self, clock) -> None:  # type: ignore[no-untyped-def]
        self.clock = clock
        self.mark = time.perf_counter()
        self.times: list[float] = []

    def tick(self, fps: int) -> int:
        self.times.append((time.perf_counter() - self.mark) * 1000)
        waited = self.clock.tick(fps)
        self.mark = time.perf_counter()
        return waited


def child(size: str, fps: int, seconds: float, warmup: float, folder: Path) -> None:
    """Run the loop; wait for a line on stdin (the parent has put us in the group), print JSON."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from appliance.core.catalog import Catalog
    from appliance.core.ports import SystemClock
    from appliance.core.service import Actor, Core
    from appliance.core.silent_player import SilentPlayer
    from appliance.core.snapshot import PlaybackState
    from appliance.core.store import Store
    from appliance.display.part import DisplayLoop, parse_size
    from appliance.display.settings import DisplayConfig, KeyControls
    from appliance.library.songfolder.manifest import read_manifest
    from tests.support.context import FakeBox

    pygame.display.init()
    pygame.font.init()
    song = read_manifest(folder)
    store = Store.open_memory()
    player = SilentPlayer(SystemClock(), check_files=False)
    core = Core(store, player)
    Catalog(store).upsert_songs([(song, "bench")])
    host = Actor.host()
    ada = core.join("Ada")
    core.queue_song(host, ada.singer_id, song.song_id)
    print("ready", flush=True)
    sys.stdin.readline()
    core.start_next_now(host)
    assert core.snapshot().state is PlaybackState.PLAYING
    box = FakeBox(core, player)
    config = DisplayConfig(fullscreen=False, size=size, fps=fps)
    screen = pygame.display.set_mode(parse_size(size))
    keys = KeyControls(keys={}, volume_step=0.05)
    loop = DisplayLoop(box.context(config), keys, screen, quit_keys=True)
    loop.clock = TimedClock(loop.clock)  # type: ignore[assignment]
    threading.Timer(warmup + seconds, box.stop.set).start()
    started = time.monotonic()
    loop.run()
    wall = time.monotonic() - started
    times = loop.clock.times  # type: ignore[attr-defined]
    skip = int(warmup * fps)  # the song's start (fonts, first layout) is not the steady state
    print(json.dumps({"times": times[skip:], "frames": loop.frames, "wall": wall}), flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def trial(size: str, fps: int, share: float, seconds: float, *, quota, folder: Path) -> dict:  # type: ignore[no-untyped-def]
    from tests.support.web_load import cpu_seconds

    warmup = 2.0
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", size, str(fps), str(seconds), str(warmup), folder],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "SDL_VIDEODRIVER": "dummy"},
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the display child did not start (exit {proc.wait(30)})")
        period = quota.set_share(share)
        quota.add_tree(proc.pid)
        before, throttled = cpu_seconds(proc.pid), quota.throttled_s()
        proc.stdin.write("go\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the display child stopped (exit {proc.wait(30)})")
        result = json.loads(line)
        cpu = cpu_seconds(proc.pid) - before
        throttled = quota.throttled_s() - throttled
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
        quota.set_share(1.0)
    times, budget = result["times"], 1000 / fps
    p99 = percentile(times, 0.99)
    return {
        "share": share,
        "period_ms": period / 1000,
        "p50": percentile(times, 0.5),
        "p99": p99,
        "worst": max(times),
        "late": sum(t > budget for t in times) / len(times),
        "fps": result["frames"] / result["wall"],
        "cpu": cpu / result["wall"],
        "throttled": throttled / result["wall"],
        "ok": p99 <= budget,
    }


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        size, fps, seconds, warmup, folder = sys.argv[2:7]
        child(size, int(fps), float(seconds), float(warmup), Path(folder))
        return 0
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--period-us", type=int, default=5000)
    parser.add_argument(
        "--attempts", type=int, default=3,
        help="tries of a share before it counts as too low (other work only adds delay)",
    )  # fmt: skip
    parser.add_argument("--shares", help="comma-separated shares to try, highest first")
    parser.add_argument(
        "--weight", type=int, default=8192, help="the group's cpu.shares (0: the default 1024)"
    )
    parser.add_argument("--size", action="append")
    parser.add_argument("--fps", type=int, action="append")
    args = parser.parse_args()
    shares = [float(s) for s in args.shares.split(",")] if args.shares else SHARES
    from appliance.demosongs import build_demo_library
    from tests.support.cgroup_quota import Quota

    work = Path(tempfile.mkdtemp(prefix="bench-display-quota-"))
    (folder,) = build_demo_library(work, songs=["demo-amazing-grace"])

    print(
        f"cores: {os.cpu_count()}, load {os.getloadavg()[0]:.1f}; lyrics scene while the demo "
        f"song plays; SDL dummy driver; cgroup period {args.period_us / 1000:.0f} ms, cpu.shares "
        f"{args.weight or 1024}; "
        f"{args.seconds:.0f} s a share"
    )
    quota = Quota(args.period_us, weight=args.weight, rt=False)
    try:
        for size in args.size or ["1920x1080", "1280x720"]:
            for fps in args.fps or [60, 30]:
                floor = None
                for share in shares:
                    for attempt in range(args.attempts):
                        r = trial(size, fps, share, args.seconds, quota=quota, folder=folder)
                        print(
                            f"  {size} {fps} fps share {share:.0%} (period "
                            f"{r['period_ms']:.0f} ms, try {attempt + 1}): frame "
                            f"p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms = "
                            f"{r['p99'] * fps / 1000:.2f} of a frame, worst {r['worst']:.0f} ms, "
                            f"late {r['late']:.1%}; {r['fps']:.1f} fps; used {r['cpu']:.0%} of a "
                            f"core, throttled {r['throttled']:.0%} of the time; load "
                            f"{os.getloadavg()[0]:.1f}",
                            flush=True,
                        )
                        if r["ok"]:
                            break
                    if not r["ok"]:
                        break
                    floor = share
                print(
                    f"{size} {fps} fps: floor {floor:.0%} of one core"
                    if floor
                    else f"{size} {fps} fps: no floor",
                    flush=True,
                )
    finally:
        quota.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
