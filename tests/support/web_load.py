"""The phone remote under load, for the benchmarks (tests/bench/bench_web.py and
bench_web_hostile.py): a server process with a big catalog (``python -m tests.support.web_load
--songs N [--engine]`` prints its port), phones holding live streams from their own loopback
addresses, guests searching and changing the queue, and the percentiles and fan-out delays
their figures come from.
"""

from __future__ import annotations

import asyncio
import bisect
import http.client
import json
import multiprocessing as mp
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LATENCY_GOAL_S = 0.100
FANOUT_GOAL_S = 0.250
WORDS = ("love", "night", "blue", "river", "fire", "home", "dream", "rain", "heart", "road")


# --- the server process ------------------------------------------------------------------------


def serve(songs: int, engine: bool = False, https: bool = False) -> None:
    """The box's main process, reduced to the core and the remote (prints its port); with
    ``engine``, the real engine plays (prints its figures as JSON when stdin closes); with
    ``https``, the https front too (its port on a second line)."""
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
    if https:
        from web_remote.tls_cert import box_certificate, server_context

        cert = box_certificate(state, ["localhost"], ["127.0.0.1"])
        print(server.serve_https(server_context(cert), 0).port, flush=True)
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


def _serve_main() -> None:
    """``python -m tests.support.web_load --songs N [--engine]``: serve until stdin closes."""
    import argparse as _argparse

    parser = _argparse.ArgumentParser()
    parser.add_argument("--songs", type=int, default=5000)
    parser.add_argument("--engine", action="store_true")
    parser.add_argument("--https", action="store_true")
    args = parser.parse_args()
    serve(args.songs, args.engine, args.https)


if __name__ == "__main__":
    _serve_main()
