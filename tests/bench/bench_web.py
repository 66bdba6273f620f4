"""Benchmark of the phone remote: 200 phones holding live streams while 20 requests/s search and
change the queue. Loopback only: the server listens on 127.0.0.1; each simulated phone connects
from its own loopback address (127.0.1.x streams, 127.0.2.x requests), so per-client limits apply
as they would on party Wi-Fi.

    .venv/bin/python tests/bench/bench_web.py [--phones 200] [--seconds 30] [--rate 20] [--engine]

Figures (ratios to the goals, and to a baseline run with no phones connected, in this run):
- p99 request latency under load / 100 ms goal, and / the baseline's p99
- time for a change to reach every phone: p50, p99, max / 250 ms goal
- main-process memory (RSS) idle, with the phones connected, peak
- with ``--engine``: the real engine client (the engine in its own process, as on the box)
  plays the demo song "Amazing Grace" at key +2 through an ALSA ``type jack`` PCM into jackd's
  dummy backend (a real-time clock, as tests/audio does) instead of a SilentPlayer; its
  underflows during the run, worst producer chunk and CPU are printed
The server runs in its own process (the box's main process), the streams in a second one and
the requests in this one, so the clients' work does not slow the server's GIL.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.web_load import (  # noqa: E402
    FANOUT_GOAL_S,
    LATENCY_GOAL_S,
    Guest,
    fanout_delays,
    load,
    percentile,
    phones_process,
    rss_mb,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--songs", type=int, default=5000)
    parser.add_argument(
        "--engine", action="store_true",
        help="the real engine plays a demo song on JACK's dummy clock (underflows measured)",
    )  # fmt: skip
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.support.web_load", "--songs", str(args.songs)]
        + (["--engine"] if args.engine else []),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        port = int(server.stdout.readline())  # type: ignore[union-attr]
        idle_mb = rss_mb(server.pid)
        guests = [Guest(port, i) for i in range(int(args.rate))]
        print(
            f"server pid {server.pid} on 127.0.0.1:{port}; {args.songs} songs; "
            f"idle {idle_mb:.0f} MB"
        )

        baseline = load(port, guests, args.rate, args.baseline_seconds, args.songs)
        base_lat = [lat for _, lat, _ in baseline]

        stop = mp.Event()
        parent, child = mp.Pipe()
        phones = mp.Process(target=phones_process, args=(port, args.phones, child, stop))
        started = time.monotonic()
        phones.start()
        assert parent.recv() == "ready"
        connect_s = time.monotonic() - started
        with_phones_mb = rss_mb(server.pid)
        threads = len(os.listdir(f"/proc/{server.pid}/task"))
        samples: list[float] = []
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.wait(1.0):
                samples.append(rss_mb(server.pid))

        threading.Thread(target=sample, daemon=True).start()
        loaded = load(port, guests, args.rate, args.seconds, args.songs)
        sampling.set()
        loaded_mb = rss_mb(server.pid)
        time.sleep(1.0)
        stop.set()
        arrivals = parent.recv()
        phones.join(10)
        peak_mb = rss_mb(server.pid, "VmHWM")
    finally:
        server.stdin.close()  # type: ignore[union-attr]
        engine = json.loads(server.stdout.readline() or "null") if args.engine else None  # type: ignore[union-attr]
        server.wait(15)

    lat = [latency for _, latency, _ in loaded]
    searches = [latency for kind, latency, _ in loaded if kind == "search"]
    changes = [extra for kind, _, extra in loaded if kind == "change"]
    delays = fanout_delays(changes, arrivals)  # type: ignore[arg-type]
    p99, base_p99 = percentile(lat, 99), percentile(base_lat, 99)
    print(f"phones connected: {args.phones} in {connect_s:.2f} s; server threads {threads}")
    print(
        f"requests: {len(lat)} in {args.seconds:.0f} s ({len(lat) / args.seconds:.1f}/s), "
        f"{len(searches)} searches, {len(changes)} changes"
    )
    print(
        f"request latency p50 {statistics.median(lat) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"
        f" = {p99 / LATENCY_GOAL_S:.2f} x the 100 ms goal"
        f" ({p99 / base_p99:.2f} x the baseline p99 of {base_p99 * 1000:.1f} ms,"
        " no phones)"
    )
    finite = [d for d in delays if d != float("inf")]
    print(
        f"change -> all {args.phones} phones: p50 {percentile(finite, 50) * 1000:.0f} ms, "
        f"p99 {percentile(finite, 99) * 1000:.0f} ms, max {max(finite) * 1000:.0f} ms"
        f" = {percentile(finite, 99) / FANOUT_GOAL_S:.2f} x the 250 ms goal (p99);"
        f" missed by some phone: {len(delays) - len(finite)}"
    )
    print(
        f"server memory: idle {idle_mb:.0f} MB, phones connected {with_phones_mb:.0f} MB, "
        f"end of load {loaded_mb:.0f} MB ({loaded_mb / idle_mb:.2f} x idle), "
        f"peak {peak_mb:.0f} MB; every 5 s of the load: "
        + " ".join(f"{m:.0f}" for m in samples[::5])
    )
    if engine is None:
        print(
            "audio underflows: not measured here (the engine runs in its own process; "
            "see docs/remote.md; --engine measures them)"
        )
        return 0
    worst = engine["worst_producer_s"]
    print(
        f"audio (real engine, demo song at key +2, R3, JACK dummy clock, 256-frame blocks): "
        f"{engine['underflows']:.0f} underflows ({engine['device_underflows']:.0f} reported by "
        f"the device) in {engine['seconds']:.0f} s (baseline, phones connecting and the load); "
        f"worst producer chunk {worst * 1000:.1f} ms = {worst / engine['ring_s']:.1%} of the "
        f"{engine['ring_s'] * 1000:.0f} ms ring; engine CPU {engine['cpu_pct']:.1f}% of one "
        f"core; song at {engine['position_s']:.1f} s, {engine['state']}, "
        f"engine restarts {engine['restarts']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
