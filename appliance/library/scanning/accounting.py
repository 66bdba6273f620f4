"""Which heap each file of a scan goes to: a song's, a failure's, or other (no song).

A file belongs to every candidate that names it (its path or ``files``); it is "in songs" when
one of them was indexed, "in failures" when they all failed. A file no reader claimed is
reported when its kind says it was meant to be part of a song (lyrics without audio), and
counted as other otherwise (pictures, videos, documents, audio with no lyrics)::

    >>> tally, lonely = tally_files(["/s/a.lrc", "/s/b.jpg"], [], indexed=set(), failed=set())
    >>> tally
    FileTally(seen=2, in_songs=0, in_failures=1, other=1)
    >>> lonely[0].reason
    'lyrics (.lrc) with no audio file of the same name beside them'
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from appliance.library.formats.songreader import SongCandidate
from appliance.library.scanning.report import FileTally, ScanFailure

LONELY_REASONS = {
    ".lrc": "lyrics (.lrc) with no audio file of the same name beside them",
    ".kfn": "a KaraFun .kfn file: not a format this box reads (export it as MP3+G or KAR)",
    ".kok": "a .kok file: not a format this box reads",
}
"""File kinds that are only ever part of a song: reported when no reader claims them."""


def candidate_files(candidate: SongCandidate) -> set[str]:
    """The files a candidate stands for (its main path, unless a folder, and ``files``)."""
    return {candidate.path, *candidate.files}


def lonely_files(unclaimed: Iterable[str]) -> list[ScanFailure]:
    """A failure for each file no reader claimed whose kind is only ever part of a song."""
    lonely = []
    for path in sorted(unclaimed):
        reason = LONELY_REASONS.get(os.path.splitext(path)[1].lower())
        if reason:
            lonely.append(ScanFailure(path, reason))
    return lonely


def unclaimed_files(walked_files: Iterable[str], candidates: Sequence[SongCandidate]) -> set[str]:
    """The files no candidate stands for."""
    claimed: set[str] = set()
    for candidate in candidates:
        claimed |= candidate_files(candidate)
    return set(walked_files) - claimed


def tally_files(
    walked_files: Iterable[str],
    candidates: Sequence[SongCandidate],
    *,
    indexed: set[str],
    failed: set[str],
) -> tuple[FileTally, list[ScanFailure]]:
    """The tally of every file seen, and a failure for each lonely song-only file."""
    seen = set(walked_files)
    in_songs: set[str] = set()
    in_failures: set[str] = set()
    for candidate in candidates:
        files = candidate_files(candidate)
        if candidate.path in indexed:
            in_songs |= files
        elif candidate.path in failed:
            in_failures |= files
        seen |= set(candidate.files)
    in_failures -= in_songs
    seen_songs, seen_failures = len(in_songs & seen), len(in_failures & seen)
    lonely = lonely_files(seen - in_songs - in_failures)
    other = len(seen) - seen_songs - seen_failures - len(lonely)
    tally = FileTally(len(seen), seen_songs, seen_failures + len(lonely), other)
    return tally, lonely
