"""The :class:`~appliance.core.service.Core`'s catalog and history queries, kept beside it (the
facade's file stays small). They read without the core's lock: the catalog and the history are
SQLite reads of their own.
"""

from __future__ import annotations

from appliance.core.catalog import Catalog
from appliance.core.history import History
from appliance.core.models import Song
from appliance.core.scanlog import ProblemPage
from appliance.core.snapshot import HistoryItem


class CatalogFacade:
    """Mixed into the Core: it provides ``_catalog`` and ``_history``."""

    _catalog: Catalog
    _history: History

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[Song]:
        """Search the catalog (title, artist, language, tags; prefix, accent-insensitive);
        an empty query lists songs by artist. ``offset`` pages on."""
        return self._catalog.search(query, limit, offset)

    def song(self, song_id: str) -> Song:
        """A song by id (NotFound otherwise)."""
        return self._catalog.get(song_id)

    def find_song(self, song_id: str) -> Song | None:
        """A song by id, or None."""
        return self._catalog.find(song_id)

    def artists(self) -> list[tuple[str, int]]:
        """Every artist with their number of songs, alphabetically."""
        return self._catalog.artists()

    def songs_by_artist(self, artist: str) -> list[Song]:
        """Songs of one artist (case-insensitive), by title."""
        return self._catalog.by_artist(artist)

    def recent_songs(self, limit: int = 20) -> list[Song]:
        """Songs sung to the end, latest first (songs gone from the library left out)."""
        found = (self._catalog.find(i) for i in self._history.recently_sung_song_ids(limit))
        return [song for song in found if song is not None]

    def history(self, limit: int = 50) -> list[HistoryItem]:
        """The latest songs sung, skipped or failed, latest first."""
        return self._history.recent(limit)

    def library_problems(self, offset: int = 0, limit: int = 50) -> ProblemPage:
        """What the last scans could not index (path and reason), a page at a time."""
        return self._catalog.scan_log.page(offset, limit)
