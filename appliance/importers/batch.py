"""``import_paths``: find the foreign songs in files and folders and convert each into a native
song folder under ``dest`` (named ``Artist - Title``), one at a time, reporting every outcome::

    report = import_paths(["~/old-kars", "Song.txt"], Path("/songs"), progress=TextProgressBar())
    print(report.summary())            # '12 imported, 3 indexed in place, 1 skipped'
    for line in report.lines(): print(line)

Songs are found with the scanner's own readers (so ``import`` accepts what ``scan`` indexes).
Two different songs of the same artist and title both land (``Artist - Title (2)``, see
:mod:`appliance.importers.destination`); the same source again is "already imported".
The reader that found a song picks its importer (:mod:`appliance.importers.by_reader`): KAR,
UltraStar and audio + LRC are converted; MP3+G stays as it is (CD+G graphics need the original
files) and is reported "indexed in place"; native folders are left alone. A song that fails
is reported with the reason and the batch goes on; its half-built folder is removed.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from appliance.core.errors import KaraokeError
from appliance.importers.by_reader import PlaysInPlace, importer_for
from appliance.importers.destination import destination, source_digest
from appliance.importers.plan import ImportPlan
from appliance.importers.report import ImportOutcome, ImportReport, Status
from appliance.importers.staging import staged_folder
from appliance.library.formats.songreader import SongCandidate
from appliance.library.scanning.accounting import lonely_files, unclaimed_files
from appliance.library.scanning.registry import candidate_at, default_readers
from appliance.library.scanning.walk import walk_library
from appliance.library.songfolder.manifest import read_manifest, write_manifest

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
UNKNOWN_REASON = "not a song this can import (KAR, UltraStar .txt, audio + .lrc, MP3+G)"


def import_paths(
    paths: Iterable[str | os.PathLike[str]],
    dest: Path,
    *,
    progress: Progress | None = None,
    replace: bool = False,
    soundfont: Path | None = None,
) -> ImportReport:
    """Import every song found in ``paths`` into ``dest``; see the module doc."""
    started = time.monotonic()
    report = ImportReport()
    candidates: list[SongCandidate] = []
    for path in paths:
        candidates.extend(_find(Path(path).expanduser().absolute(), report, progress))
    for done, candidate in enumerate(candidates):
        if progress:
            progress(done, len(candidates), candidate.path)
        report.add(_import_one(candidate, dest, replace, soundfont))
    if progress and candidates:
        progress(len(candidates), len(candidates), candidates[-1].path)
    report.seconds = time.monotonic() - started
    return report


def _find(path: Path, report: ImportReport, progress: Progress | None) -> list[SongCandidate]:
    """The song candidates of a folder (walked) or a file (found by its folder's readers)."""
    if path.is_dir():
        on_folder = (lambda folder: progress(0, 0, folder)) if progress else None
        walked = walk_library(str(path), default_readers(), on_folder)
        lonely = lonely_files(unclaimed_files(walked.files, walked.candidates))
        for failure in [*walked.failures, *lonely]:
            report.add(ImportOutcome(failure.path, Status.SKIPPED, failure.reason))
        return walked.candidates
    if not path.is_file():
        report.add(ImportOutcome(str(path), Status.SKIPPED, "no such file or folder"))
        return []
    candidate = candidate_at(str(path))
    if candidate is not None:
        return [candidate]
    report.add(ImportOutcome(str(path), Status.SKIPPED, UNKNOWN_REASON))
    return []


def _plan(candidate: SongCandidate, soundfont: Path | None) -> ImportPlan | ImportOutcome:
    """How to convert a candidate (its reader's importer, appliance/importers/by_reader.py), or
    the outcome when it is not converted."""
    importer = importer_for(candidate.reader)
    if importer is None:
        return ImportOutcome(candidate.path, Status.SKIPPED, UNKNOWN_REASON)
    if isinstance(importer, PlaysInPlace):
        return ImportOutcome(candidate.path, importer.status, importer.reason)
    return importer(candidate, soundfont)


def _import_one(
    candidate: SongCandidate, dest: Path, replace: bool, soundfont: Path | None
) -> ImportOutcome:
    """Plan, build and check one song; every error becomes a skipped outcome with its reason."""
    try:
        plan = _plan(candidate, soundfont)
        if isinstance(plan, ImportOutcome):
            return plan
        final = destination(dest, plan.artist, plan.title, plan.source)
        with staged_folder(final, replace=replace) as work:
            fields = dict(plan.build(work))
            fields["x_imported_digest"] = source_digest(plan.source)
            write_manifest(work, fields)
            read_manifest(work)  # the folder must read back before it appears
        return ImportOutcome(candidate.path, Status.IMPORTED, folder=str(final))
    except FileExistsError as error:
        reason = f"{error} exists (use --replace to convert again)"
        return ImportOutcome(candidate.path, Status.EXISTS, reason)
    except (KaraokeError, OSError) as error:
        return ImportOutcome(candidate.path, Status.SKIPPED, _reason(error, candidate.path))
    except Exception as error:  # a malformed file must not stop the batch
        log.exception("import of %s failed", candidate.path)
        reason = f"unexpected {type(error).__name__}: {error}"
        return ImportOutcome(candidate.path, Status.SKIPPED, reason)


def _reason(error: BaseException, source: str) -> str:
    """The error's message without a leading repeat of the source's path."""
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename or ''}".rstrip(": ")
    text = str(error).rstrip(": ") or type(error).__name__
    for prefix in (f"{source}: ", f"{source} "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text
