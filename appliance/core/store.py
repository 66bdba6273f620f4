"""The state database: SQLite in WAL mode with synchronous=FULL, and versioned migrations.

A power cut at any moment loses no acknowledged change: every write commits (and is fsynced
by SQLite) before the call returns::

    >>> store = Store.open_memory()
    >>> store.schema_version() == len(MIGRATIONS)
    True
    >>> with store.transaction() as db:
    ...     _ = db.execute("INSERT INTO kv(key, value) VALUES ('greeting', '\\"hi\\"')")
    >>> store.get_value("greeting")
    'hi'
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from appliance.core.errors import StoreError
from appliance.core.textfold import fold

MIGRATIONS: tuple[str, ...] = (
    # 1: catalog, singers, queue, history, preferences, key-value state
    """
    CREATE TABLE songs (
        rowid INTEGER PRIMARY KEY,
        song_id TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL UNIQUE,
        signature TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        artist TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '',
        key TEXT NOT NULL DEFAULT '',
        bpm REAL NOT NULL DEFAULT 0,
        duration_s REAL NOT NULL,
        loudness_lufs REAL,
        lyrics_file TEXT NOT NULL DEFAULT '',
        notes_file TEXT NOT NULL DEFAULT '',
        stems TEXT NOT NULL DEFAULT '[]',
        sort_key TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX songs_sort ON songs(sort_key);
    CREATE INDEX songs_artist ON songs(artist COLLATE NOCASE);
    CREATE VIRTUAL TABLE songs_fts USING fts5(
        title, artist, language, tags,
        content='songs', content_rowid='rowid',
        tokenize="unicode61 remove_diacritics 2", prefix='1 2 3'
    );
    CREATE TRIGGER songs_ai AFTER INSERT ON songs BEGIN
        INSERT INTO songs_fts(rowid, title, artist, language, tags)
        VALUES (new.rowid, new.title, new.artist, new.language, new.tags);
    END;
    CREATE TRIGGER songs_ad AFTER DELETE ON songs BEGIN
        INSERT INTO songs_fts(songs_fts, rowid, title, artist, language, tags)
        VALUES ('delete', old.rowid, old.title, old.artist, old.language, old.tags);
    END;
    CREATE TRIGGER songs_au AFTER UPDATE ON songs BEGIN
        INSERT INTO songs_fts(songs_fts, rowid, title, artist, language, tags)
        VALUES ('delete', old.rowid, old.title, old.artist, old.language, old.tags);
        INSERT INTO songs_fts(rowid, title, artist, language, tags)
        VALUES (new.rowid, new.title, new.artist, new.language, new.tags);
    END;
    CREATE TABLE singers (
        singer_id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL UNIQUE,
        joined_order INTEGER NOT NULL,
        last_sang_order INTEGER,
        paused INTEGER NOT NULL DEFAULT 0,
        bump_order INTEGER
    );
    CREATE TABLE entries (
        entry_id INTEGER PRIMARY KEY,
        singer_id INTEGER NOT NULL REFERENCES singers(singer_id) ON DELETE CASCADE,
        song_id TEXT NOT NULL,
        settings TEXT NOT NULL,
        position INTEGER NOT NULL,
        added_at REAL NOT NULL
    );
    CREATE INDEX entries_singer ON entries(singer_id, position);
    CREATE TABLE history (
        history_id INTEGER PRIMARY KEY,
        singer_name TEXT NOT NULL,
        song_id TEXT NOT NULL,
        title TEXT NOT NULL,
        artist TEXT NOT NULL,
        started_at REAL NOT NULL,
        ended_at REAL,
        outcome TEXT NOT NULL,
        key_semitones INTEGER NOT NULL,
        settings TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX history_song ON history(song_id);
    CREATE TABLE preferences (
        name_key TEXT NOT NULL,
        song_id TEXT NOT NULL,
        settings TEXT NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (name_key, song_id)
    );
    CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: singer and entry ids are never reused (SQLite reuses the highest rowid once it is
    # deleted: a phone holding a played entry's id, or a removed singer's token, would then
    # point at someone else)
    """
    CREATE TABLE singers_v2 (
        singer_id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL UNIQUE,
        joined_order INTEGER NOT NULL,
        last_sang_order INTEGER,
        paused INTEGER NOT NULL DEFAULT 0,
        bump_order INTEGER
    );
    INSERT INTO singers_v2 SELECT singer_id, name, name_key, joined_order, last_sang_order,
        paused, bump_order FROM singers;
    CREATE TABLE entries_v2 (
        entry_id INTEGER PRIMARY KEY AUTOINCREMENT,
        singer_id INTEGER NOT NULL REFERENCES singers_v2(singer_id) ON DELETE CASCADE,
        song_id TEXT NOT NULL,
        settings TEXT NOT NULL,
        position INTEGER NOT NULL,
        added_at REAL NOT NULL
    );
    INSERT INTO entries_v2 SELECT entry_id, singer_id, song_id, settings, position, added_at
        FROM entries;
    DROP TABLE entries;
    DROP TABLE singers;
    ALTER TABLE singers_v2 RENAME TO singers;
    ALTER TABLE entries_v2 RENAME TO entries;
    CREATE INDEX entries_singer ON entries(singer_id, position);
    """,
    # 3: who holds each singer's name (a phone's device id, or the host): a name is never
    # taken over; a claim lives as long as its singer (bounded by the night, not by a count)
    """
    CREATE TABLE claims (
        singer_id INTEGER PRIMARY KEY REFERENCES singers(singer_id) ON DELETE CASCADE,
        holder TEXT NOT NULL
    );
    """,
    # 4: what the last scan of each library root could not index, and its counts (doctor and
    # the host's phone show them after the scan)
    """
    CREATE TABLE scan_problems (
        path TEXT PRIMARY KEY,
        root TEXT NOT NULL,
        reason TEXT NOT NULL,
        signature TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX scan_problems_root ON scan_problems(root, path);
    CREATE TABLE scan_runs (
        root TEXT PRIMARY KEY,
        record TEXT NOT NULL,
        finished_at REAL NOT NULL
    );
    """,
    # 5: the loudness of a song without its guide vocal (the engine normalises what is heard)
    """
    ALTER TABLE songs ADD COLUMN loudness_no_guide_lufs REAL;
    """,
    # 6: search matches folded text (fold() of textfold.py, registered with every connection as
    # karaoke_fold): "fussmassage" finds "Fußmassage", "aeble" finds "Æble", "lodz" "Łódź".
    # The index keeps its own folded copy (the catalog rewrites the sort keys itself).
    """
    DROP TRIGGER songs_ai;
    DROP TRIGGER songs_ad;
    DROP TRIGGER songs_au;
    DROP TABLE songs_fts;
    CREATE VIRTUAL TABLE songs_fts USING fts5(
        title, artist, language, tags,
        tokenize="unicode61 remove_diacritics 2", prefix='1 2 3'
    );
    INSERT INTO songs_fts(rowid, title, artist, language, tags)
        SELECT rowid, karaoke_fold(title), karaoke_fold(artist), karaoke_fold(language),
            karaoke_fold(tags) FROM songs;
    CREATE TRIGGER songs_ai AFTER INSERT ON songs BEGIN
        INSERT INTO songs_fts(rowid, title, artist, language, tags)
        VALUES (new.rowid, karaoke_fold(new.title), karaoke_fold(new.artist),
            karaoke_fold(new.language), karaoke_fold(new.tags));
    END;
    CREATE TRIGGER songs_ad AFTER DELETE ON songs BEGIN
        DELETE FROM songs_fts WHERE rowid = old.rowid;
    END;
    CREATE TRIGGER songs_au AFTER UPDATE ON songs BEGIN
        DELETE FROM songs_fts WHERE rowid = old.rowid;
        INSERT INTO songs_fts(rowid, title, artist, language, tags)
        VALUES (new.rowid, karaoke_fold(new.title), karaoke_fold(new.artist),
            karaoke_fold(new.language), karaoke_fold(new.tags));
    END;
    """,
    # 7: scores (each sung song's result per singer and part, for the leaderboard and each
    # singer's best) and each singer's microphone level and echo (remembered like the key)
    """
    CREATE TABLE scores (
        score_id INTEGER PRIMARY KEY AUTOINCREMENT,
        history_id INTEGER,
        singer_name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        song_id TEXT NOT NULL,
        song_label TEXT NOT NULL,
        part INTEGER NOT NULL DEFAULT 0,
        score INTEGER NOT NULL,
        max_score INTEGER NOT NULL,
        ratings TEXT NOT NULL DEFAULT '[]',
        sung_at REAL NOT NULL
    );
    CREATE INDEX scores_best ON scores(name_key, song_id, part, score);
    CREATE INDEX scores_sung ON scores(sung_at);
    CREATE TABLE voices (
        name_key TEXT PRIMARY KEY,
        settings TEXT NOT NULL,
        updated_at REAL NOT NULL
    );
    """,
)


class Store:
    """One SQLite connection shared by the core's threads behind a lock."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self.path = path
        self._db = connection
        self._lock = threading.RLock()
        self._configure()
        self._migrate()

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating and migrating) the database file at ``path``."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                str(path), check_same_thread=False, isolation_level=None, timeout=10.0
            )
            return cls(connection, str(path))
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"cannot open the state database {path}: {error}") from error

    @classmethod
    def open_memory(cls) -> Store:
        """A private in-memory database (tests, benchmarks)."""
        connection = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        return cls(connection, ":memory:")

    def _configure(self) -> None:
        self._db.create_function("karaoke_fold", 1, fold, deterministic=True)
        # text that is not UTF-8 (written by another program, or a bug long gone) reads back
        # with U+FFFD instead of failing every query that touches it
        self._db.text_factory = _decode_text
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=10000")

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this program knows "
                f"({len(MIGRATIONS)}); update the program"
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            with self.transaction() as db:
                for statement in split_sql(MIGRATIONS[version - 1]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version={version}")

    def schema_version(self) -> int:
        """The migration the database is at."""
        with self._lock:
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``with store.transaction() as db:`` runs statements atomically, committed on exit."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        """Run a read-only query and return all rows (as tuples)."""
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def get_value(self, key: str, default: Any = None) -> Any:
        """A JSON value from the key-value table."""
        rows = self.query("SELECT value FROM kv WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default

    def integrity_ok(self) -> bool:
        """``PRAGMA integrity_check`` says ok."""
        return self.query("PRAGMA integrity_check")[0][0] == "ok"

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()


def _decode_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def set_value(db: sqlite3.Connection, key: str, value: Any) -> None:
    """Inside a transaction: store a JSON value in the key-value table."""
    db.execute(
        "INSERT INTO kv(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value)),
    )


def split_sql(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole (tests build old
    schema versions with it)."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        joined = "\n".join(current).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            statements.append(joined)
            current = []
    if "\n".join(current).strip():
        statements.append("\n".join(current))
    return statements
