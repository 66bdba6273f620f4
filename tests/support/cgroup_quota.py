"""cgroup v1 ``cpu`` groups for the benches (root): one holding the engine to a share of one
core, one giving the rig (the bench, jackd, the engine's JACK client threads) the cores first.

    rig = Rig()                      # high cpu.shares, a small RT budget; holds this process
    rig.add_tree(jack.process.pid)   # jackd
    quota = Quota(period_us=5000)
    quota.set_share(0.25)            # CFS quota and RT budget: 25% of one core
    quota.add_tree(engine_pid)       # the process and its children
    rig.add_threads(device_threads(engine_pid))   # its JACK threads are the sound card's
    ...
    quota.remove(); rig.remove()

Why the rig group: on this 2-core machine other sessions build and run QEMU (niced); a group
with ``cpu.shares`` 8192 gets the cores before them, so the clock and the measuring side are not
what is starved. Why the engine's JACK threads leave the quota: see
:func:`tests.support.alsa_rig.device_threads`.
"""

from __future__ import annotations

import contextlib
import math
import os
from pathlib import Path

CPU_ROOT = Path("/sys/fs/cgroup/cpu")
HIGH_SHARES = 8192  # the default is 1024; niced processes weigh 15-110
RIG_RT_SHARE = 0.2  # RT budget of the rig group: jackd, its clients' threads (realtime jackd)
MIN_QUOTA_US = 1000  # the kernel refuses a CFS quota under 1 ms
MAX_RT_SHARE = 0.5  # the root allows 95% RT in all: the rig 20%, this 50%, other sessions 25%


class CpuGroup:
    """A cgroup v1 cpu group under the root, removed (its tasks back to the root) at the end."""

    def __init__(
        self, label: str, period_us: int, rt_share: float = 0.0, weight: int = HIGH_SHARES
    ) -> None:
        self.path = CPU_ROOT / f"karaoke-{label}-{os.getpid()}"
        self.path.mkdir(exist_ok=True)
        (self.path / "cpu.shares").write_text(str(weight or 1024))  # 0: the default
        (self.path / "cpu.cfs_period_us").write_text(str(period_us))
        (self.path / "cpu.rt_period_us").write_text(str(period_us))
        self.period_us = period_us
        self.set_rt(rt_share)

    def set_rt(self, share: float) -> None:
        """RT budget: a SCHED_FIFO thread gets ``share`` of one core per period here (a group
        without one refuses FIFO threads)."""
        (self.path / "cpu.rt_runtime_us").write_text(str(int(share * self.period_us)))

    def add_tree(self, pid: int) -> None:
        """The process (all its threads) and its children's."""
        for each in [pid, *descendants(pid)]:
            (self.path / "cgroup.procs").write_text(str(each))

    def add_threads(self, tids: list[int]) -> None:
        """Single threads (cgroup v1 places threads, not only processes)."""
        for tid in tids:
            (self.path / "tasks").write_text(str(tid))

    def throttled_s(self) -> float:
        stats = dict(line.split() for line in (self.path / "cpu.stat").read_text().splitlines())
        return int(stats.get("throttled_time", 0)) / 1e9

    def remove(self) -> None:
        for tid in (self.path / "tasks").read_text().split():
            with contextlib.suppress(OSError):  # it ended meanwhile
                (CPU_ROOT / "tasks").write_text(tid)
        self.set_rt(0.0)
        self.path.rmdir()


class Quota(CpuGroup):
    """The engine's group: quota/period = share of one core (CFS), the same share of RT time."""

    def __init__(
        self, period_us: int, weight: int = HIGH_SHARES, *, rt: bool = True, name: str = "bench"
    ) -> None:
        super().__init__(name, period_us, weight=weight)
        self.rt = rt  # False: no RT budget (the group runs no SCHED_FIFO thread; leaves the
        # machine's RT bandwidth, which sibling groups share, to those that need it)

    def set_share(self, share: float, rt_used: float = 0.0) -> int:
        """``share`` of one core in all; returns the CFS period used (µs). The engine's
        callback thread runs SCHED_FIFO, which the CFS quota does not limit: it may take up to
        ``share`` from the RT budget, and what it uses on average (``rt_used``, measured) is
        taken off the CFS quota, so that CFS and RT time together stay within the share (the
        two budgets are separate in cgroup v1)."""
        cfs_share = max(0.01, share - rt_used)
        # The kernel's smallest CFS quota is 1 ms: a smaller share gets a longer CFS period
        # (before, any share under 20% of a 5 ms period silently ran at 20%).
        period = max(self.period_us, math.ceil(MIN_QUOTA_US / cfs_share))
        (self.path / "cpu.cfs_quota_us").write_text("-1")
        (self.path / "cpu.cfs_period_us").write_text(str(period))
        (self.path / "cpu.cfs_quota_us").write_text(str(int(cfs_share * period)))
        if self.rt:
            self.set_rt(min(share, MAX_RT_SHARE))
        return period


class Rig(CpuGroup):
    """The measuring side's group: high shares, no quota; this process joins it at once."""

    def __init__(self) -> None:
        super().__init__("rig", 5000, RIG_RT_SHARE)
        (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def remove(self) -> None:
        (CPU_ROOT / "cgroup.procs").write_text(str(os.getpid()))
        super().remove()


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found
