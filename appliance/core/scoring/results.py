"""Sung songs' results in the store: each singer's score per song and part, their best before
tonight's, and the night's leaderboard.

"The night" is the last :data:`NIGHT_HOURS` hours of results (the box has no "new night"
button; a power cut or a restart keeps the night's board)::

    >>> from appliance.core.store import Store
    >>> book = ResultBook(Store.open_memory(), clock=lambda: 1000.0)
    >>> first = FinalScore("Ada", "demo", "Demo - Box", 7000, 10000, ("Good",))
    >>> book.save(first, history_id=1).best_before is None
    True
    >>> book.save(first, history_id=2).best_before
    7000
    >>> [(f.singer_name, f.score) for f in book.leaderboard()]
    [('Ada', 7000)]
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from appliance.core.night import name_key
from appliance.core.scoring.model import FinalScore
from appliance.core.store import Store
from appliance.core.text import scrub

NIGHT_HOURS = 12.0
"""How far back the night's leaderboard looks."""
LEADERBOARD_SIZE = 10
"""How many results the leaderboard shows (each singer's best per song and part)."""


class ResultBook:
    """The scores table: write a result, read bests and the night's board."""

    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self._store, self._clock = store, clock

    def best(self, singer_name: str, song_id: str, part: int = 0) -> int | None:
        """This singer's best score on this song and part so far (None: never scored)."""
        rows = self._store.query(
            "SELECT MAX(score) FROM scores WHERE name_key = ? AND song_id = ? AND part = ?",
            (name_key(singer_name), song_id, part),
        )
        return None if rows[0][0] is None else int(rows[0][0])

    def save(self, result: FinalScore, history_id: int | None) -> FinalScore:
        """Record ``result`` (committed before this returns) and give it back with
        ``best_before`` filled in."""
        best = self.best(result.singer_name, result.song_id, result.part)
        result = replace(result, best_before=best)
        with self._store.transaction() as db:
            db.execute(
                "INSERT INTO scores(history_id, singer_name, name_key, song_id, song_label, part, "
                "score, max_score, ratings, sung_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    history_id,
                    result.singer_name,
                    name_key(result.singer_name),
                    result.song_id,
                    result.song_label,
                    result.part,
                    result.score,
                    result.max_score,
                    json.dumps(list(result.ratings)),
                    self._clock(),
                ),
            )
        return result

    def leaderboard(self, limit: int = LEADERBOARD_SIZE) -> tuple[FinalScore, ...]:
        """The night's best results, best first: each singer's best per song and part."""
        since = self._clock() - NIGHT_HOURS * 3600.0
        rows = self._store.query(
            "SELECT singer_name, song_id, song_label, MAX(score), max_score, ratings, part "
            "FROM scores WHERE sung_at >= ? GROUP BY name_key, song_id, part "
            "ORDER BY MAX(score) DESC, singer_name LIMIT ?",
            (since, max(1, limit)),
        )
        return tuple(_row_result(row) for row in rows)


def _row_result(row: Sequence[Any]) -> FinalScore:
    name, song_id, label, score, max_score, ratings, part = row
    try:
        labels = tuple(str(r) for r in json.loads(str(ratings)))
    except ValueError:
        labels = ()
    return FinalScore(
        singer_name=scrub(str(name)),
        song_id=str(song_id),
        song_label=scrub(str(label)),
        score=int(score),
        max_score=int(max_score),
        ratings=labels,
        part=int(part),
    )
