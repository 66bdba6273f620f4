"""The engine's break playlist: the break songs in turn, at their level; a song that cannot
be played leaves the list.

    >>> from appliance.core.models import Song, SongId
    >>> songs = [Song(SongId(i), i, "A", 60.0, "/b") for i in ("a", "b")]
    >>> playlist = BreakPlaylist()
    >>> playlist.replace(songs, level=0.4)
    >>> playlist.advance()
    >>> playlist.current().song_id
    'b'
    >>> playlist.drop("b")
    >>> playlist.current().song_id
    'a'
"""

from __future__ import annotations

from collections.abc import Iterable

from appliance.core.models import Song

BREAK_LEVEL = 0.5


class BreakPlaylist:
    """Which break song plays next (the producer thread's; no lock)."""

    def __init__(self) -> None:
        self.songs: list[Song] = []
        self.index = 0
        self.level = BREAK_LEVEL

    def replace(self, songs: Iterable[Song], level: float) -> None:
        """A new list (the index stays: :meth:`rewind` starts it over)."""
        self.songs, self.level = list(songs), level

    def rewind(self) -> None:
        """From the first song."""
        self.index = 0

    def advance(self) -> None:
        """The next song (the list wraps around)."""
        self.index += 1

    def current(self) -> Song | None:
        """The song to play, None when the list is empty."""
        if not self.songs:
            return None
        return self.songs[self.index % len(self.songs)]

    def remove(self, song: Song) -> None:
        """``song`` could not be opened: it leaves the list."""
        self.songs.remove(song)

    def drop(self, song_id: str) -> None:
        """``song_id`` failed while playing: it leaves the list."""
        self.songs = [song for song in self.songs if song.song_id != song_id]
