"""The plug-in point of the library scanner: a reader finds songs of one format in a folder.

The scanner lists each folder once and hands the listing to every registered reader (see
:mod:`appliance.library.scanning.registry`). ``find`` only looks at names and ``stat``s files, to
give each song found a signature; ``read`` opens the files and is called only when the signature
differs from the catalog's, so an unchanged library rescans without reading a single file::

    class KarReader:
        name = "kar"

        def find(self, listing: FolderListing) -> Iterable[SongCandidate]:
            for file_name in listing.files:
                if file_name.lower().endswith(".kar"):
                    path = listing.file_path(file_name)
                    yield SongCandidate(path, stat_signature([path]), self)

        def read(self, candidate: SongCandidate, library_root: str) -> Song:
            ...  # parse candidate.path; raise SongFormatError when it is malformed

A candidate that ``claims_folder`` (a native song folder) hides the folder from the readers
after it and stops the scanner from looking for songs in its subfolders.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from appliance.core.models import Song

SIGNATURE_BYTES = 12


@dataclass(frozen=True)
class FolderListing:
    """One folder of the library: its absolute path, file and subfolder names (sorted, hidden
    ones left out) and the library root it was found under."""

    path: str
    files: tuple[str, ...]
    folders: tuple[str, ...]
    library_root: str

    def file_path(self, name: str) -> str:
        """Absolute path of a file of this folder."""
        return os.path.join(self.path, name)


@dataclass(frozen=True)
class SongCandidate:
    """A song a reader found: its catalog path (folder or main file), stat signature, the
    files it stands for, and the library root it was found under (where its files may be)."""

    path: str
    signature: str
    reader: SongReader = field(compare=False, repr=False)
    claims_folder: bool = False
    files: tuple[str, ...] = ()
    library_root: str = ""


class SongReader(Protocol):
    """Finds (by name and stat only) and reads (parsing files) the songs of one format."""

    name: str

    def find(self, listing: FolderListing) -> Iterable[SongCandidate]:
        """The songs in this folder; must not open files (stat is fine)."""
        ...

    def read(self, candidate: SongCandidate, library_root: str) -> Song:
        """The song of a candidate; raises SongFormatError (or OSError) when it cannot."""
        ...


def stat_signature(paths: Iterable[str], *, relative_to: str = "") -> str:
    """A short digest of the names, sizes and modification times of ``paths``.

    A file that cannot be stat-ed counts as missing, so it changes the signature too::

        >>> len(stat_signature(["/no/such/file"]))
        24
    """
    digest = hashlib.blake2b(digest_size=SIGNATURE_BYTES)
    prefix = os.path.join(relative_to, "") if relative_to else ""
    for path in paths:
        label = path[len(prefix) :] if prefix and path.startswith(prefix) else path
        try:
            status = os.stat(path)
            entry = f"{label}\0{status.st_size}\0{status.st_mtime_ns}\n"
        except OSError:
            entry = f"{label}\0missing\n"
        digest.update(entry.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def is_ignored_name(name: str) -> bool:
    """Hidden files and the litter of other systems on USB sticks are never songs."""
    return name.startswith((".", "$")) or name in _IGNORED_NAMES


_IGNORED_NAMES = frozenset({"__MACOSX", "System Volume Information", "lost+found", "Thumbs.db"})
