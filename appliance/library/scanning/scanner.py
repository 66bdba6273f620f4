"""Scan a library folder into the catalog, incrementally: unchanged songs are not read again.

A song's signature (names, sizes and modification times of its files, by ``stat`` only) is kept
in the catalog; a rescan reads only songs whose signature changed, adds new ones and removes
those that vanished. A song that failed is kept with its signature as a failure, so it is not
read again either until it changes. Nothing is lost in silence: every file seen ends in a song,
in a failure (path and reason) or among the other files, and the counts add up::

    report = scan_library("/media/songs", catalog, progress=TextProgressBar())
    print(report.summary())        # '3 added, 1 updated, 9996 unchanged, 0 removed, 1 failed'
    print(report.files_summary())  # '30012 files seen: 29990 in songs, 2 in failures, 20 other'
    for failure in report.failures:
        print(failure.path, failure.reason)

The catalog keeps the failures and the counts of the last scan of each root (``karaoke doctor``
and the host's phone show them). Song ids never clash: see :mod:`.idclaims`.

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
from dataclasses import dataclass, replace
from typing import Protocol

from appliance.core.errors import KaraokeError, LibraryError, SongFormatError
from appliance.core.models import Loudness, Song, SongId
from appliance.library.formats.songreader import SongCandidate, SongReader
from appliance.library.scanning.accounting import tally_files
from appliance.library.scanning.idclaims import IdClaims
from appliance.library.scanning.registry import default_readers
from appliance.library.scanning.report import ScanFailure, ScanReport
from appliance.library.scanning.walk import walk_library

__all__ = ["CatalogWriter", "ScanFailure", "ScanReport", "scan_library"]

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

    def path_of_id(self, song_id: str) -> str | None:
        """The path of the song holding ``song_id`` (under any root), or None."""
        ...

    def problems_under(self, root: str) -> dict[str, tuple[str, str]]:
        """Path -> (signature, reason) of the failures the last scan of ``root`` kept."""
        ...

    def record_scan(
        self, root: str, record: dict[str, object], problems: Sequence[tuple[str, str, str]]
    ) -> None:
        """Keep a scan's counts and its (path, reason, signature) failures, replacing the
        last scan's of ``root``."""
        ...

    def forget_scan(self, root: str) -> None:
        """Forget the counts and failures of a root that went away."""
        ...


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
    for path in vanished:
        del known[path]
    importer = _Importer(root, catalog, known, report, analyze_loudness)
    importer.run(walked.candidates, progress)
    report.files, lonely = tally_files(
        walked.files, walked.candidates, indexed=importer.indexed, failed=importer.failed
    )
    report.failures.extend(lonely)
    report.seconds = time.monotonic() - started
    problems = [(f.path, f.reason, f.signature) for f in report.failures]
    catalog.record_scan(root, report.as_record(), problems)
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
        self.known_problems = catalog.problems_under(root)
        self.report = report
        self.analyze_loudness = analyze_loudness
        self.batch: list[tuple[Song, str]] = []
        self.failed_known: list[str] = []
        stored_ids = {path: stored.song_id for path, stored in known.items()}
        self.ids = IdClaims(root, stored_ids, catalog.path_of_id)
        self.indexed: set[str] = set()
        self.failed: set[str] = set()

    def run(self, candidates: list[SongCandidate], progress: Progress | None) -> None:
        unchanged = {c.path for c in candidates if self._is_unchanged(c)}
        self.indexed |= unchanged
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
        kept = self.known_problems.get(candidate.path)
        if kept is not None and kept[0] == candidate.signature and candidate.signature:
            self._fail(candidate, kept[1])  # failed before and unchanged: not read again
            return
        try:
            song = self._with_own_id(candidate.reader.read(candidate, self.root))
        except (KaraokeError, OSError, ValueError) as error:
            self._fail(candidate, failure_reason(error, candidate.path))
            return
        song = self._with_loudness(song)
        self.batch.append((song, _Stored(candidate.signature, song.song_id).text()))
        self.indexed.add(candidate.path)
        if candidate.path in self.known:
            self.report.updated += 1
        else:
            self.report.added += 1

    def _fail(self, candidate: SongCandidate, reason: str) -> None:
        self.report.failures.append(ScanFailure(candidate.path, reason, candidate.signature))
        self.failed.add(candidate.path)
        if candidate.path in self.known:
            self.failed_known.append(candidate.path)

    def _with_own_id(self, song: Song) -> Song:
        song_id = self.ids.claim(song.song_id, song.path)
        if song_id == song.song_id:
            return song
        self.report.warnings.append(
            f"{song.path}: song id {song.song_id!r} is taken by another song; "
            f"this one is {song_id!r}"
        )
        return replace(song, song_id=SongId(song_id))

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


def failure_reason(error: BaseException, path: str) -> str:
    """The error in words, without a leading repeat of the failing song's own path.

    >>> from appliance.core.errors import SongFormatError
    >>> failure_reason(SongFormatError("/s/a.txt", "missing #BPM", "BPM"), "/s/a.txt")
    'missing #BPM'
    """
    if isinstance(error, SongFormatError) and error.path == path:
        return error.reason
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    text = str(error)
    for prefix in (f"{path}: ", f"{path} "):
        if text.startswith(prefix):
            return text[len(prefix) :] or text
    return text
