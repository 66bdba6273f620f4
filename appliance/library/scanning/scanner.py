"""Scan a library folder into the catalog, incrementally: unchanged songs are not read again.

A song's signature (names, sizes and modification times of its files, by ``stat`` only) is kept
in the catalog; a rescan reads only songs whose signature changed, adds new ones and removes
those that vanished. A bad folder is reported and the scan goes on::

    report = scan_library("/media/songs", catalog, progress=TextProgressBar())
    print(report.summary())   # '3 added, 1 updated, 9996 unchanged, 0 removed, 1 failed'
    for failure in report.failures:
        print(failure.path, failure.reason)

``analyze_loudness(song) -> LUFS | Loudness | None`` (injected: the composition root passes a
pyloudnorm one, which also measures the mix without the guide vocal) measures songs whose
manifest has no ``loudness_lufs``; the result is kept in the catalog only, so read-only media
stay untouched.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

from appliance.core.errors import KaraokeError, LibraryError
from appliance.core.models import Loudness, Song
from appliance.library.formats.songreader import SongCandidate, SongReader
from appliance.library.scanning.registry import default_readers
from appliance.library.scanning.walk import ScanFailure, walk_library

Progress = Callable[[int, int, str], None]
LoudnessAnalyzer = Callable[[Song], "float | Loudness | None"]
BATCH_SIZE = 256


class CatalogWriter(Protocol):
    """What the scanner needs of the catalog (``appliance.core.catalog.Catalog`` has it)."""

    def signatures_under(self, root: str) -> dict[str, str]:
        """Song path -> signature, for songs whose path is ``root`` or under it."""
        ...

    def upsert_songs(self, songs: Sequence[tuple[Song, str]]) -> None:
        """Insert or update (song, signature) pairs; one transaction per call."""
        ...

    def remove_paths(self, paths: Iterable[str]) -> None:
        """Forget the songs at these paths."""
        ...


@dataclass
class ScanReport:
    """What a scan did. ``removed`` counts songs taken out of the catalog (vanished, or now
    failing); ``failures`` lists every folder or song that could not be read, with the reason."""

    root: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failures: list[ScanFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def songs(self) -> int:
        """Songs in the catalog under the root after the scan."""
        return self.added + self.updated + self.unchanged

    def summary(self) -> str:
        """One line for people: the counts."""
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.removed} removed, {len(self.failures)} failed"
        )


def scan_library(
    root: str | os.PathLike[str],
    catalog: CatalogWriter,
    *,
    progress: Progress | None = None,
    analyze_loudness: LoudnessAnalyzer | None = None,
    readers: Sequence[SongReader] | None = None,
) -> ScanReport:
    """Bring the catalog's songs under ``root`` in line with the disk; see the module doc.

    ``progress(done, total, path)`` is called while walking (``total`` 0: still counting) and
    after each song. Raises :class:`LibraryError` only when ``root`` is not a folder.
    """
    started = time.monotonic()
    root = os.path.abspath(root)
    if not os.path.isdir(root):
        raise LibraryError(f"{root}: not a folder (is the drive mounted?)")
    report = ScanReport(root)
    on_folder = (lambda folder: progress(0, 0, folder)) if progress else None
    walked = walk_library(root, readers or default_readers(), on_folder)
    report.failures.extend(walked.failures)
    known = {path: _Stored.parse(text) for path, text in catalog.signatures_under(root).items()}
    found = {candidate.path for candidate in walked.candidates}
    vanished = [
        path for path in known if path not in found and not _under_any(path, walked.unlisted)
    ]
    catalog.remove_paths(vanished)
    report.removed += len(vanished)
    _Importer(root, catalog, known, report, analyze_loudness).run(walked.candidates, progress)
    report.seconds = time.monotonic() - started
    return report


@dataclass(frozen=True)
class _Stored:
    """A catalog signature: the reader's stat digest, then the song id (to spot id clashes)."""

    digest: str
    song_id: str

    @classmethod
    def parse(cls, text: str) -> _Stored:
        digest, _, song_id = text.partition(" ")
        return cls(digest, song_id)

    def text(self) -> str:
        return f"{self.digest} {self.song_id}"


class _Importer:
    """Reads changed candidates and writes them to the catalog in batches."""

    def __init__(
        self,
        root: str,
        catalog: CatalogWriter,
        known: dict[str, _Stored],
        report: ScanReport,
        analyze_loudness: LoudnessAnalyzer | None,
    ) -> None:
        self.root = root
        self.catalog = catalog
        self.known = known
        self.report = report
        self.analyze_loudness = analyze_loudness
        self.batch: list[tuple[Song, str]] = []
        self.failed_known: list[str] = []
        self.id_owners: dict[str, str] = {}

    def run(self, candidates: list[SongCandidate], progress: Progress | None) -> None:
        unchanged = {c.path for c in candidates if self._is_unchanged(c)}
        for path in unchanged:
            self.id_owners.setdefault(self.known[path].song_id, path)
        self.report.unchanged = len(unchanged)
        for done, candidate in enumerate(candidates, start=1):
            if candidate.path not in unchanged:
                self._import(candidate)
            if len(self.batch) >= BATCH_SIZE:
                self._flush()
            if progress:
                progress(done, len(candidates), candidate.path)
        self._flush()
        if self.failed_known:
            self.catalog.remove_paths(self.failed_known)
            self.report.removed += len(self.failed_known)

    def _is_unchanged(self, candidate: SongCandidate) -> bool:
        stored = self.known.get(candidate.path)
        return stored is not None and stored.digest == candidate.signature

    def _import(self, candidate: SongCandidate) -> None:
        try:
            song = candidate.reader.read(candidate, self.root)
            self._claim_id(song)
        except (KaraokeError, OSError, ValueError) as error:
            self.report.failures.append(ScanFailure(candidate.path, _reason(error)))
            if candidate.path in self.known:
                self.failed_known.append(candidate.path)
            return
        song = self._with_loudness(song)
        self.batch.append((song, _Stored(candidate.signature, song.song_id).text()))
        if candidate.path in self.known:
            self.report.updated += 1
        else:
            self.report.added += 1

    def _claim_id(self, song: Song) -> None:
        owner = self.id_owners.setdefault(song.song_id, song.path)
        if owner != song.path:
            raise LibraryError(
                f"song id {song.song_id!r} is already used by {owner}; "
                "give this song its own 'id' in song.toml"
            )

    def _with_loudness(self, song: Song) -> Song:
        if self.analyze_loudness is None or song.loudness_lufs is not None:
            return song
        try:
            lufs = self.analyze_loudness(song)
        except Exception as error:  # an injected analyzer must not stop the scan
            self.report.warnings.append(f"{song.path}: loudness not measured: {error!r}")
            return song
        if isinstance(lufs, Loudness):
            return replace(song, loudness_lufs=lufs.lufs, loudness_no_guide_lufs=lufs.no_guide_lufs)
        if lufs is None or not math.isfinite(lufs):
            return song
        return replace(song, loudness_lufs=float(lufs))

    def _flush(self) -> None:
        if self.batch:
            self.catalog.upsert_songs(self.batch)
            self.batch = []


def _under_any(path: str, folders: list[str]) -> bool:
    return any(path == folder or path.startswith(folder.rstrip("/") + "/") for folder in folders)


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return str(error)
