"""Song ids told apart during a scan: two songs never share one, and an id once given stays.

Ids are derived from library paths (:mod:`appliance.library.songfolder.songids`) or set in a
manifest, so two songs can ask for the same one ("t.A.T.u./Song" and "t.A.T.u/Song", or two
manifests saying ``id = "danny"``). The library settles it, never the user:

1. a song keeps the id the catalog already gives it (a queue or the history may hold it);
2. otherwise the first song by path gets the id it asked for;
3. every other one gets that id plus a hash of its exact library path
   (:func:`~appliance.library.songfolder.songids.disambiguated_id`), which is stable too.

::

    >>> claims = IdClaims("/s", stored={}, owner_elsewhere=lambda song_id: None)
    >>> claims.claim("t-a-t-u-song-txt", "/s/t.A.T.u./Song.txt")
    't-a-t-u-song-txt'
    >>> claims.claim("t-a-t-u-song-txt", "/s/t.A.T.u/Song.txt")
    't-a-t-u-song-txt-2a939dace3'
"""

from __future__ import annotations

from collections.abc import Callable

from appliance.library.songfolder.songids import disambiguated_id

OwnerElsewhere = Callable[[str], "str | None"]
"""The path holding a song id in the catalog (any root), or None."""

MAX_ROUNDS = 8


class IdClaims:
    """Who holds which id in this scan; :meth:`claim` gives each song its id."""

    def __init__(self, root: str, stored: dict[str, str], owner_elsewhere: OwnerElsewhere) -> None:
        """``stored``: path -> id of every song of this root the catalog holds now."""
        self.root = root
        self.stored = stored
        self.owner_elsewhere = owner_elsewhere
        self.owners: dict[str, str] = {song_id: path for path, song_id in stored.items()}

    def claim(self, wanted: str, path: str) -> str:
        """The id of the song at ``path`` that asks for ``wanted``; remembered as taken."""
        previous = self.stored.get(path)
        if previous is not None and self._is_form_of(previous, wanted, path):
            return self._take(previous, path)
        if previous is not None and self.owners.get(previous) == path:
            del self.owners[previous]  # its manifest asks for another id now
        if self._free(wanted, path):
            return self._take(wanted, path)
        for round_ in range(MAX_ROUNDS):
            other = disambiguated_id(wanted, path, self.root, round_)
            if self._free(other, path):
                return self._take(other, path)
        raise RuntimeError(f"no free song id for {path}")  # 8 hash clashes in a row

    def _is_form_of(self, previous: str, wanted: str, path: str) -> bool:
        forms = (disambiguated_id(wanted, path, self.root, n) for n in range(MAX_ROUNDS))
        return previous == wanted or previous in forms

    def _free(self, song_id: str, path: str) -> bool:
        owner = self.owners.get(song_id)
        if owner is not None:
            return owner == path
        elsewhere = self.owner_elsewhere(song_id)
        return elsewhere is None or elsewhere == path or _under(elsewhere, self.root)

    def _take(self, song_id: str, path: str) -> str:
        self.owners[song_id] = path
        return song_id


def _under(path: str, root: str) -> bool:
    """True for a path in this root: the catalog's owner there is in ``stored`` already, or
    vanished this scan."""
    return path == root or path.startswith(root.rstrip("/") + "/")
