"""Stable song ids: the manifest's ``id`` when set, else a slug of the folder's library path.

The same folder always gets the same id, so queues, history and favourites survive a rescan::

    >>> slugify("Folk/Amazing Grace")
    'folk-amazing-grace'
    >>> slugify("Björk – Jóga (Live)")
    'bjork-joga-live'
    >>> is_valid_song_id("amazing-grace"), is_valid_song_id("has space")
    (True, False)
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

MAX_ID_CHARS = 128
_VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def is_valid_song_id(text: str) -> bool:
    """True for 1-128 characters of ASCII letters, digits, '.', '_' and '-' (not first)."""
    return len(text) <= MAX_ID_CHARS and _VALID_ID.fullmatch(text) is not None


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-'; accents folded, everything else a separator.

    Text with no letters or digits at all (e.g. only CJK) becomes 'song-' and a short hash,
    so it is still stable and unique enough.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", folded.lower()).strip("-")
    if not slug:
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=5).hexdigest()
        return f"song-{digest}"
    if len(slug) > MAX_ID_CHARS:
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=5).hexdigest()
        slug = f"{slug[: MAX_ID_CHARS - 11].rstrip('-')}-{digest}"
    return slug


def derived_song_id(path: str, library_root: str | None) -> str:
    """The id of a song without a manifest id: its path relative to the library root, slugged.

    >>> derived_song_id("/media/songs/Folk/Amazing Grace", "/media/songs")
    'folk-amazing-grace'
    >>> derived_song_id("/media/songs/Folk/Amazing Grace", None)
    'amazing-grace'
    """
    relative = os.path.basename(os.path.normpath(path))
    if library_root:
        candidate = os.path.relpath(path, library_root)
        if candidate != os.curdir and not candidate.startswith(os.pardir):
            relative = candidate
    return slugify(relative.replace(os.sep, "/"))
