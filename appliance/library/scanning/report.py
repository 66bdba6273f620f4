"""What a scan did, for people: song counts, file counts that add up, and every failure.

Every file the walk saw ends in exactly one of three heaps: a file of an indexed song, a file
of a failure (each failure names its path and a reason), or another file that is no song
(pictures, videos, documents, audio with no lyrics beside it)::

    >>> report = ScanReport("/songs", added=2, files=FileTally(seen=7, in_songs=5, in_failures=1,
    ...     other=1), failures=[ScanFailure("/songs/x.txt", "missing #BPM")])
    >>> report.summary()
    '2 added, 0 updated, 0 unchanged, 0 removed, 1 failed'
    >>> report.files_summary()
    '7 files seen: 5 in songs, 1 in failures, 1 other (not songs)'
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ScanFailure:
    """A folder, song or file that could not be indexed, and why (in words a person can act
    on). ``signature`` (the song's stat digest) lets a rescan keep it without reading it again."""

    path: str
    reason: str
    signature: str = ""


@dataclass(frozen=True)
class FileTally:
    """Files seen, and which heap each went to: ``seen == in_songs + in_failures + other``."""

    seen: int = 0
    in_songs: int = 0
    in_failures: int = 0
    other: int = 0

    @property
    def adds_up(self) -> bool:
        """True when every file seen is in exactly one heap."""
        return self.seen == self.in_songs + self.in_failures + self.other


@dataclass
class ScanReport:
    """What a scan did. ``removed`` counts songs taken out of the catalog (vanished, or now
    failing); ``failures`` lists every folder, song or file that could not be indexed, with the
    reason; ``files`` counts the files seen."""

    root: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failures: list[ScanFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: FileTally = field(default_factory=FileTally)
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

    def files_summary(self) -> str:
        """One line for people: where the files seen went (the counts add up)."""
        tally = self.files
        return (
            f"{tally.seen} files seen: {tally.in_songs} in songs, {tally.in_failures} in "
            f"failures, {tally.other} other (not songs)"
        )

    def as_record(self) -> dict[str, object]:
        """The counts, as the catalog keeps them for ``karaoke doctor`` and the phone."""
        return {
            "root": self.root,
            "songs": self.songs,
            "summary": self.summary(),
            "files_summary": self.files_summary(),
            "files_seen": self.files.seen,
            "files_in_songs": self.files.in_songs,
            "files_in_failures": self.files.in_failures,
            "files_other": self.files.other,
            "failed": len(self.failures),
        }
