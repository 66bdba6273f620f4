"""`karaoke run` as systemd runs it: READY and WATCHDOG on the notify socket, the web remote
answering, and an orderly stop (STOPPING=1, exit 0) on SIGTERM."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.waiting import eventually

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_config(tmp_path: Path, library: Path) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[library]\npaths = ["{library}"]\n[state]\nstate_dir = "{tmp_path / "state"}"\n'
        f'data_dir = "{tmp_path / "data"}"\n[web]\nhost = "127.0.0.1"\npin = "2468"\n'
        "[display]\nenabled = false\n[buttons]\nenabled = false\n"
    )
    return config


class NotifySocket:
    """systemd's side of the notify socket: read all the time, as systemd does."""

    def __init__(self, path: Path) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.messages: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                self.messages.append(self.sock.recv(4096).decode())

    def wait_for(self, wanted: str, timeout_s: float) -> None:
        if not eventually(lambda: any(wanted in m for m in self.messages), timeout_s):
            pytest.fail(f"no {wanted!r} on the notify socket; got {self.messages[-5:]}")

    def close(self) -> None:
        self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


@pytest.mark.slow
def stopped(box: subprocess.Popen, timeout_s: float) -> int:
    """The box's exit code; if it is still running after ``timeout_s``, its threads' stacks
    (idle web server threads left out) in the failure."""
    try:
        return box.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        box.send_signal(signal.SIGABRT)
        output, _ = box.communicate(timeout=10)
        blocks = output.split("\n\n")
        busy = [b for b in blocks if "in handler_thread" not in b]
        message = f"still running {timeout_s} s after SIGTERM:\n" + "\n\n".join(busy)[-12000:]
        raise AssertionError(message) from None


def test_box_reports_ready_answers_phones_and_stops_cleanly(tmp_path, demo_library):
    notify_path = tmp_path / "notify.sock"
    notify = NotifySocket(notify_path)
    port = free_port()
    env = {
        **os.environ,
        "NOTIFY_SOCKET": str(notify_path),
        "WATCHDOG_USEC": "400000",
        "SDL_VIDEODRIVER": "dummy",
        "HOME": str(tmp_path),
        "PYTHONFAULTHANDLER": "1",  # SIGABRT dumps every thread's stack (a stop that hangs)
    }
    box = subprocess.Popen(
        [str(BIN / "karaoke"), "--config", str(write_config(tmp_path, demo_library)), "run",
         "--port", str(port), "--https-port", "0", "--no-display"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        notify.wait_for("READY=1", timeout_s=60)
        notify.wait_for("WATCHDOG=1", timeout_s=5)
        deadline = time.monotonic() + 60  # the first scan measures every song's loudness
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/songs?q=grace") as r:
                    songs = json.load(r)["songs"]
                if songs:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the remote never found Amazing Grace"
            time.sleep(0.2)
        assert songs[0]["title"] == "Amazing Grace"
        box.send_signal(signal.SIGTERM)
        assert stopped(box, timeout_s=20) == 0
        notify.wait_for("STOPPING=1", timeout_s=2)
    finally:
        if box.poll() is None:
            box.kill()
        notify.close()
    log = box.stdout.read()
    assert "the box stopped" in log, log[-2000:]
