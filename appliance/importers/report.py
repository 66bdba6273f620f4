"""What an import did with each source, and a summary for people::

>>> report = ImportReport()
>>> report.add(ImportOutcome("/in/a.kar", Status.IMPORTED, folder="/songs/A"))
>>> report.add(ImportOutcome("/in/b.kar", Status.SKIPPED, "corrupt MIDI data"))
>>> report.summary()
'1 imported, 1 skipped'
>>> print(report.lines()[1])
skipped /in/b.kar: corrupt MIDI data
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Status(enum.StrEnum):
    """How one source ended."""

    IMPORTED = "imported"
    IN_PLACE = "indexed in place"
    EXISTS = "already imported"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class ImportOutcome:
    """One source: its path, what happened, why (for anything but an import), the new folder."""

    source: str
    status: Status
    reason: str = ""
    folder: str = ""


@dataclass
class ImportReport:
    """Every outcome in the order the sources were handled, and the time taken."""

    outcomes: list[ImportOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, outcome: ImportOutcome) -> None:
        self.outcomes.append(outcome)

    def with_status(self, status: Status) -> list[ImportOutcome]:
        """The outcomes of one kind."""
        return [outcome for outcome in self.outcomes if outcome.status is status]

    @property
    def failed(self) -> bool:
        """True when a source could not be imported (a corrupt file, a missing tool...)."""
        return bool(self.with_status(Status.SKIPPED))

    def summary(self) -> str:
        """One line: the count of each outcome that occurred."""
        counts = [(len(self.with_status(status)), status.value) for status in Status]
        return ", ".join(f"{count} {label}" for count, label in counts if count) or "nothing found"

    def lines(self) -> list[str]:
        """One line per source."""
        result = []
        for outcome in self.outcomes:
            if outcome.status is Status.IMPORTED:
                result.append(f"imported {outcome.source} -> {outcome.folder}")
            else:
                result.append(f"{outcome.status.value} {outcome.source}: {outcome.reason}")
        return result
