"""What the last scan of each library root could not index, kept for after the scan.

``karaoke scan`` prints its failures once; ``karaoke doctor`` and the host's phone show them
later from here. A rescan replaces a root's failures; the scanner also reads a failure's
signature back so an unchanged broken song is not read again::

    >>> from appliance.core.store import Store
    >>> log = ScanLog(Store.open_memory())
    >>> log.record_scan("/songs", {"summary": "0 added"}, [("/songs/a.txt", "missing #BPM", "s1")])
    >>> log.problems_under("/songs")
    {'/songs/a.txt': ('s1', 'missing #BPM')}
    >>> log.problem_count(), [p.reason for p in log.problems(limit=10)]
    (1, ['missing #BPM'])
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from appliance.core.store import Store


@dataclass(frozen=True)
class ScanProblem:
    """A file or folder a scan could not index: where, why, and under which root."""

    path: str
    reason: str
    root: str


@dataclass(frozen=True)
class ProblemPage:
    """One page of the failures (``total`` of them in all) and the counts of each root's last
    scan, as ``karaoke doctor`` and the host's phone show them."""

    total: int
    offset: int
    problems: list[ScanProblem]
    runs: list[dict[str, object]]


class ScanLog:
    """The ``scan_problems`` and ``scan_runs`` tables."""

    def __init__(self, store: Store, clock: Any = time.time) -> None:
        self._store = store
        self._clock = clock

    def record_scan(
        self, root: str, record: dict[str, object], problems: Sequence[tuple[str, str, str]]
    ) -> None:
        """Replace the failures under ``root`` (kept by a scan of it or of a folder above it)
        and its counts with this scan's, in one transaction."""
        prefix = root.rstrip("/") + "/"
        with self._store.transaction() as db:
            db.execute(
                "DELETE FROM scan_problems WHERE root = ? OR path = ? OR substr(path, 1, ?) = ?",
                (root, root, len(prefix), prefix),
            )
            db.executemany(
                "INSERT OR REPLACE INTO scan_problems(path, root, reason, signature) "
                "VALUES (?, ?, ?, ?)",
                [(path, root, reason, signature) for path, reason, signature in problems],
            )
            db.execute(
                "INSERT OR REPLACE INTO scan_runs(root, record, finished_at) VALUES (?, ?, ?)",
                (root, json.dumps(record), self._clock()),
            )

    def forget(self, root: str) -> None:
        """A root that went away (a USB stick pulled): its failures and counts too."""
        with self._store.transaction() as db:
            db.execute("DELETE FROM scan_problems WHERE root = ?", (root,))
            db.execute("DELETE FROM scan_runs WHERE root = ?", (root,))

    def problems_under(self, root: str) -> dict[str, tuple[str, str]]:
        """Path -> (signature, reason) of the failures kept under ``root``."""
        prefix = root.rstrip("/") + "/"
        rows = self._store.query(
            "SELECT path, signature, reason FROM scan_problems "
            "WHERE path = ? OR substr(path, 1, ?) = ?",
            (root, len(prefix), prefix),
        )
        return {str(path): (str(signature), str(reason)) for path, signature, reason in rows}

    def problems(self, offset: int = 0, limit: int = 50) -> list[ScanProblem]:
        """A page of every root's failures, by root then path."""
        rows = self._store.query(
            "SELECT path, reason, root FROM scan_problems ORDER BY root, path LIMIT ? OFFSET ?",
            (max(0, int(limit)), max(0, int(offset))),
        )
        return [ScanProblem(str(path), str(reason), str(root)) for path, reason, root in rows]

    def page(self, offset: int = 0, limit: int = 50) -> ProblemPage:
        """A page of failures with the total and the last scans' counts."""
        offset = max(0, int(offset))
        return ProblemPage(self.problem_count(), offset, self.problems(offset, limit), self.runs())

    def problem_count(self) -> int:
        """How many failures the last scans kept."""
        return int(self._store.query("SELECT COUNT(*) FROM scan_problems")[0][0])

    def runs(self) -> list[dict[str, object]]:
        """The counts of the last scan of each root (with ``finished_at``, epoch seconds)."""
        rows = self._store.query("SELECT record, finished_at FROM scan_runs ORDER BY root")
        return [{**json.loads(record), "finished_at": float(at)} for record, at in rows]
