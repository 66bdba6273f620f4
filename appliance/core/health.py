"""Results of health checks, printed by ``karaoke doctor``.

Each part of the box offers checks as plain functions returning :class:`Check` results::

    >>> Check("disk", OK, "12.0 GB free").line()
    '[ ok ] disk: 12.0 GB free'
    >>> Check("gpio", WARN, "no GPIO on this machine", fix="runs without buttons").line()
    '[warn] gpio: no GPIO on this machine -> runs without buttons'
"""

from __future__ import annotations

from dataclasses import dataclass

OK, WARN, FAIL = "ok", "warn", "fail"


@dataclass(frozen=True)
class Check:
    """One finding: what was checked, how it went, what it saw, what to do about it."""

    name: str
    status: str
    detail: str
    fix: str = ""

    @property
    def ok(self) -> bool:
        """True when nothing needs fixing."""
        return self.status == OK

    def line(self) -> str:
        """One line for a terminal."""
        fix = f" -> {self.fix}" if self.fix else ""
        return f"[{self.status:^4}] {self.name}: {self.detail}{fix}"
