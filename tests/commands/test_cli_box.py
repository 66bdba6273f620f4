"""`karaoke run` as systemd runs it: READY and WATCHDOG on the notify socket, the web remote
answering, and an orderly stop (STOPPING=1, exit 0) on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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


def receive(sock: socket.socket, wanted: str, timeout_s: float) -> list[str]:
    messages, deadline = [], time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            messages.append(sock.recv(4096).decode())
        except TimeoutError:
            break
        if any(wanted in m for m in messages):
            return messages
    pytest.fail(f"no {wanted!r} on the notify socket; got {messages}")


@pytest.mark.slow
def stopped(box: subprocess.Popen, timeout_s: float) -> int:
    """The box's exit code; if it is still running after ``timeout_s``, its threads' stacks."""
    try:
        return box.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        box.send_signal(signal.SIGABRT)
        output, _ = box.communicate(timeout=10)
        raise AssertionError(
            f"still running {timeout_s} s after SIGTERM:\n{output[-6000:]}"
        ) from None


def test_box_reports_ready_answers_phones_and_stops_cleanly(tmp_path, demo_library):
    notify_path = tmp_path / "notify.sock"
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(notify_path))
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
         "--port", str(port), "--no-display"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        messages = receive(notify, "READY=1", timeout_s=60)
        messages += receive(notify, "WATCHDOG=1", timeout_s=5)
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
        messages += receive(notify, "STOPPING=1", timeout_s=2)
    finally:
        if box.poll() is None:
            box.kill()
        notify.close()
    log = box.stdout.read()
    assert "the box stopped" in log, log[-2000:]
