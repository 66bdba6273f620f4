"""Benchmark of the phone remote under a hostile guest (issue 13): the other phones' figures
before, during and after one address (127.0.0.2) holds 1,000 connections (half idle, half
trickling a request a byte a second; a connection the box closes is opened again a second later)
and 5,000 junk join attempts are made (a fresh device each, from 50 more addresses).

    .venv/bin/python tests/bench/bench_web_hostile.py [--phones 200] [--seconds 20] [--rate 20]

The server (core + remote, a 5,000-song catalog, a song playing) runs in its own process, with
tests/support/web_load.py's phones (SSE streams from 127.0.1.x, another process) and guests
(searches and queue changes from 127.0.2.x, this process), as in bench_web.py; the hostile
address runs in a third process. Figures, per phase: the guests' request p99 / the 100 ms goal,
a change reaching every phone p99 / the 250 ms goal, server memory (RSS); and what the hostile
address got.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import multiprocessing as mp
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support import web_load as web  # noqa: E402

HOSTILE = "127.0.0.2"
PARTIAL = b"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "


async def _hold(port: int, trickle: bool, stop, held: list[int]) -> None:  # type: ignore[no-untyped-def]
    """One hostile connection: held open idle, or trickling a header a byte a second."""
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(
                "127.0.0.1", port, local_addr=(HOSTILE, 0)
            )
        except OSError:
            await asyncio.sleep(0.5)
            continue
        held[0] += 1
        try:
            if trickle:
                writer.write(PARTIAL)
            while not stop.is_set() and not reader.at_eof():
                if trickle:
                    writer.write(b"a")
                    await writer.drain()
                try:
                    if await asyncio.wait_for(reader.read(1024), 1.0) == b"":
                        break
                except TimeoutError:
                    pass
        except OSError:
            pass
        finally:
            held[0] -= 1
            writer.close()
        await asyncio.sleep(1.0)  # closed by the box: open another one


def junk_joins(port: int, attempts: int, answers: dict[int, int]) -> None:
    """``attempts`` joins, each from a fresh device (a new session), from 50 addresses
    (127.0.4.x: the hostile address's own 24 connections are all held, and a phone can change
    its address); the night's max_singers and 10 new names per address hold them."""
    for n in range(attempts):
        try:
            connection = http.client.HTTPConnection(
                "127.0.0.1", port, timeout=10, source_address=(f"127.0.4.{n % 50 + 1}", 0)
            )
            connection.request("GET", "/api/session")
            response = connection.getresponse()
            body = response.read()
            cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
            csrf = json.loads(body).get("csrf_token", "") if response.status == 200 else ""
            connection.request(
                "POST", "/api/join", body=json.dumps({"name": f"junk {n}"}),
                headers={"Content-Type": "application/json", "Cookie": cookie,
                         "X-CSRF-Token": csrf},
            )  # fmt: skip
            status = connection.getresponse()
            status.read()
            answers[status.status] = answers.get(status.status, 0) + 1
            connection.close()
        except OSError:
            answers[0] = answers.get(0, 0) + 1


def hostile_process(port: int, connections: int, joins: int, conn, stop) -> None:  # type: ignore[no-untyped-def]
    """The hostile address: ``connections`` held open and ``joins`` junk joins."""
    answers: dict[int, int] = {}
    joiner = threading.Thread(target=junk_joins, args=(port, joins, answers))
    joiner.start()
    held = [0]
    most = [0]

    async def main() -> None:
        tasks = [
            asyncio.create_task(_hold(port, i % 2 == 1, stop, held)) for i in range(connections)
        ]
        while not stop.is_set():
            most[0] = max(most[0], held[0])
            await asyncio.sleep(0.2)
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())
    joiner.join()
    conn.send({"joins": answers, "most_held": most[0]})


class Guest(web.Guest):
    """bench_web's guest, reconnecting when the box closed its idle keep-alive connection (as
    a browser does)."""

    def call(self, method: str, path: str, body: object = None) -> dict:  # type: ignore[type-arg]
        try:
            return super().call(method, path, body)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.http.close()
            return super().call(method, path, body)


def phase(name: str, port: int, pid: int, guests: list, args) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """One phase: the guests' load while ``args.phones`` streams listen."""
    phones = args.phones
    stop = mp.Event()
    parent, child = mp.Pipe()
    listening = mp.Process(target=web.phones_process, args=(port, phones, child, stop))
    listening.start()
    assert parent.recv() == "ready"
    before_mb = web.rss_mb(pid)
    loaded = web.load(port, guests, args.rate, args.seconds, args.songs)
    during_mb = web.rss_mb(pid)
    time.sleep(1.0)
    stop.set()
    arrivals = parent.recv()
    listening.join(10)
    time.sleep(32.0)  # the box ends a closed stream at the write after the next heartbeat
    lat = [latency for _, latency, _ in loaded]
    changes = [extra for kind, _, extra in loaded if kind == "change"]
    delays = web.fanout_delays(changes, arrivals)  # type: ignore[arg-type]
    finite = [d for d in delays if d != float("inf")] or [float("inf")]
    p99, fan = web.percentile(lat, 99), web.percentile(finite, 99)
    print(
        f"{name}: {len(lat)} requests, p99 {p99 * 1000:.1f} ms = {p99 / web.LATENCY_GOAL_S:.2f}"
        f" x the goal; change -> all {phones} phones p99 {fan * 1000:.0f} ms = "
        f"{fan / web.FANOUT_GOAL_S:.2f} x the goal, missed {len(delays) - len(finite)}; "
        f"RSS {before_mb:.0f} -> {during_mb:.0f} MB",
        flush=True,
    )
    return {"p99": p99, "fanout_p99": fan, "rss_mb": during_mb}


def one_phone(port: int, count: int = 160) -> float:
    """p99 of ``count`` GET /api/state from 127.0.0.3, 8 a second (under its rate limit)."""
    took = []
    for _ in range(count):
        started = time.monotonic()
        connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=30, source_address=("127.0.0.3", 0)
        )
        connection.request("GET", "/api/state")
        response = connection.getresponse()
        response.read()
        connection.close()
        assert response.status == 200, response.status
        took.append(time.monotonic() - started)
        time.sleep(max(0.0, 0.125 - took[-1]))
    return web.percentile(took, 99)


def alone_with_the_hostile(port: int, connections: int) -> None:
    """The issue's own case: one other phone (127.0.0.3) and the hostile address, nothing
    else: its p99 without and with the 1,000 connections."""
    quiet = one_phone(port)
    stop = mp.Event()
    parent, child = mp.Pipe()
    hostile = mp.Process(target=hostile_process, args=(port, connections, 0, child, stop))
    hostile.start()
    time.sleep(3.0)
    loud = one_phone(port)
    stop.set()
    parent.recv()
    hostile.join(30)
    print(
        f"127.0.0.3 alone: GET /api/state p99 {quiet * 1000:.1f} ms = "
        f"{quiet / web.LATENCY_GOAL_S:.2f} x the goal; with 127.0.0.2 holding {connections} "
        f"connections {loud * 1000:.1f} ms = {loud / web.LATENCY_GOAL_S:.2f} x the goal",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--songs", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--joins", type=int, default=5000)
    parser.add_argument("--alone", action="store_true", help="only the one-phone measurement")
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.support.web_load", "--songs", str(args.songs)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        port = int(server.stdout.readline())  # type: ignore[union-attr]
        idle_mb = web.rss_mb(server.pid)
        guests = [Guest(port, i) for i in range(int(args.rate))]
        print(f"server pid {server.pid} on 127.0.0.1:{port}; idle {idle_mb:.0f} MB", flush=True)
        alone_with_the_hostile(port, args.connections)
        if args.alone:
            return 0
        phase("before", port, server.pid, guests, args)
        stop = mp.Event()
        parent, child = mp.Pipe()
        hostile = mp.Process(
            target=hostile_process, args=(port, args.connections, args.joins, child, stop)
        )
        hostile.start()
        time.sleep(3.0)  # the connections are open, the joins under way
        phase("during", port, server.pid, guests, args)
        stop.set()
        got = parent.recv()
        hostile.join(30)
        print(
            f"hostile address: at most {got['most_held']} of {args.connections} connections "
            f"held at once; {args.joins} join attempts answered {got['joins']}",
            flush=True,
        )
        time.sleep(5.0)
        phase("after", port, server.pid, guests, args)
        state = guests[0].call("GET", "/api/state")
        print(f"singers in the night: {len(state['singers'])}; snapshot "
              f"{len(json.dumps(state)) / 1024:.0f} KB; peak RSS "
              f"{web.rss_mb(server.pid, 'VmHWM'):.0f} MB", flush=True)  # fmt: skip
    finally:
        server.stdin.close()  # type: ignore[union-attr]
        server.wait(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
