"""A cgroup v1 ``cpu`` group holding a process tree to a share of one core (benches; root).

quota = Quota(period_us=5000)    # Quota(5000, weight=8192): niced work elsewhere yields first
quota.set_share(0.25)            # CFS quota and RT budget: 25% of one core
quota.add_tree(engine_pid)       # the process and its children
...
quota.remove()
"""

from __future__ import annotations

import math
import os
from pathlib import Path

CPU_ROOT = Path("/sys/fs/cgroup/cpu")
MIN_QUOTA_US = 1000
"""The kernel refuses a CFS quota under 1 ms."""


class Quota:
    """A cgroup v1 cpu group with quota/period = share of one core."""

    def __init__(
        self, period_us: int, weight: int = 0, *, rt: bool = True, name: str = "bench"
    ) -> None:
        self.path = CPU_ROOT / f"karaoke-{name}-{os.getpid()}"
        self.path.mkdir(exist_ok=True)
        if weight:  # cpu.shares (1024 = the root's processes): what the group gets under load
            (self.path / "cpu.shares").write_text(str(weight))
        (self.path / "cpu.cfs_period_us").write_text(str(period_us))
        (self.path / "cpu.rt_period_us").write_text(str(period_us))
        self.period_us = period_us
        self.current_period_us = period_us
        self.rt = rt  # False: no RT budget (the group runs no SCHED_FIFO thread; leaves the
        # machine's RT bandwidth, which sibling groups share, to those that need it)

    def set_share(self, share: float) -> int:
        """Hold the group to ``share`` of one core; returns the period used (µs). The kernel's
        smallest quota is 1 ms, so a share below 1 ms / period gets a longer period (20% at
        5 ms; 10% needs 10 ms): before, such a share silently ran at 1 ms / period."""
        period = max(self.period_us, math.ceil(MIN_QUOTA_US / share))
        if period != self.current_period_us:
            if self.rt:  # the RT budget must fit the period before the period shrinks
                (self.path / "cpu.rt_runtime_us").write_text("0")
            (self.path / "cpu.cfs_period_us").write_text(str(period))
            if self.rt:
                (self.path / "cpu.rt_period_us").write_text(str(period))
            self.current_period_us = period
        (self.path / "cpu.cfs_quota_us").write_text(str(int(share * period)))
        # The engine's callback thread runs SCHED_FIFO, which the CFS quota does not limit (and a
        # group without an RT budget refuses): it gets the same share as RT budget (at most 90%).
        if self.rt:
            rt = int(min(share, 0.9) * period)
            (self.path / "cpu.rt_runtime_us").write_text(str(rt))
        return period

    def add_tree(self, pid: int) -> None:
        for each in [pid, *descendants(pid)]:
            (self.path / "cgroup.procs").write_text(str(each))

    def throttled_s(self) -> float:
        stats = dict(line.split() for line in (self.path / "cpu.stat").read_text().splitlines())
        return int(stats.get("throttled_time", 0)) / 1e9

    def remove(self) -> None:
        (self.path / "cpu.rt_runtime_us").write_text("0")
        for pid in (self.path / "cgroup.procs").read_text().split():
            (CPU_ROOT / "cgroup.procs").write_text(pid)
        self.path.rmdir()


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
