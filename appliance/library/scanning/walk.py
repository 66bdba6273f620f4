"""Walk a library folder once and collect the songs every reader finds, by name and stat only.

Folders that cannot be listed are reported (and remembered, so the songs the catalog holds
under them are not taken for vanished); folder loops through symlinks are walked once::

    >>> import tempfile
    >>> found = walk_library(tempfile.mkdtemp(), readers=())
    >>> found.candidates, found.failures, found.files
    ([], [], [])
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from appliance.core.errors import KaraokeError
from appliance.library.formats.songreader import (
    FolderListing,
    SongCandidate,
    SongReader,
    is_ignored_name,
)
from appliance.library.scanning.report import ScanFailure

__all__ = ["ScanFailure", "WalkResult", "walk_library"]

WalkProgress = Callable[[str], None]


@dataclass
class WalkResult:
    """What a walk found: candidates sorted by path, failures, folders it could not list, and
    every file it listed (the scan's accounting starts from them)."""

    candidates: list[SongCandidate] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    failures: list[ScanFailure] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)


def walk_library(
    root: str, readers: Sequence[SongReader], on_folder: WalkProgress | None = None
) -> WalkResult:
    """Every song candidate under ``root`` (an absolute folder path)."""
    result = WalkResult()
    seen_paths: set[str] = set()
    visited: set[tuple[int, int]] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        if on_folder:
            on_folder(folder)
        listing = _list_folder(folder, root, result, visited)
        if listing is None:
            continue
        result.files.extend(listing.file_path(name) for name in listing.files)
        if not _find_songs(listing, readers, result, seen_paths):
            pending.extend(os.path.join(folder, name) for name in reversed(listing.folders))
    result.candidates.sort(key=lambda candidate: candidate.path)
    return result


def _list_folder(
    folder: str, root: str, result: WalkResult, visited: set[tuple[int, int]]
) -> FolderListing | None:
    """The folder's listing, or None when it cannot be read or was seen already (a loop)."""
    try:
        status = os.stat(folder)
        if (status.st_dev, status.st_ino) in visited:
            return None
        visited.add((status.st_dev, status.st_ino))
        with os.scandir(folder) as entries:
            files, folders = _split_entries(entries)
    except OSError as error:
        result.failures.append(ScanFailure(folder, f"cannot list the folder: {_why(error)}"))
        result.unlisted.append(folder)
        return None
    return FolderListing(folder, tuple(sorted(files)), tuple(sorted(folders)), root)


def _split_entries(entries: Iterable[os.DirEntry[str]]) -> tuple[list[str], list[str]]:
    files: list[str] = []
    folders: list[str] = []
    for entry in entries:
        if is_ignored_name(entry.name):
            continue
        try:
            if entry.is_dir():
                folders.append(entry.name)
            elif entry.is_file():
                files.append(entry.name)
        except OSError:
            continue
    return files, folders


def _find_songs(
    listing: FolderListing,
    readers: Sequence[SongReader],
    result: WalkResult,
    seen_paths: set[str],
) -> bool:
    """Ask each reader in turn; True when one claimed the folder (stop there, no subfolders)."""
    for reader in readers:
        try:
            found = list(reader.find(listing))
        except (OSError, KaraokeError) as error:
            reason = f"{reader.name} reader failed: {_why(error)}"
            result.failures.append(ScanFailure(listing.path, reason))
            continue
        for candidate in found:
            if candidate.path not in seen_paths:
                seen_paths.add(candidate.path)
                result.candidates.append(candidate)
        if any(candidate.claims_folder for candidate in found):
            return True
    return False


def _why(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error)
