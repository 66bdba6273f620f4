"""The night's persistent state: singers, their queued entries, history and preferences.

Kept in memory for fast reads and written through to SQLite before any change is
acknowledged. Not thread-safe by itself: the :class:`~appliance.core.service.Core` serializes
calls::

    >>> from appliance.core.store import Store
    >>> night = NightState(Store.open_memory())
    >>> ada = night.add_singer("Ada", now=0.0)
    >>> entry = night.add_entry(ada.singer_id, "demo-amazing-grace", MixSettings(), now=1.0)
    >>> [e.song_id for e in night.entries_of(ada.singer_id)]
    ['demo-amazing-grace']
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from appliance.core.errors import NotFound
from appliance.core.models import EntryId, MixSettings, QueueEntry, Singer, SingerId, SongId
from appliance.core.rotation import singer_lists
from appliance.core.store import Store, set_value
from appliance.core.text import look_alike_key, scrub

HOST_HOLDER = "host"
"""The holder of a singer the host (or the box) made: no phone can take that name."""


def name_key(name: str) -> str:
    """The form of a name used to recognise a returning singer: 'ADA ' -> 'ada'."""
    return " ".join(name.split()).casefold()


class NightState:
    """Singers and entries in memory, mirrored in the store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.singers: dict[SingerId, Singer] = {}
        self.entries: dict[EntryId, QueueEntry] = {}
        self.holders: dict[SingerId, str] = {}
        """Who holds each singer's name: a phone's device id, or HOST_HOLDER."""
        self._load()

    def _load(self) -> None:
        for row in self.store.query(
            "SELECT singer_id, name, joined_order, last_sang_order, paused, bump_order FROM singers"
        ):
            singer = Singer(SingerId(row[0]), scrub(row[1]), row[2], row[3], bool(row[4]), row[5])
            self.singers[singer.singer_id] = singer
        for row in self.store.query(
            "SELECT entry_id, singer_id, song_id, settings, position, added_at FROM entries"
        ):
            settings = MixSettings.from_stored(json.loads(row[3]))
            entry = QueueEntry(
                EntryId(row[0]), SingerId(row[1]), SongId(row[2]), settings, *row[4:]
            )
            self.entries[entry.entry_id] = entry
        for singer_id, holder in self.store.query("SELECT singer_id, holder FROM claims"):
            self.holders[SingerId(singer_id)] = holder

    # --- counters and values -------------------------------------------------------------

    def next_counter(self, db: Any, name: str) -> int:
        """Inside a transaction: a persistent increasing counter (turns, positions...)."""
        value = int(self.store_value(db, name, 0)) + 1
        set_value(db, name, value)
        return value

    @staticmethod
    def store_value(db: Any, key: str, default: Any) -> Any:
        """Inside a transaction: read a key-value."""
        row = db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    # --- singers ---------------------------------------------------------------------------

    def singer(self, singer_id: int) -> Singer:
        """The singer, or NotFound."""
        try:
            return self.singers[SingerId(singer_id)]
        except KeyError:
            raise NotFound(f"no singer with id {singer_id}") from None

    def singer_by_name(self, name: str) -> Singer | None:
        """The singer with this name (case and spacing ignored), or None."""
        key = name_key(name)
        return next((s for s in self.singers.values() if name_key(s.name) == key), None)

    def singer_like(self, name: str) -> Singer | None:
        """A singer whose name looks like ``name`` (Cyrillic "А" for Latin "A", fullwidth...)."""
        key = look_alike_key(name)
        return next((s for s in self.singers.values() if look_alike_key(s.name) == key), None)

    def add_singer(self, name: str, now: float, holder: str = HOST_HOLDER) -> Singer:
        """A new singer at the end of the arrival order, its name held by ``holder``."""
        with self.store.transaction() as db:
            order = self.next_counter(db, "joined_counter")
            cursor = db.execute(
                "INSERT INTO singers(name, name_key, joined_order) VALUES (?, ?, ?)",
                (name, name_key(name), order),
            )
            singer_id = SingerId(int(cursor.lastrowid or 0))
            db.execute("INSERT INTO claims(singer_id, holder) VALUES (?, ?)", (singer_id, holder))
        singer = Singer(singer_id, name, order)
        self.singers[singer.singer_id] = singer
        self.holders[singer_id] = holder
        return singer

    def hold(self, singer_id: SingerId, holder: str) -> None:
        """Give a singer's name to ``holder`` (claims kept from before they were stored here)."""
        with self.store.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO claims(singer_id, holder) VALUES (?, ?)",
                (singer_id, holder),
            )
        self.holders[singer_id] = holder

    def update_singer(self, singer: Singer) -> Singer:
        """Persist a changed singer (paused, bump order, last sang)."""
        with self.store.transaction() as db:
            db.execute(
                "UPDATE singers SET paused = ?, bump_order = ?, last_sang_order = ? "
                "WHERE singer_id = ?",
                (int(singer.paused), singer.bump_order, singer.last_sang_order, singer.singer_id),
            )
        self.singers[singer.singer_id] = singer
        return singer

    def rename_singer(self, singer: Singer, name: str) -> Singer:
        """Persist a singer's new name (checked and free: the caller's job)."""
        with self.store.transaction() as db:
            db.execute(
                "UPDATE singers SET name = ?, name_key = ? WHERE singer_id = ?",
                (name, name_key(name), singer.singer_id),
            )
        renamed = replace(singer, name=name)
        self.singers[singer.singer_id] = renamed
        return renamed

    def remove_singer(self, singer_id: SingerId) -> None:
        """Forget a singer and their entries."""
        with self.store.transaction() as db:
            db.execute("DELETE FROM entries WHERE singer_id = ?", (singer_id,))
            db.execute("DELETE FROM singers WHERE singer_id = ?", (singer_id,))
        self.singers.pop(singer_id, None)
        self.holders.pop(singer_id, None)
        for entry_id in [e.entry_id for e in self.entries.values() if e.singer_id == singer_id]:
            del self.entries[entry_id]

    # --- entries ---------------------------------------------------------------------------

    def entry(self, entry_id: int) -> QueueEntry:
        """The queued entry, or NotFound."""
        try:
            return self.entries[EntryId(entry_id)]
        except KeyError:
            raise NotFound(f"no queued entry with id {entry_id}") from None

    def entries_of(self, singer_id: SingerId) -> list[QueueEntry]:
        """A singer's entries in their order."""
        return singer_lists(e for e in self.entries.values() if e.singer_id == singer_id).get(
            singer_id, []
        )

    def add_entry(
        self, singer_id: SingerId, song_id: str, settings: MixSettings, now: float
    ) -> QueueEntry:
        """Queue a song at the end of the singer's list (and of the global order)."""
        with self.store.transaction() as db:
            position = self.next_counter(db, "position_counter")
            cursor = db.execute(
                "INSERT INTO entries(singer_id, song_id, settings, position, added_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (singer_id, song_id, json.dumps(settings.to_dict()), position, now),
            )
        entry = QueueEntry(
            EntryId(int(cursor.lastrowid or 0)), singer_id, SongId(song_id), settings, position, now
        )
        self.entries[entry.entry_id] = entry
        return entry

    def restore_entry(self, entry: QueueEntry) -> QueueEntry:
        """Put an entry back with its old id and position (a song interrupted by a restart)."""
        with self.store.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO entries(entry_id, singer_id, song_id, settings, position, "
                "added_at) VALUES (?, ?, ?, ?, ?, ?)",
                (entry.entry_id, entry.singer_id, entry.song_id,
                 json.dumps(entry.settings.to_dict()), entry.position, entry.added_at),
            )  # fmt: skip
        self.entries[entry.entry_id] = entry
        return entry

    def update_settings(self, entry: QueueEntry, settings: MixSettings) -> QueueEntry:
        """Persist new settings for an entry."""
        with self.store.transaction() as db:
            db.execute(
                "UPDATE entries SET settings = ? WHERE entry_id = ?",
                (json.dumps(settings.to_dict()), entry.entry_id),
            )
        updated = replace(entry, settings=settings)
        self.entries[entry.entry_id] = updated
        return updated

    def reorder(self, ordered: list[QueueEntry]) -> None:
        """Give ``ordered`` (a list of entries) increasing positions using their old ones."""
        positions = sorted(e.position for e in ordered)
        with self.store.transaction() as db:
            for entry, position in zip(ordered, positions, strict=True):
                db.execute(
                    "UPDATE entries SET position = ? WHERE entry_id = ?", (position, entry.entry_id)
                )
        for entry, position in zip(ordered, positions, strict=True):
            self.entries[entry.entry_id] = replace(entry, position=position)

    def remove_entry(self, entry_id: EntryId) -> None:
        """Forget an entry."""
        with self.store.transaction() as db:
            db.execute("DELETE FROM entries WHERE entry_id = ?", (entry_id,))
        self.entries.pop(entry_id, None)

    # --- preferences -----------------------------------------------------------------------

    def remember(self, singer_name: str, song_id: str, settings: MixSettings, now: float) -> None:
        """Remember the settings this singer used for this song."""
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO preferences(name_key, song_id, settings, updated_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT(name_key, song_id) DO UPDATE SET "
                "settings = excluded.settings, updated_at = excluded.updated_at",
                (name_key(singer_name), song_id, json.dumps(settings.to_dict()), now),
            )

    def remembered(self, singer_name: str, song_id: str) -> MixSettings | None:
        """The settings this singer last used for this song, if any."""
        rows = self.store.query(
            "SELECT settings FROM preferences WHERE name_key = ? AND song_id = ?",
            (name_key(singer_name), song_id),
        )
        return MixSettings.from_stored(json.loads(rows[0][0])) if rows else None
