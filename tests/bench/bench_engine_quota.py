"""The engine's CPU floor: the smallest share of one core at which it keeps real time.

    sudo .venv/bin/python tests/bench/bench_engine_quota.py [--seconds 20] [--period-us 5000]
        [--quality r3] [--ring-s 0.15 --ring-s 0.3] [--shares 0.3,0.2,0.15]

Plays an 8-stem song at key +2 and tempo 0.9 on JACK's dummy clock (real time, through ALSA)
with the engine process in a cgroup (v1 ``cpu`` controller) whose quota is a fraction of one
core, with a short period so the share arrives evenly. For R2 and R3 it lowers the share until
the engine loses blocks and prints, per share tried, the underflows and the worst producer chunk
against the ring. The callback thread (SCHED_FIFO) draws on the group's RT budget; what it used
in the first 2 s is taken off the CFS quota, so both together stay within the share. The
engine's JACK client threads (the sound card's part of the rig, tests/support/jack_device.py)
and jackd (real-time) run outside the quota in a high-share group, so a starved engine shows as
underflows, not as a slow clock; jackd's own cycles are the clock whose rate is printed. The
floor is the lowest share with 0 underflows. On a shared machine other processes also compete
for the core, so the floor found is an upper bound (pessimistic).
Needs root (cgroup) and jackd (scripts/setup.sh test).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from appliance.audio.engine import status as slots
from appliance.audio.engine.client import EngineClient
from appliance.audio.engine.device import RING_S, EngineOptions
from appliance.core.models import MixSettings
from tests.support.alsa_rig import JackServer
from tests.support.audio_songs import RATE, cpu_seconds, eight_stems
from tests.support.cgroup_quota import MAX_RT_SHARE, Quota, Rig
from tests.support.clock_rate import ClockRate
from tests.support.jack_device import ServerClock, device_threads, fifo_threads, thread_cpu_s

SHARES = (0.7, 0.6, 0.45, 0.35, 0.3, 0.25, 0.21, 0.18, 0.15, 0.13, 0.11, 0.09, 0.07)


def trial(
    jack,
    home: Path,
    song,
    quality: str,
    *,
    share: float,
    seconds: float,
    quota: Quota,
    rig: Rig,
    ring_s: float = RING_S,
) -> dict:
    env = jack.alsa_env(home, 4)
    options = EngineOptions(env=env, routing="four", quality=quality, ring_s=ring_s)
    client = EngineClient(options)
    try:
        pid = client.pid
        assert pid is not None
        quota.set_share(share)
        quota.add_tree(pid)
        client.play(song, MixSettings(key_semitones=2, tempo_ratio=0.9))
        time.sleep(0.5)
        device = device_threads(pid)
        rig.add_threads(device)
        callback = fifo_threads(pid)
        used = thread_cpu_s(pid, callback)
        time.sleep(2.0)  # the song's start (file opening, first render) is not the steady state
        quota.set_share(share, rt_used=(thread_cpu_s(pid, callback) - used) / 2.0)
        start = client.engine_status()
        with ServerClock(jack.name) as server:
            clock = ClockRate(lambda: server.frames, "JACK's clock (jackd's own cycles)")
            clock.start()
            before = cpu_seconds(pid) - thread_cpu_s(pid, device)
            throttled, started = quota.throttled_s(), time.monotonic()
            time.sleep(seconds)
            wall = time.monotonic() - started
            clock.stop()
        status = client.engine_status()
        ring_s = client.status.read(slots.RING_FRAMES) / RATE
        return {
            "share": share,
            "cpu": (cpu_seconds(pid) - thread_cpu_s(pid, device) - before) / wall,
            "underflows": float(status["underflows"]) - float(start["underflows"]),
            "worst_vs_ring": float(status["worst_producer_s"]) / ring_s,
            "throttled": (quota.throttled_s() - throttled) / wall,
            "clock": clock,
        }
    finally:
        with contextlib.suppress(OSError):  # another session's group may hold the RT time
            quota.set_share(MAX_RT_SHARE)
        client.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--period-us", type=int, default=5000)
    parser.add_argument("--quality", choices=("r2", "r3"), action="append")
    parser.add_argument(
        "--ring-s", type=float, action="append", help=f"ring sizes to try (default {RING_S})"
    )
    parser.add_argument("--shares", help="comma-separated shares to try, highest first")
    args = parser.parse_args()
    shares = [float(s) for s in args.shares.split(",")] if args.shares else SHARES
    work = Path(tempfile.mkdtemp(prefix="bench-quota-"))
    song = eight_stems(work / "song", args.seconds + 15)
    load = os.getloadavg()[0]
    print(
        f"cores: {os.cpu_count()}, load {load:.1f}; 8 stems, key +2, tempo 0.9; JACK dummy 256"
        f"-frame blocks; cgroup period {args.period_us / 1000:.0f} ms; {args.seconds:.0f} s a share"
    )
    rig = Rig()
    quota = Quota(args.period_us)
    try:
        with JackServer(channels=4, realtime=True) as jack:
            for quality, ring_s in (
                (q, r) for q in args.quality or ["r2", "r3"] for r in args.ring_s or [RING_S]
            ):
                floor = None
                for i, share in enumerate(shares):
                    r = trial(
                        jack,
                        work / f"{quality}-{ring_s}-{i}",
                        song,
                        quality,
                        share=share,
                        seconds=args.seconds,
                        quota=quota,
                        rig=rig,
                        ring_s=ring_s,
                    )
                    print(
                        f"  {quality} ring {ring_s * 1000:.0f} ms share {share:.0%}: used "
                        f"{r['cpu']:.0%} of a core, "
                        f"throttled {r['throttled']:.0%} of the time, underflows "
                        f"{r['underflows']:.0f}, worst chunk {r['worst_vs_ring']:.0%} of ring; "
                        f"{r['clock'].describe()}",
                        flush=True,
                    )
                    if r["clock"].too_slow:
                        print(f"  {quality}: REFUSED, the clock ran more than 2% slow; stopping")
                        break
                    if r["underflows"] > 0:
                        break
                    floor = share
                label = f"{quality}, ring {ring_s * 1000:.0f} ms"
                print(f"{label}: floor {floor:.0%} of one core" if floor else f"{label}: no floor")
    finally:
        quota.remove()
        rig.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
