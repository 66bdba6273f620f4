"""A power cut at any moment loses no acknowledged result (issue 15): a worker sings songs
through the real scorer; we SIGKILL it at random points, reopen the database as the box does
and find every acknowledged result in the scores table (and at most the one in flight more),
with ``PRAGMA integrity_check`` ok."""

from __future__ import annotations

import random
from collections import Counter

from appliance.core.store import Store
from tests.support.killing import run_worker_until_killed


def stored_results(db) -> Counter[tuple[str, int]]:  # type: ignore[no-untyped-def]
    store = Store.open(db)
    try:
        assert store.integrity_ok()
        return Counter(
            (row[0], row[1]) for row in store.query("SELECT singer_name, score FROM scores")
        )
    finally:
        store.close()


def test_sigkill_while_songs_are_scored_loses_no_acknowledged_result(tmp_path):
    db = tmp_path / "state.sqlite3"
    rng = random.Random(15)
    expected: Counter[tuple[str, int]] = Counter()
    acknowledged = 0
    for round_number in range(6):
        lines = run_worker_until_killed(db, seed=round_number, rng=rng, worker="scores_worker")
        acks = [line.split() for line in lines if line.startswith("ACK")]
        acknowledged += len(acks)
        expected.update((name, int(score)) for _, name, score in acks)
        in_flight = bool(lines) and lines[-1].startswith("BEGIN")
        actual = stored_results(db)
        assert not expected - actual, (round_number, expected - actual)  # nothing acknowledged lost
        assert sum((actual - expected).values()) <= int(in_flight), round_number
        expected = actual  # a result in flight that landed is part of the night now
    assert acknowledged > 20, "the worker should have sung many songs"
    assert len({score for _, score in expected}) > 1, "off-key and on-key songs score differently"
