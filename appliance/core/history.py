"""History: who sang what, when, in which key, and how it ended.

>>> from appliance.core.store import Store
>>> from appliance.core.models import QueueEntry, EntryId, SingerId, SongId, MixSettings
>>> history = History(Store.open_memory(), clock=lambda: 1000.0)
>>> entry = QueueEntry(EntryId(1), SingerId(1), SongId("s"), MixSettings(key_semitones=2))
>>> row = history.begin("Ada", entry, None)
>>> history.finish(row, "completed")
>>> [(h.singer_name, h.key_semitones, h.outcome) for h in history.recent()]
[('Ada', 2, 'completed')]
"""

from __future__ import annotations

import json
from collections.abc import Callable

from appliance.core.models import QueueEntry, Song
from appliance.core.snapshot import HistoryItem
from appliance.core.store import Store

OUTCOMES = ("playing", "completed", "skipped", "failed", "interrupted")


class History:
    """The history table."""

    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self._store = store
        self._clock = clock

    def begin(self, singer_name: str, entry: QueueEntry, song: Song | None) -> int:
        """Record that a song starts now; returns the row id for :meth:`finish`."""
        with self._store.transaction() as db:
            cursor = db.execute(
                "INSERT INTO history(singer_name, song_id, title, artist, started_at, outcome, "
                "key_semitones, settings) VALUES (?, ?, ?, ?, ?, 'playing', ?, ?)",
                (
                    singer_name,
                    entry.song_id,
                    song.title if song else entry.song_id,
                    song.artist if song else "",
                    self._clock(),
                    entry.settings.key_semitones,
                    json.dumps(entry.settings.to_dict()),
                ),
            )
        return int(cursor.lastrowid or 0)

    def finish(self, history_id: int, outcome: str, reason: str = "") -> None:
        """Record how the song ended."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        with self._store.transaction() as db:
            db.execute(
                "UPDATE history SET ended_at = ?, outcome = ?, reason = ? WHERE history_id = ?",
                (self._clock(), outcome, reason, history_id),
            )

    def recent(self, limit: int = 50) -> list[HistoryItem]:
        """The latest songs first, with their score when they were scored."""
        rows = self._store.query(
            "SELECT h.singer_name, h.song_id, h.title, h.artist, h.started_at, h.outcome, "
            "h.key_semitones, h.reason, s.score FROM history h LEFT JOIN scores s "
            "ON s.history_id = h.history_id AND s.part < 2 "
            "ORDER BY h.history_id DESC LIMIT ?",
            (max(1, min(limit, 1000)),),
        )
        return [HistoryItem(*row) for row in rows]

    def recently_sung_song_ids(self, limit: int = 20) -> list[str]:
        """Distinct songs sung to the end, latest first (for 'recently sung' on phones)."""
        rows = self._store.query(
            "SELECT song_id FROM history WHERE outcome = 'completed' "
            "GROUP BY song_id ORDER BY MAX(history_id) DESC LIMIT ?",
            (limit,),
        )
        return [row[0] for row in rows]
