"""The sd_notify client against a real AF_UNIX datagram socket standing in for systemd's."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.system.notify import SystemdNotifier, watchdog_interval_s


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[socket.socket, str]]:
    path = tmp_path / "notify"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    server.settimeout(2)
    yield server, str(path)
    server.close()


def received(server: socket.socket) -> dict[str, str]:
    lines = server.recv(4096).decode().split("\n")
    return dict(line.split("=", 1) for line in lines)


def test_ready_status_watchdog_stopping(notify_socket: tuple[socket.socket, str]) -> None:
    server, path = notify_socket
    notifier = SystemdNotifier.from_environment(
        {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"}
    )
    assert notifier.enabled and notifier.watchdog_interval == 15.0
    assert notifier.ready("3 songs queued\nnext: Ana")
    assert received(server) == {"READY": "1", "STATUS": "3 songs queued next: Ana"}
    notifier.status("playing")
    assert received(server) == {"STATUS": "playing"}
    notifier.watchdog()
    assert received(server) == {"WATCHDOG": "1"}
    notifier.stopping()
    assert received(server) == {"STOPPING": "1"}
    notifier.close()


def test_abstract_namespace_socket() -> None:
    name = f"karaoke-test-{os.getpid()}"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind("\0" + name)
    server.settimeout(2)
    try:
        notifier = SystemdNotifier.from_environment({"NOTIFY_SOCKET": "@" + name})
        assert notifier.ready()
        assert received(server) == {"READY": "1"}
    finally:
        server.close()


def test_watchdog_if_due_pings_at_half_the_interval(
    notify_socket: tuple[socket.socket, str],
) -> None:
    server, path = notify_socket
    now = [100.0]
    notifier = SystemdNotifier(path, watchdog_interval=10.0, clock=lambda: now[0])
    assert notifier.watchdog_if_due()  # the first call always pings
    assert received(server) == {"WATCHDOG": "1"}
    now[0] += 9.9
    assert not notifier.watchdog_if_due()
    now[0] += 0.2
    assert notifier.watchdog_if_due()
    assert received(server) == {"WATCHDOG": "1"}


def test_no_op_outside_systemd() -> None:
    notifier = SystemdNotifier.from_environment({})
    assert not notifier.enabled
    assert not notifier.ready() and not notifier.watchdog_if_due() and not notifier.stopping()


def test_a_vanished_socket_never_raises(tmp_path: Path) -> None:
    notifier = SystemdNotifier(str(tmp_path / "gone"))
    assert notifier.ready() is False
    assert notifier.watchdog() is False


def test_watchdog_pid_and_zero_interval() -> None:
    assert watchdog_interval_s({"WATCHDOG_USEC": "0"}) is None
    assert watchdog_interval_s({}) is None
    assert watchdog_interval_s({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "7"}, pid=7) == 1.0
    assert watchdog_interval_s({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "7"}, pid=8) is None


def test_unset_environment_keeps_children_out(
    notify_socket: tuple[socket.socket, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, path = notify_socket
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    monkeypatch.setenv("WATCHDOG_USEC", "4000000")
    notifier = SystemdNotifier.from_environment(unset_environment=True)
    assert notifier.enabled and notifier.watchdog_interval == 2.0
    assert "NOTIFY_SOCKET" not in os.environ and "WATCHDOG_USEC" not in os.environ


def test_a_socket_nobody_reads_never_blocks_the_main_loop(
    notify_socket: tuple[socket.socket, str], caplog: pytest.LogCaptureFixture
) -> None:
    """A datagram queue holds a few messages (net.unix.max_dgram_qlen, 10 by default): when it
    is full the ping is dropped and said once, never waited for (a blocked main loop would
    never see the stop)."""
    server, path = notify_socket
    notifier = SystemdNotifier(path)
    outcome: list[bool] = []
    sender = threading.Thread(
        target=lambda: outcome.extend(notifier.watchdog() for _ in range(200)), daemon=True
    )
    sender.start()
    sender.join(timeout=10)
    assert not sender.is_alive(), "a watchdog ping blocked on a full notify socket"
    assert outcome[0] is True and outcome[-1] is False
    assert sum("not reading" in r.message for r in caplog.records) == 1
    while True:  # what was queued is still delivered
        server.settimeout(0.1)
        try:
            assert received(server) == {"WATCHDOG": "1"}
        except TimeoutError:
            break
    assert notifier.watchdog() is True  # the reader caught up: pings go through again
