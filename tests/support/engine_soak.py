"""The paced soak of issue 17 (``bench_engine.py --soak-only``): a live key/tempo change every
2 s on JACK's dummy clock, the engine optionally held to a share of one core, every change's
ring depth logged, and a verdict::

    rig = Rig()                          # before jackd starts, so jackd is in it (root)
    with JackServer(channels=4) as jack:
        result = soak(jack, home, song, 600, share=0.25, rig=rig)
    result.verdict()                     # "", or why the run failed its goal or was refused

The clock is the reference, as a sound card's is: jackd's own cycles are counted by a client of
this process (:class:`~tests.support.jack_device.ServerClock`), and the engine's JACK threads,
the sound card's part of the rig, are moved out of the quota into the rig's group
(:func:`~tests.support.jack_device.device_threads`), so a starved engine shows as underflows,
not as a slow clock. A run is refused when jackd's clock or the engine's delivered rate ran more
than 2% slow; it fails its goal with any underflow (the engine's or the device's) or a ring
after a change under 90% of its configured depth.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from appliance.audio.engine import status as slots
from appliance.audio.engine.client import EngineClient
from appliance.audio.engine.device import EngineOptions
from appliance.core.models import MixSettings
from tests.support.audio_songs import RATE, cpu_seconds
from tests.support.cgroup_quota import MAX_RT_SHARE, Quota, Rig
from tests.support.clock_rate import ClockRate
from tests.support.jack_device import (
    ServerClock,
    device_threads,
    fifo_threads,
    runqueue_wait_s,
    thread_cpu_s,
)

STEP_S = 2.0
WARM_UP_S = 4.0  # playing before the paced part: the callback's FIFO time is measured here
RING_GOAL = 0.9  # the ring after a change holds at least 90% of its configured depth


@dataclass
class SoakResult:
    seconds: float
    quality: str
    share: float | None
    server_clock: ClockRate
    engine_clock: ClockRate
    status: dict[str, Any] = field(default_factory=dict)
    changes: int = 0
    restarts: int = 0
    depths_s: list[float] = field(default_factory=list)  # ring after each spliced change
    cpu_pct: float = 0.0  # the engine without its JACK (device) threads
    device_cpu_pct: float = 0.0
    device_tids: list[int] = field(default_factory=list)
    jack_xruns: int = 0
    throttled_s: float = 0.0
    load: list[float] = field(default_factory=list)  # 1-minute load average at each step
    ring_s: float = 0.0
    fifo_share: float = 0.0  # the callback thread's (SCHED_FIFO) CPU, taken off the CFS quota
    waited_s: float = 0.0  # the engine's threads runnable but waiting for a core (outside load)

    @property
    def underflows(self) -> int:
        return int(self.status["underflows"])

    @property
    def device_underflows(self) -> int:
        return int(self.status["device_underflows"])

    @property
    def ring_min(self) -> float:
        """The fewest seconds queued after a change, as a fraction of the ring."""
        return min(self.depths_s) / self.ring_s if self.depths_s else 0.0

    def refusal(self) -> str:
        """Why the run proves nothing about real time ("" when it does)."""
        for clock in (self.server_clock, self.engine_clock):
            if clock.too_slow:
                return f"{clock.describe()}: more than 2% slow"
        return ""

    def failures(self) -> list[str]:
        """Where the run missed its goal."""
        failed = []
        if self.underflows:
            failed.append(
                f"{self.underflows} underflows ({self.device_underflows} from the device)"
            )
        if not self.depths_s:
            failed.append("no change was spliced")
        elif self.ring_min < RING_GOAL:
            failed.append(f"the ring after a change fell to {self.ring_min:.0%} (goal 90%)")
        if len(self.depths_s) < self.changes:
            failed.append(f"{self.changes - len(self.depths_s)} changes without a logged depth")
        return failed


def soak(
    jack,
    home: Path,
    song,
    seconds: float,
    *,
    share: float | None = None,
    rig: Rig | None = None,
    quality: str = "r3",
    log=print,
) -> SoakResult:
    """A live key/tempo change every 2 s (a new song near the end), paced; with ``share``, the
    engine in a cgroup with that share of one core (root). Logs each change's ring depth."""
    env = jack.alsa_env(home, 4)
    quota = Quota(5000) if share is not None else None
    with ServerClock(jack.name) as server:
        client = EngineClient(EngineOptions(env=env, routing="four", quality=quality))
        pid = client.pid
        assert pid is not None
        try:
            if quota is not None and share is not None:
                quota.set_share(share)
                quota.add_tree(pid)
            return _run(
                client,
                pid,
                server,
                song=song,
                seconds=seconds,
                share=share,
                rig=rig,
                quota=quota,
                quality=quality,
                log=log,
            )
        finally:
            if quota is not None:
                with contextlib.suppress(OSError):  # another bench may hold the RT time
                    quota.set_share(MAX_RT_SHARE)
            client.close()
            if quota is not None:
                quota.remove()


def _run(client, pid, server, *, song, seconds, share, rig, quota, quality, log) -> SoakResult:
    result = SoakResult(
        seconds,
        quality,
        share,
        ClockRate(lambda: server.frames, "JACK's clock (jackd's own cycles)"),
        ClockRate(lambda: client.status.read(slots.FRAMES_PLAYED), "the engine's output"),
    )
    result.ring_s = client.status.read(slots.RING_FRAMES) / RATE
    rng = np.random.default_rng(0)
    client.play(song, MixSettings(key_semitones=2))
    deadline = time.monotonic() + 10
    while client.position_s() <= 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    if rig is not None:
        result.device_tids = device_threads(pid)
        rig.add_threads(result.device_tids)
    if quota is not None and share is not None:
        callback = fifo_threads(pid)
        used = thread_cpu_s(pid, callback)
        time.sleep(WARM_UP_S)
        result.fifo_share = (thread_cpu_s(pid, callback) - used) / WARM_UP_S
        quota.set_share(share, rt_used=result.fifo_share)
    result.ring_s = client.status.read(slots.RING_FRAMES) / RATE
    started, cpu_before = time.monotonic(), cpu_seconds(pid)
    device_before = thread_cpu_s(pid, result.device_tids)
    waited = runqueue_wait_s(pid)
    xruns, throttled = server.xruns, quota.throttled_s() if quota else 0.0
    result.server_clock.start()
    result.engine_clock.start()
    spliced, asked = client.status.read(slots.CHANGES_SPLICED), None
    while time.monotonic() - started < seconds:
        before = client.status.read(slots.UNDERFLOWS)
        time.sleep(STEP_S)
        result.load.append(os.getloadavg()[0])
        now = client.status.read(slots.CHANGES_SPLICED)
        if asked is not None and now > spliced:
            depth = client.status.read(slots.RING_AFTER_CHANGE) / RATE
            result.depths_s.append(depth)
            log(
                f"change {len(result.depths_s):3d} at {time.monotonic() - started:5.0f} s: "
                f"{asked}: ring {depth * 1000:.0f} ms = {depth / result.ring_s:.0%}; "
                f"underflows +{client.status.read(slots.UNDERFLOWS) - before:.0f}"
            )
        spliced = now
        if client.position_s() > song.duration_s - 3 or client.position_s() == 0:
            client.play(song, MixSettings(key_semitones=int(rng.integers(-3, 4))))
            result.restarts += 1
            asked = None
        else:
            key, tempo = int(rng.integers(-5, 6)), float(rng.uniform(0.8, 1.2))
            client.apply_settings(MixSettings(key_semitones=key, tempo_ratio=tempo))
            result.changes += 1
            asked = f"key {key:+d}, tempo {tempo:.2f}"
    if asked is not None:  # the last change's depth
        time.sleep(STEP_S)
        if client.status.read(slots.CHANGES_SPLICED) > spliced:
            result.depths_s.append(client.status.read(slots.RING_AFTER_CHANGE) / RATE)
    result.server_clock.stop()
    result.engine_clock.stop()
    wall = time.monotonic() - started
    device = thread_cpu_s(pid, result.device_tids) - device_before
    result.device_cpu_pct = 100 * device / wall
    result.cpu_pct = 100 * (cpu_seconds(pid) - cpu_before - device) / wall
    result.jack_xruns = server.xruns - xruns
    result.waited_s = runqueue_wait_s(pid) - waited
    result.throttled_s = (quota.throttled_s() - throttled) if quota else 0.0
    result.status = dict(client.engine_status())
    result.status["rss_mb"] = _rss_mb(pid)
    return result


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def report(result: SoakResult) -> list[str]:
    """The soak's summary, as ratios, and its verdict."""
    status, ring = result.status, result.ring_s
    worst = float(status["worst_producer_s"])
    held = f", engine held to {result.share:.0%} of one core" if result.share else ""
    lines = [
        f"soak {result.seconds:.0f} s paced ({result.quality.upper()}, 4 outputs{held}; "
        f"load average {min(result.load, default=0):.1f}-{max(result.load, default=0):.1f})",
        f"  {result.server_clock.describe()}; {result.engine_clock.describe()}; "
        f"JACK xruns {result.jack_xruns}",
        f"  {result.changes} key/tempo changes, {result.restarts} song starts; underflows "
        f"{result.underflows - result.device_underflows} (ring ran dry) + "
        f"{result.device_underflows} (device)",
        f"  ring after each of {len(result.depths_s)} changes: fewest "
        f"{min(result.depths_s, default=0) * 1000:.0f} ms = {result.ring_min:.0%} of the "
        f"{ring * 1000:.0f} ms ring (goal 90%)",
        f"  worst producer chunk {worst * 1000:.1f} ms = {worst / ring:.0%} of the ring",
        f"  engine CPU {result.cpu_pct:.1f}% of one core ({result.cpu_pct / 7:.2f}x the 7% goal), "
        f"its JACK threads (the card's part, outside the quota) {result.device_cpu_pct:.1f}%"
        + (
            f" (its FIFO callback measured at {result.fifo_share:.1%} in the warm-up, taken off "
            f"the CFS quota); throttled {result.throttled_s / result.seconds:.0%} of the time"
            if held
            else ""
        )
        + f"; RSS {status['rss_mb']:.0f} MB at the end",
        f"  the engine's threads waited {result.waited_s:.1f} s in all (summed over threads) for "
        f"a core while runnable, {result.waited_s / result.seconds:.0%} of the run"
        + (
            " (held by the quota or by other processes); it used "
            f"{result.cpu_pct / 100 / (result.share or 1):.0%} of its share"
            if held
            else " (other processes' load)"
        ),
    ]
    refusal, failures = result.refusal(), result.failures()
    if refusal:
        lines.append(f"soak REFUSED: {refusal}; its figures prove nothing about real time")
    elif failures:
        lines.append("soak FAILED: " + "; ".join(failures))
    else:
        lines.append("soak PASSED: 0 underflows, the ring after every change >= 90%")
    return lines
