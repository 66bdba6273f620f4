"""Benchmark of the whole box's memory while it plays: `karaoke run` as the appliance runs it
(TV through SDL's dummy driver at 1920x1080, the phone remote, the engine on JACK's dummy clock
through ALSA), on the demo library, a song queued and started through the API.

    .venv/bin/python tests/bench/bench_memory.py [--seconds 20] [--size 1920x1080]

Prints each process's proportional set size (PSS: shared pages split between the processes
that map them, so the sum is what the box costs the machine) idle and while playing, their
total, and the total as a share of the Zero 2 W's 512 MB and the Pi 3B+'s 1 GB. The OS's own
share is not measured here: docs/performance.md states the figure it assumes, with its basis.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from appliance.audio.loudness_process import IDLE_EXIT_S
from appliance.demosongs.build import build_demo_library
from tests.support.alsa_rig import JackServer

BIN = Path(sys.executable).parent
PIN = "2468"


def pss_mb(pid: int) -> float:
    """The process's proportional set size in MB (0 when it is gone)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def family(pid: int) -> dict[int, str]:
    """``pid`` and every descendant, with their command names."""
    found, todo = {}, [pid]
    while todo:
        current = todo.pop()
        try:
            found[current] = Path(f"/proc/{current}/comm").read_text().strip()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo += [int(child) for child in children]
    return found


def sample(pid: int) -> dict[str, float]:
    """PSS by role: 'main' (the box) and each child by its name ('kb-loudness': the loudness
    worker; 'python': the engine and, while a song is decoded, the transcoder)."""
    out: dict[str, float] = {}
    for child, name in family(pid).items():
        role = "main" if child == pid else name
        out[role] = out.get(role, 0.0) + pss_mb(child)
    return out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_box(folder: Path, library: Path, jack: JackServer, size: str, port: int):  # type: ignore[no-untyped-def]
    config = folder / "config.toml"
    config.write_text(
        f'[library]\npaths = ["{library}"]\n[state]\nstate_dir = "{folder / "state"}"\n'
        f'data_dir = "{folder / "data"}"\n[web]\nhost = "127.0.0.1"\npin = "{PIN}"\n'
        "[buttons]\nenabled = false\n"
    )
    env = {**os.environ, **jack.alsa_env(folder / "home"), "SDL_VIDEODRIVER": "dummy"}
    command = [
        str(BIN / "karaoke"),
        "--config",
        str(config),
        "run",
        "--port",
        str(port),
        "--windowed",
        "--size",
        size,
    ]  # fmt: skip  (SDL's dummy screen takes the size)
    log = (folder / "box.log").open("w")
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


class Sampler:
    """PSS of the box's processes, peak per role, sampled while waiting."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peaks: dict[str, float] = {}

    def wait(self, seconds: float, until=lambda: False) -> None:  # type: ignore[no-untyped-def]
        """Sample every 0.25 s for ``seconds`` or until ``until()`` is true."""
        end = time.monotonic() + seconds
        while time.monotonic() < end and not until():
            for role, mb in sample(self.pid).items():
                self.peaks[role] = max(self.peaks.get(role, 0.0), mb)
            time.sleep(0.25)

    def phase(self) -> dict[str, float]:
        """The peaks since the last phase, and start a new one."""
        peaks, self.peaks = self.peaks, {}
        return peaks


def host_phone(url: str, sampler: Sampler) -> requests.Session:
    """A host phone (session, CSRF token, PIN), once the remote answers."""
    http = requests.Session()

    def answers() -> bool:
        try:
            http.headers["X-CSRF-Token"] = http.get(url + "/api/session", timeout=5).json()[
                "csrf_token"
            ]
            return True
        except (OSError, requests.RequestException, ValueError):
            return False

    sampler.wait(120, answers)
    http.headers["Origin"] = url
    http.post(url + "/api/host/login", json={"pin": PIN}, timeout=10).raise_for_status()
    return http


def first_song(http: requests.Session, url: str, sampler: Sampler) -> dict:  # type: ignore[type-arg]
    """Amazing Grace, once the first scan (which measures every song's loudness) is done."""
    found: list[dict] = []  # type: ignore[type-arg]

    def scanned() -> bool:
        found[:] = http.get(url + "/api/songs?q=grace", timeout=10).json()["songs"]
        return len(http.get(url + "/api/songs?limit=50", timeout=10).json()["songs"]) >= 6

    sampler.wait(180, scanned)
    if not found:
        raise RuntimeError("the library never showed Amazing Grace")
    return found[0]


def start(http: requests.Session, url: str, song: dict) -> None:  # type: ignore[type-arg]
    """Queue ``song`` for a singer and start it."""
    singer = http.post(url + "/api/join", json={"name": "Ada"}, timeout=10).json()
    body = {"song_id": song["song_id"], "singer_id": singer["singer"]["singer_id"]}
    http.post(url + "/api/queue", json=body, timeout=10).raise_for_status()
    http.post(url + "/api/playback/start-next", timeout=10).raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp, JackServer() as jack:
        folder = Path(temp)
        library = folder / "demo"
        build_demo_library(library)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        box = start_box(folder, library, jack, args.size, port)
        sampler = Sampler(box.pid)
        try:
            http = host_phone(url, sampler)
            song = first_song(http, url, sampler)
            phases = {"start and first scan": sampler.phase()}
            sampler.wait(IDLE_EXIT_S + 5)  # the loudness worker finishes the scan's songs, exits
            phases["measuring loudness, then idle"] = sampler.phase()
            start(http, url, song)
            sampler.wait(args.seconds)
            phases["playing"] = sampler.phase()
            state = http.get(url + "/api/state", timeout=10).json()["state"]
        except Exception:
            print((folder / "box.log").read_text()[-3000:], file=sys.stderr)
            raise
        finally:
            box.terminate()
            box.wait(timeout=30)
    print(json.dumps({"song": song["title"], "state_at_end": state, "pss_mb": phases}, indent=1,
                     default=round))  # fmt: skip
    for name, peaks in phases.items():
        total = sum(peaks.values())
        shares = ", ".join(f"{total / ram:.0%} of {board}'s {ram} MB" for board, ram in BOARDS)
        print(f"{name}: whole box {total:.0f} MB PSS (peak per process): {shares}")


BOARDS = (("the Zero 2 W", 512), ("the Pi 3B+", 1024))


if __name__ == "__main__":
    main()
