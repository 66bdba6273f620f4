"""The song catalog in SQLite with FTS5: search-as-you-type, case- and accent-insensitive.

It implements the library scanner's ``CatalogWriter`` (signatures_under, upsert_songs,
remove_paths, path_of_id, and through :attr:`Catalog.scan_log` the failures of the last scans,
:mod:`appliance.core.scanlog`)::

    >>> from appliance.core.models import Song, SongId
    >>> catalog = Catalog(Store.open_memory())
    >>> song = Song(SongId("s1"), "Amazing Grace", "Traditional", 120.0, "/songs/grace")
    >>> catalog.upsert_songs([(song, "sig-1")])
    >>> [s.title for s in catalog.search("amaz gra")]
    ['Amazing Grace']
    >>> [s.title for s in catalog.search("GRÂCE")]
    ['Amazing Grace']

Titles, artists, languages and tags are indexed folded (:mod:`~appliance.core.textfold`), and
so is the query: "fussmassage" finds "Fußmassage", "aeble" "Æble", "lodz" "Łódź".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

from appliance.core.errors import NotFound
from appliance.core.models import Song, SongId, SongKind, Stem, StemRole
from appliance.core.scanlog import ScanLog
from appliance.core.store import Store, set_value
from appliance.core.text import is_scalar_text, scrub
from appliance.core.textfold import fold

_COLUMNS = (
    "song_id, path, kind, title, artist, language, tags, key, bpm, duration_s, "
    "loudness_lufs, lyrics_file, notes_file, stems, loudness_no_guide_lufs"
)
MAX_QUERY_CHARS = 100
MAX_SONG_ID_CHARS = 256
RANKED_CANDIDATES = 500
"""Search ranks at most this many matches: a 2-letter prefix can match a third of a big
catalog, and ranking all of them costs 4x the latency budget (docs/library.md). Guests keep
typing; once a query matches fewer songs than this, every match is ranked."""
SORT_ORDER_KEY, SORT_ORDER = "catalog_sort_order", "title, artist (textfold: ß, ligatures, ø...)"
"""The listing's order, kept in the database: songs indexed under another are re-keyed once."""


class Catalog:
    """All songs the box knows, by id, by search, by artist."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.scan_log = ScanLog(store)
        self._resort_if_needed()

    def _resort_if_needed(self) -> None:
        """Songs indexed under an older sort order (artist first, before 2026-12) get this
        one's keys, once: the listing is alphabetical by title from the first start."""
        if self._store.get_value(SORT_ORDER_KEY) == SORT_ORDER:
            return
        with self._store.transaction() as db:
            rows = db.execute("SELECT rowid, title, artist FROM songs").fetchall()
            db.executemany(
                "UPDATE songs SET sort_key = ? WHERE rowid = ?",
                [(sort_key(title, artist), rowid) for rowid, title, artist in rows],
            )
            set_value(db, SORT_ORDER_KEY, SORT_ORDER)

    # --- writing (the scanner) ------------------------------------------------------------

    def signatures_under(self, root: str) -> dict[str, str]:
        """Path -> signature of every song whose path is ``root`` or below it."""
        prefix = root.rstrip("/") + "/"
        rows = self._store.query(
            "SELECT path, signature FROM songs WHERE path = ? OR substr(path, 1, ?) = ?",
            (root, len(prefix), prefix),
        )
        return {str(path): str(signature) for path, signature in rows}

    def upsert_songs(self, songs: Sequence[tuple[Song, str]]) -> None:
        """Insert or replace songs (matched by id or path) in one transaction."""
        with self._store.transaction() as db:
            for song, signature in songs:
                db.execute(
                    "DELETE FROM songs WHERE (path = ? AND song_id != ?)", (song.path, song.song_id)
                )
                db.execute(
                    f"INSERT INTO songs ({_COLUMNS}, signature, sort_key) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT(song_id) DO UPDATE SET path=excluded.path, kind=excluded.kind, "
                    "title=excluded.title, artist=excluded.artist, language=excluded.language, "
                    "tags=excluded.tags, key=excluded.key, bpm=excluded.bpm, "
                    "duration_s=excluded.duration_s, loudness_lufs=excluded.loudness_lufs, "
                    "loudness_no_guide_lufs=excluded.loudness_no_guide_lufs, "
                    "lyrics_file=excluded.lyrics_file, notes_file=excluded.notes_file, "
                    "stems=excluded.stems, signature=excluded.signature, "
                    "sort_key=excluded.sort_key",
                    (*_to_row(song), signature, sort_key(song.title, song.artist)),
                )

    def path_of_id(self, song_id: str) -> str | None:
        """The path of the song holding ``song_id``, or None."""
        rows = self._store.query("SELECT path FROM songs WHERE song_id = ?", (song_id,))
        return str(rows[0][0]) if rows else None

    def problems_under(self, root: str) -> dict[str, tuple[str, str]]:
        """The last scan's failures under ``root`` (see :class:`ScanLog`)."""
        return self.scan_log.problems_under(root)

    def record_scan(
        self, root: str, record: dict[str, object], problems: Sequence[tuple[str, str, str]]
    ) -> None:
        """Keep a scan's counts and failures (see :class:`ScanLog`)."""
        self.scan_log.record_scan(root, record, problems)

    def forget_scan(self, root: str) -> None:
        """Forget the last scan of a root that went away (see :class:`ScanLog`)."""
        self.scan_log.forget(root)

    def remove_paths(self, paths: Iterable[str]) -> None:
        """Forget the songs at these paths (they vanished from disk)."""
        with self._store.transaction() as db:
            db.executemany("DELETE FROM songs WHERE path = ?", [(p,) for p in paths])

    # --- reading ----------------------------------------------------------------------------

    def get(self, song_id: str) -> Song:
        """The song with this id, or NotFound."""
        found = self.find(song_id)
        if found is None:
            raise NotFound(f"no song with id {song_id!r}")
        return found

    def find(self, song_id: str) -> Song | None:
        """The song with this id, or None (also for anything that cannot be an id)."""
        if not isinstance(song_id, str) or len(song_id) > MAX_SONG_ID_CHARS:
            return None
        if not is_scalar_text(song_id):
            return None
        rows = self._store.query(f"SELECT {_COLUMNS} FROM songs WHERE song_id = ?", (song_id,))
        return _from_row(rows[0]) if rows else None

    def by_path(self, path: str) -> Song | None:
        """The song stored at ``path``, or None."""
        rows = self._store.query(f"SELECT {_COLUMNS} FROM songs WHERE path = ?", (path,))
        return _from_row(rows[0]) if rows else None

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[Song]:
        """Songs whose title, artist, language or tags start with every word of ``query``.

        Best matches first (bm25, title weighted over artist) among the first
        ``RANKED_CANDIDATES`` matches; an empty query lists songs by artist and title.
        """
        limit = max(1, min(int(limit), 200))
        match = fts_query(scrub(query))
        if not match:
            return self.list_all(limit, offset)
        rows = self._store.query(
            f"SELECT {_prefixed('s.')} FROM ("
            "  SELECT rowid AS id, bm25(songs_fts, 4.0, 2.0, 1.0, 1.0) AS score FROM songs_fts"
            "  WHERE songs_fts MATCH ? LIMIT ?"
            ") c JOIN songs s ON s.rowid = c.id ORDER BY c.score, s.sort_key LIMIT ? OFFSET ?",
            (match, RANKED_CANDIDATES, limit, max(0, int(offset))),
        )
        return [_from_row(row) for row in rows]

    def list_all(self, limit: int = 50, offset: int = 0) -> list[Song]:
        """Songs alphabetically by title (accents and case folded), then artist."""
        rows = self._store.query(
            f"SELECT {_COLUMNS} FROM songs ORDER BY sort_key LIMIT ? OFFSET ?",
            (limit, max(0, int(offset))),
        )
        return [_from_row(row) for row in rows]

    def artists(self) -> list[tuple[str, int]]:
        """Every artist with its number of songs, alphabetically."""
        rows = self._store.query(
            "SELECT artist, COUNT(*) FROM songs GROUP BY artist COLLATE NOCASE "
            "ORDER BY artist COLLATE NOCASE"
        )
        return [(artist, count) for artist, count in rows]

    def by_artist(self, artist: str, limit: int = 200) -> list[Song]:
        """Songs of one artist (case-insensitive), by title."""
        rows = self._store.query(
            f"SELECT {_COLUMNS} FROM songs WHERE artist = ? COLLATE NOCASE "
            "ORDER BY sort_key LIMIT ?",
            (scrub(artist), limit),
        )
        return [_from_row(row) for row in rows]

    def count(self) -> int:
        """How many songs the catalog holds."""
        return int(self._store.query("SELECT COUNT(*) FROM songs")[0][0])


def sort_key(title: str, artist: str) -> str:
    """The listing's order: title, then artist, folded ('Ängel' sorts with 'angel').

    >>> sorted(["Banana", "Ängel", "amazing"], key=lambda t: sort_key(t, ""))
    ['amazing', 'Ängel', 'Banana']
    """
    return f"{fold(title)}\x01{fold(artist)}"


def fts_query(text: str) -> str:
    """Turn what a person typed into an FTS5 query of quoted prefix terms (injection-safe)."""
    words = re.findall(r"\w+", fold(str(text)[:MAX_QUERY_CHARS]))
    return " ".join(f'"{word}"*' for word in words[:8])


def _prefixed(prefix: str) -> str:
    return ", ".join(prefix + column.strip() for column in _COLUMNS.split(","))


def _to_row(song: Song) -> tuple[object, ...]:
    stems = [
        {"name": s.name, "role": s.role.value, "file": s.file, "gain_db": s.gain_db, "pan": s.pan}
        for s in song.stems
    ]
    return (
        song.song_id, song.path, song.kind.value, song.title, song.artist, song.language,
        " ".join(song.tags), song.key, song.bpm, song.duration_s, song.loudness_lufs,
        song.lyrics_file, song.notes_file, json.dumps(stems), song.loudness_no_guide_lufs,
    )  # fmt: skip


def _from_row(row: Sequence[object]) -> Song:
    (song_id, path, kind, title, artist, language, tags, key, bpm, duration_s, loudness,
     lyrics_file, notes_file, stems, loudness_no_guide) = row  # fmt: skip
    return Song(
        song_id=SongId(str(song_id)),
        title=str(title),
        artist=str(artist),
        duration_s=_number(duration_s),
        path=str(path),
        kind=SongKind(str(kind)),
        language=str(language),
        tags=tuple(str(tags).split()),
        key=str(key),
        bpm=_number(bpm),
        stems=tuple(
            Stem(s["name"], StemRole(s["role"]), s["file"], s["gain_db"], s["pan"])
            for s in json.loads(str(stems))
        ),
        lyrics_file=str(lyrics_file),
        notes_file=str(notes_file),
        loudness_lufs=None if loudness is None else _number(loudness),
        loudness_no_guide_lufs=None if loudness_no_guide is None else _number(loudness_no_guide),
    )


def _number(column: object) -> float:
    """A REAL column (the schema says so; SQLite hands it back as an int or a float)."""
    assert isinstance(column, int | float), column
    return float(column)
