"""Where an imported song goes: ``Artist - Title``, or ``Artist - Title (2)`` when another song
of that name is there already.

Two different songs may share artist and title (two UltraStar versions of one hit); both are
kept. A folder is the same song again only when it was imported from the same source: its
manifest's ``x_imported_digest`` (a hash of the source's bytes) matches; folders imported before
the digest was kept match by source file name::

    final = destination(Path("/songs"), "Band", "Hit", Path("in/Hit.txt"))
    # /songs/Band - Hit, or /songs/Band - Hit (2) when /songs/Band - Hit came from another file
"""

from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

from appliance.importers.staging import folder_name
from appliance.library.songfolder.manifest import MANIFEST_NAME

MAX_SAME_NAMES = 1000
DIGEST_BYTES = 4 * 1024 * 1024


def source_digest(source: Path) -> str:
    """A hash of the source's size and first 4 MiB (an UltraStar .txt or a KAR whole)."""
    digest = hashlib.blake2b(digest_size=12)
    with open(source, "rb") as stream:
        digest.update(str(source.stat().st_size).encode())
        digest.update(stream.read(DIGEST_BYTES))
    return digest.hexdigest()


def destination(dest: Path, artist: str, title: str, source: Path) -> Path:
    """The folder for this song: a free name, or the one already imported from ``source``."""
    base = folder_name(artist, title)
    digest = source_digest(source)
    for number in range(1, MAX_SAME_NAMES + 1):
        final = dest / (base if number == 1 else f"{base} ({number})")
        if not final.exists() or _imported_from(final, source, digest):
            return final
    return dest / f"{base} ({digest})"


def _imported_from(folder: Path, source: Path, digest: str) -> bool:
    """True when ``folder`` holds a song imported from this source (or cannot be read: it is
    then left for the batch to report, never overwritten)."""
    try:
        with open(folder / MANIFEST_NAME, "rb") as stream:
            fields = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError):
        return True
    kept = fields.get("x_imported_digest")
    if isinstance(kept, str):
        return kept == digest
    return fields.get("x_imported_from") == source.name
