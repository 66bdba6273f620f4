"""A small in-memory catalog implementing the scanner's CatalogWriter, for tests and benches.

It behaves like the SQLite catalog where the scanner can tell: songs keyed by path, a song id
owned by one path (an upsert of an id moves it), one "transaction" per upsert call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from appliance.core.models import Song


class MemoryCatalog:
    """Songs by path, with their signatures; counts the calls made to it."""

    def __init__(self) -> None:
        self.songs: dict[str, Song] = {}
        self.signatures: dict[str, str] = {}
        self.id_paths: dict[str, str] = {}
        self.upsert_calls = 0
        self.remove_calls = 0
        self.problems: dict[str, dict[str, tuple[str, str]]] = {}
        self.scans: dict[str, dict[str, object]] = {}

    def signatures_under(self, root: str) -> dict[str, str]:
        prefix = root.rstrip("/") + "/"
        return {
            path: signature
            for path, signature in self.signatures.items()
            if path == root or path.startswith(prefix)
        }

    def upsert_songs(self, songs: Sequence[tuple[Song, str]]) -> None:
        self.upsert_calls += 1
        for song, signature in songs:
            old_path = self.id_paths.get(song.song_id)
            if old_path is not None and old_path != song.path:
                self._forget(old_path)
            old_song = self.songs.get(song.path)
            if old_song is not None:
                self.id_paths.pop(old_song.song_id, None)
            self.songs[song.path] = song
            self.signatures[song.path] = signature
            self.id_paths[song.song_id] = song.path

    def remove_paths(self, paths: Iterable[str]) -> None:
        self.remove_calls += 1
        for path in paths:
            self._forget(path)

    def path_of_id(self, song_id: str) -> str | None:
        return self.id_paths.get(song_id)

    def problems_under(self, root: str) -> dict[str, tuple[str, str]]:
        return dict(self.problems.get(root, {}))

    def record_scan(
        self, root: str, record: dict[str, object], problems: Sequence[tuple[str, str, str]]
    ) -> None:
        self.scans[root] = dict(record)
        self.problems[root] = {path: (signature, reason) for path, reason, signature in problems}

    def forget_scan(self, root: str) -> None:
        self.scans.pop(root, None)
        self.problems.pop(root, None)

    def by_id(self, song_id: str) -> Song:
        return self.songs[self.id_paths[song_id]]

    def _forget(self, path: str) -> None:
        song = self.songs.pop(path, None)
        self.signatures.pop(path, None)
        if song is not None and self.id_paths.get(song.song_id) == path:
            del self.id_paths[song.song_id]
