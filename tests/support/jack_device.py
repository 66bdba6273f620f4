"""The sound card's part of the ALSA-on-JACK rig, kept apart from the engine's part.

On a real card the hardware consumes frames at its own rate: an engine that is late gets an
underflow, the card's clock does not wait. On the rig the "card" is code inside the engine's
process: the ALSA ``jack`` plugin registers a JACK client there, and its process thread copies
the engine's ALSA buffer to JACK's ports and moves the buffer's hardware pointer, once per JACK
cycle (PortAudio's JACK host API adds a second, idle client). When the engine is held to a share
of a core, those threads are held with it: they miss JACK cycles (1,786 JACK xruns in 30 s at
25%), the pointer stands still meanwhile, and the engine's frame count falls behind the clock
(34,699 frames/s while jackd's own cycles ran at 46,998), which looked like a slow clock.

:func:`device_threads` finds those threads so a bench can move them out of the engine's quota;
:class:`ServerClock` counts jackd's own cycles from the bench process, the reference::

    rig.add_threads(device_threads(engine_pid))
    with ServerClock(jack.name) as server:
        clock = ClockRate(lambda: server.frames)     # jackd's rate, not the engine's
        ...
        server.xruns                                 # cycles some client finished late
"""

from __future__ import annotations

import os
import time
from pathlib import Path

FUTEX = "202"  # x86_64 syscall number: a JACK client thread waits on its semaphore with it


def device_threads(pid: int, seconds: float = 0.5) -> list[int]:
    """Threads of ``pid`` that are JACK client threads: found waiting on a futex inside one of
    jackd's semaphore files (/dev/shm/jack_sem.*), sampled for ``seconds`` (a thread that is
    running at one look is waiting at another)."""
    found: set[int] = set()
    deadline = time.monotonic() + seconds
    while True:
        found |= _waiting_on_jack(pid)
        if time.monotonic() >= deadline:
            return sorted(found)
        time.sleep(0.01)


def _waiting_on_jack(pid: int) -> set[int]:
    spans = []
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 6 and os.path.basename(parts[5]).startswith("jack_sem."):
            low, high = (int(x, 16) for x in parts[0].split("-"))
            spans.append((low, high))
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            call = (task / "syscall").read_text().split()
        except OSError:
            continue  # the thread ended
        if len(call) > 1 and call[0] == FUTEX:
            address = int(call[1], 16)
            if any(low <= address < high for low, high in spans):
                found.add(int(task.name))
    return found


def thread_cpu_s(pid: int, tids: list[int]) -> float:
    """CPU seconds (user + system) of some of a process's threads."""
    total = 0
    for tid in tids:
        try:
            fields = Path(f"/proc/{pid}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def runqueue_wait_s(pid: int) -> float:
    """Seconds the process's threads spent runnable but waiting for a core (schedstat), summed
    over its threads: without a quota, the time other processes took from it. Under a CFS quota
    it also holds the time the quota held them back (a throttled group's tasks stay queued)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[1])
        except (OSError, IndexError):
            continue
    return total / 1e9


def fifo_threads(pid: int) -> list[int]:
    """Threads of ``pid`` running SCHED_FIFO (the engine's audio callback)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[38] == "1":
            found.append(int(task.name))
    return found


class ServerClock:
    """A JACK client of the bench process that counts the frames of every cycle jackd runs,
    and the xruns jackd reports (a client that finished its cycle late)."""

    def __init__(self, server_name: str) -> None:
        import jack

        self.client = jack.Client("clock", servername=server_name, no_start_server=True)
        self.frames = 0
        self.xruns = 0
        self.client.set_process_callback(self._process)
        self.client.set_xrun_callback(self._xrun)

    def _process(self, frames: int) -> None:
        self.frames += frames

    def _xrun(self, delay_usecs: float) -> None:
        self.xruns += 1

    def __enter__(self) -> ServerClock:
        self.client.activate()
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.deactivate()
        self.client.close()
