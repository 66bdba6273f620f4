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
        self.path_of_id: dict[str, str] = {}
        self.upsert_calls = 0
        self.remove_calls = 0

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
            old_path = self.path_of_id.get(song.song_id)
            if old_path is not None and old_path != song.path:
                self._forget(old_path)
            old_song = self.songs.get(song.path)
            if old_song is not None:
                self.path_of_id.pop(old_song.song_id, None)
            self.songs[song.path] = song
            self.signatures[song.path] = signature
            self.path_of_id[song.song_id] = song.path

    def remove_paths(self, paths: Iterable[str]) -> None:
        self.remove_calls += 1
        for path in paths:
            self._forget(path)

    def by_id(self, song_id: str) -> Song:
        return self.songs[self.path_of_id[song_id]]

    def _forget(self, path: str) -> None:
        song = self.songs.pop(path, None)
        self.signatures.pop(path, None)
        if song is not None and self.path_of_id.get(song.song_id) == path:
            del self.path_of_id[song.song_id]
