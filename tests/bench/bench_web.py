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
import asyncio
import bisect
import http.client
import json
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

LATENCY_GOAL_S = 0.100
FANOUT_GOAL_S = 0.250
WORDS = ("love", "night", "blue", "river", "fire", "home", "dream", "rain", "heart", "road")


# --- the server process ------------------------------------------------------------------------


def serve(songs: int, engine: bool = False) -> None:
    """The box's main process, reduced to the core and the remote (prints its port); with
    ``engine``, the real engine plays (prints its figures as JSON when stdin closes)."""
    from appliance.core.catalog import Catalog
    from appliance.core.config import RotationConfig
    from appliance.core.models import MixSettings, Song, SongId, Stem, StemRole
    from appliance.core.paths import database_path
    from appliance.core.ports import SystemClock
    from appliance.core.service import Actor, Core
    from appliance.core.silent_player import SilentPlayer
    from appliance.core.store import Store
    from web_remote.app import create_app
    from web_remote.remote import RemoteOptions
    from web_remote.server import WebServer

    state = Path(tempfile.mkdtemp(prefix="bench-web-"))
    store = Store.open(database_path(state))
    rng = random.Random(7)
    stems = tuple(
        Stem(r.value, r, f"{r.value}.flac")
        for r in (StemRole.DRUMS, StemRole.BASS, StemRole.KEYS, StemRole.LEAD_VOCAL)
    )
    catalog = [
        (
            Song(
                SongId(f"song-{i}"),
                " ".join(rng.sample(WORDS, 3)).title() + f" {i}",
                f"Artist {i % 400}",
                120.0 + i % 120,
                f"/bench/{i}",
                key="G",
                stems=stems,
            ),
            f"sig-{i}",
        )
        for i in range(songs)
    ]
    Catalog(store).upsert_songs(catalog)
    clock = SystemClock()
    first, rig = "song-1", None
    if engine:
        rig = EngineRig(state)
        Catalog(store).upsert_songs([(rig.song, "demo")])
        player, first = rig.player, rig.song.song_id
    else:
        player = SilentPlayer(clock, check_files=False)
        player.start()
    core = Core(store, player, clock=clock, rotation=RotationConfig(countdown_s=600))
    stop = threading.Event()
    threading.Thread(target=core.run_forever, args=(stop,), daemon=True).start()
    host = Actor.host()
    singer = core.join("Warm-up")
    core.queue_song(host, singer.singer_id, first, MixSettings(key_semitones=2))
    core.start_next_now(host)  # a song plays during the run, as at a party
    app = create_app(core, RemoteOptions(state_dir=state, pin="2468"))
    server = WebServer(app, "127.0.0.1", 0)
    server.start()
    print(server.port, flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin
    if rig is not None:
        print(json.dumps(rig.figures()), flush=True)
    server.stop()
    stop.set()
    if rig is not None:
        rig.close()


class EngineRig:
    """The real engine client on JACK's dummy clock through ALSA (see tests/support/alsa_rig)."""

    def __init__(self, state: Path) -> None:
        from concurrent.futures import ProcessPoolExecutor

        from appliance.audio.engine.client import EngineClient
        from appliance.audio.engine.device import EngineOptions
        from appliance.demosongs.build import build_demo_library
        from appliance.library.songfolder.manifest import read_manifest
        from tests.support.alsa_rig import JackServer

        # built in a process of its own: rendering it would count in this one's peak memory
        with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
            (folder,) = pool.submit(
                build_demo_library, state / "demo", songs=["demo-amazing-grace"]
            ).result()
        self.song = read_manifest(folder)
        self.jack = JackServer(channels=2).__enter__()
        env = self.jack.alsa_env(state / "alsa-home", 2)
        options = EngineOptions(env=env, routing="stereo", quality="r3", state_dir=str(state))
        self.player = EngineClient(options)
        self.started = time.monotonic()
        self.cpu_before = cpu_seconds(self.player.pid)

    def figures(self) -> dict:  # type: ignore[type-arg]
        from appliance.audio.engine.status import RING_FRAMES

        status = self.player.engine_status()
        wall = time.monotonic() - self.started
        return {
            "underflows": status["underflows"],
            "device_underflows": status["device_underflows"],
            "worst_producer_s": status["worst_producer_s"],
            "ring_s": self.player.status.read(RING_FRAMES) / 48_000,
            "position_s": self.player.position_s(),
            "state": status["state"],
            "seconds": wall,
            "cpu_pct": 100 * (cpu_seconds(self.player.pid) - self.cpu_before) / wall,
            "restarts": self.player.restarts,
        }

    def close(self) -> None:
        self.player.close()
        self.jack.__exit__()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of ``pid`` in MB (VmHWM: the peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- the phones holding streams (a process of their own) ---------------------------------------


async def _stream(port: int, index: int, arrivals: list[tuple[int, float]], ready, stop) -> None:  # type: ignore[no-untyped-def]
    address = f"127.0.1.{index % 250 + 1}"
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0))
    writer.write(f"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    await writer.drain()
    first = True
    while not stop.is_set():
        try:
            line = await asyncio.wait_for(reader.readline(), 1.0)
        except TimeoutError:
            continue
        if not line:
            break
        if line.startswith(b"id: "):
            arrivals.append((int(line[4:]), time.monotonic()))
            if first:
                ready.release()
                first = False
    writer.close()


def phones_process(port: int, phones: int, conn, stop) -> None:  # type: ignore[no-untyped-def]
    """Open ``phones`` streams, report when all got their first snapshot, then record arrivals."""

    async def main() -> list[list[tuple[int, float]]]:
        arrivals: list[list[tuple[int, float]]] = [[] for _ in range(phones)]
        ready = asyncio.Semaphore(0)
        tasks = [
            asyncio.create_task(_stream(port, i, arrivals[i], ready, stop)) for i in range(phones)
        ]
        for _ in range(phones):
            await ready.acquire()
        conn.send("ready")
        while not stop.is_set():
            await asyncio.sleep(0.2)
        await asyncio.gather(*tasks, return_exceptions=True)
        return arrivals

    conn.send(asyncio.run(main()))


# --- the requests (this process) ----------------------------------------------------------------


class Guest:
    """A phone doing searches and queue changes over one keep-alive connection."""

    def __init__(self, port: int, index: int) -> None:
        self.http = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=10, source_address=(f"127.0.2.{index + 1}", 0)
        )
        self.headers: dict[str, str] = {}
        self.index = index
        self.entries: list[int] = []
        session = self.call("GET", "/api/session")
        self.headers = {"X-CSRF-Token": session["csrf_token"], "Cookie": self.cookie}
        self.call("POST", "/api/join", {"name": f"Phone {index}"})
        self.headers["Cookie"] = self.cookie

    def call(self, method: str, path: str, body: object = None) -> dict:  # type: ignore[type-arg]
        data = None if body is None else json.dumps(body)
        headers = dict(self.headers)
        if data is not None:
            headers["Content-Type"] = "application/json"
        self.http.request(method, path, body=data, headers=headers)
        response = self.http.getresponse()
        payload = response.read()
        cookies = [v.split(";")[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
        if cookies:
            jar = dict(c.split("=", 1) for c in getattr(self, "_jar", []))
            jar.update(dict(c.split("=", 1) for c in cookies))
            self._jar = [f"{k}={v}" for k, v in jar.items()]
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {payload[:200]!r}")
        return json.loads(payload) if payload else {}

    @property
    def cookie(self) -> str:
        return "; ".join(getattr(self, "_jar", []))

    def one_request(self, rng: random.Random, songs: int) -> tuple[str, float, int | None]:
        """A search (70%) or a queue change (30%): (kind, latency_s, version of a change)."""
        started = time.monotonic()
        if rng.random() < 0.7:
            self.call("GET", "/api/songs?q=" + rng.choice(WORDS)[: rng.randint(2, 5)])
            return "search", time.monotonic() - started, None
        if len(self.entries) >= 3:
            answer = self.call("DELETE", f"/api/entries/{self.entries.pop(0)}")
        else:
            answer = self.call("POST", "/api/queue", {"song_id": f"song-{rng.randrange(songs)}"})
            self.entries.append(answer["entry"]["entry_id"])
        return "change", time.monotonic() - started, (started, answer["version"])  # type: ignore[return-value]


def load(port: int, guests: list[Guest], rate: float, seconds: float, songs: int) -> list:  # type: ignore[type-arg]
    """``rate`` requests per second spread over the guests, for ``seconds``."""
    results: list = []  # type: ignore[type-arg]
    lock = threading.Lock()
    period = len(guests) / rate

    def run(guest: Guest) -> None:
        rng = random.Random(guest.index)
        next_at = time.monotonic() + rng.random() * period
        end = time.monotonic() + seconds
        while next_at < end:
            time.sleep(max(0.0, next_at - time.monotonic()))
            result = guest.one_request(rng, songs)
            with lock:
                results.append(result)
            next_at += period

    threads = [threading.Thread(target=run, args=(g,)) for g in guests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def fanout_delays(
    changes: list[tuple[float, int]], arrivals: list[list[tuple[int, float]]]
) -> list[float]:
    """For each change: the time until the last phone got a snapshot of at least its version."""
    per_phone = [([v for v, _ in a], [t for _, t in a]) for a in arrivals]
    delays = []
    for sent, version in changes:
        worst = 0.0
        for versions, times in per_phone:
            at = bisect.bisect_left(versions, version)
            if at == len(versions):
                worst = float("inf")
                break
            worst = max(worst, times[at] - sent)
        delays.append(worst)
    return delays


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
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.songs, args.engine)
        return 0

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--songs", str(args.songs)]
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
