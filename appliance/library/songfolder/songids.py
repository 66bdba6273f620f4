"""Stable song ids: the manifest's ``id`` when set, else a slug of the folder's library path.

The same folder always gets the same id, so queues, history and favourites survive a rescan::

    >>> slugify("Folk/Amazing Grace")
    'folk-amazing-grace'
    >>> slugify("Björk – Jóga (Live)")
    'bjork-joga-live'
    >>> is_valid_song_id("amazing-grace"), is_valid_song_id("has space")
    (True, False)

A slug keeps Latin letters (accents folded) and digits. When a path holds letters of another
script, which the slug would drop, a short hash of the whole path (NFC, so a copy from a Mac
gets the same id) is added, so two songs by 周杰伦 never share an id::

    >>> derived_song_id("/s/周杰伦/晴天.txt", "/s"), derived_song_id("/s/周杰伦/七里香.txt", "/s")
    ('txt-2c957b1ca7', 'txt-e358e662b4')

Songs whose slugs still clash ("t.A.T.u." and "t.A.T.u") are told apart by the scanner with
:func:`disambiguated_id` (the song already holding the id keeps it; see docs/library.md).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

MAX_ID_CHARS = 128
HASH_CHARS = 10
_VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def is_valid_song_id(text: str) -> bool:
    """True for 1-128 characters of ASCII letters, digits, '.', '_' and '-' (not first)."""
    return len(text) <= MAX_ID_CHARS and _VALID_ID.fullmatch(text) is not None


def path_hash(text: str) -> str:
    """A short, stable hash of a text (10 hex digits)."""
    data = text.encode("utf-8", "surrogateescape")
    return hashlib.blake2b(data, digest_size=HASH_CHARS // 2).hexdigest()


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-'; accents folded, everything else a separator.

    Text with no letters or digits at all (e.g. only CJK) becomes 'song-' and a short hash,
    so it is still stable and unique enough.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", folded.lower()).strip("-")
    if not slug:
        return f"song-{path_hash(text)}"
    if len(slug) > MAX_ID_CHARS:
        slug = f"{slug[: MAX_ID_CHARS - HASH_CHARS - 1].rstrip('-')}-{path_hash(text)}"
    return slug


def drops_letters(text: str) -> bool:
    """True when the slug of ``text`` would lose a letter or digit of a non-Latin script.

    >>> drops_letters("Björk - Jóga"), drops_letters("Søren"), drops_letters("Кино")
    (False, False, True)
    """
    for char in text:
        if char.isascii() or not char.isalnum():
            continue
        folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore")
        if not folded and not unicodedata.name(char, "").startswith("LATIN"):
            return True
    return False


def with_hash(slug: str, text: str) -> str:
    """``slug`` with a hash of ``text`` appended, cut to fit :data:`MAX_ID_CHARS`."""
    head = slug[: MAX_ID_CHARS - HASH_CHARS - 1].rstrip("-")
    return f"{head}-{path_hash(text)}"


def derived_song_id(path: str, library_root: str | None) -> str:
    """The id of a song without a manifest id: its path relative to the library root, slugged.

    >>> derived_song_id("/media/songs/Folk/Amazing Grace", "/media/songs")
    'folk-amazing-grace'
    >>> derived_song_id("/media/songs/Folk/Amazing Grace", None)
    'amazing-grace'
    """
    relative = library_path(path, library_root)
    slug = slugify(relative)
    if drops_letters(relative) and not slug.startswith("song-"):
        return with_hash(slug, unicodedata.normalize("NFC", relative))
    return slug


def library_path(path: str, library_root: str | None) -> str:
    """``path`` relative to the library root with '/' separators (the name alone outside it)."""
    relative = os.path.basename(os.path.normpath(path))
    if library_root:
        candidate = os.path.relpath(path, library_root)
        if candidate != os.curdir and not candidate.startswith(os.pardir):
            relative = candidate
    return relative.replace(os.sep, "/")


def disambiguated_id(song_id: str, path: str, library_root: str | None, round_: int = 0) -> str:
    """A second id for a song whose id is taken: the id and a hash of its exact library path
    (``round_`` > 0 for the astronomically rare clash of those too).

    >>> disambiguated_id("t-a-t-u-all-the-things-txt", "/s/t.A.T.u/All the things.txt", "/s")
    't-a-t-u-all-the-things-txt-4da523f609'
    """
    text = library_path(path, library_root) + (f"\0{round_}" if round_ else "")
    return with_hash(song_id, text)
