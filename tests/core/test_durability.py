"""A power cut at any moment loses no acknowledged change.

A worker process changes the queue continuously; we SIGKILL it at random points, reopen the
database (as the box does after a power cut) and find every acknowledged change there, at most
the one change in flight in addition, and ``PRAGMA integrity_check`` ok.
"""

from __future__ import annotations

import random

from appliance.core.night import NightState
from appliance.core.store import Store
from tests.support.killing import run_worker_until_killed


def replay(expected: dict[int, int], lines: list[str]) -> tuple[str | None, dict[int, int]]:
    """Apply acknowledged changes to ``expected``; return the change in flight, if any."""
    in_flight = None
    for line in lines:
        parts = line.split()
        if parts[0] == "BEGIN":
            in_flight = line
        elif parts[0] == "ACK":
            op, entry_id, key = parts[1], int(parts[2]), int(parts[3])
            if op == "remove":
                expected.pop(entry_id, None)
            else:
                expected[entry_id] = key
            in_flight = None
    return in_flight, expected


def matches_with_in_flight(actual: dict[int, int], expected: dict[int, int], in_flight) -> bool:
    if actual == expected:
        return True
    if in_flight is None:
        return False
    parts = in_flight.split()
    if parts[1] == "add":
        extra = set(actual) - set(expected)
        return len(extra) == 1 and {k: v for k, v in actual.items() if k not in extra} == expected
    if parts[1] == "remove":
        return actual == {k: v for k, v in expected.items() if k != int(parts[2])}
    return actual == {**expected, int(parts[2]): int(parts[3])}


def test_sigkill_during_queue_changes_loses_no_acknowledged_change(tmp_path):
    db = tmp_path / "state.sqlite3"
    rng = random.Random(2026)
    expected: dict[int, int] = {}
    acknowledged = 0
    for round_number in range(8):
        lines = run_worker_until_killed(db, seed=round_number, rng=rng)
        acknowledged += sum(1 for line in lines if line.startswith("ACK"))
        in_flight, expected = replay(expected, lines)
        store = Store.open(db)
        try:
            assert store.integrity_ok()
            actual = {
                e.entry_id: e.settings.key_semitones for e in NightState(store).entries.values()
            }
        finally:
            store.close()
        assert matches_with_in_flight(actual, expected, in_flight), (round_number, in_flight)
        expected = actual  # the in-flight change, if it landed, is now part of the state
    assert acknowledged > 50, "the worker should have acknowledged many changes"
