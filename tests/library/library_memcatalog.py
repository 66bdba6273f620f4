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
            for path, other in list(self.songs.items()):
                if other.song_id == song.song_id and path != song.path:
                    del self.songs[path], self.signatures[path]
            self.songs[song.path] = song
            self.signatures[song.path] = signature

    def remove_paths(self, paths: Iterable[str]) -> None:
        self.remove_calls += 1
        for path in paths:
            self.songs.pop(path, None)
            self.signatures.pop(path, None)

    def by_id(self, song_id: str) -> Song:
        [song] = [song for song in self.songs.values() if song.song_id == song_id]
        return song
