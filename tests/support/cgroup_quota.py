"""A cgroup v1 ``cpu`` group holding a process tree to a share of one core (benches; root).

quota = Quota(period_us=5000)
quota.set_share(0.25)            # CFS quota and RT budget: 25% of one core
quota.add_tree(engine_pid)       # the process and its children
...
quota.remove()
"""

from __future__ import annotations

import os
from pathlib import Path

CPU_ROOT = Path("/sys/fs/cgroup/cpu")


class Quota:
    """A cgroup v1 cpu group with quota/period = share of one core."""

    def __init__(self, period_us: int) -> None:
        self.path = CPU_ROOT / f"karaoke-bench-{os.getpid()}"
        self.path.mkdir(exist_ok=True)
        (self.path / "cpu.cfs_period_us").write_text(str(period_us))
        (self.path / "cpu.rt_period_us").write_text(str(period_us))
        self.period_us = period_us

    def set_share(self, share: float) -> None:
        (self.path / "cpu.cfs_quota_us").write_text(str(max(1000, int(share * self.period_us))))
        # The engine's callback thread runs SCHED_FIFO, which the CFS quota does not limit (and a
        # group without an RT budget refuses): it gets the same share as RT budget (at most 90%).
        rt = int(min(share, 0.9) * self.period_us)
        (self.path / "cpu.rt_runtime_us").write_text(str(rt))

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
