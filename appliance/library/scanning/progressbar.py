"""A one-line text progress bar for the CLI, usable as the scanner's ``progress`` callback.

It redraws at most every ``interval_s`` (a scan calls it once per song) and always at the end::

    >>> import io
    >>> out = io.StringIO()
    >>> bar = TextProgressBar(out, width=10, interval_s=0.0, columns=60)
    >>> bar(5, 10, "/songs/Folk/Amazing Grace")
    >>> out.getvalue()
    '\\r[#####-----]  5/10  Folk/Amazing Grace\\x1b[K'
    >>> bar.finish()
    >>> out.getvalue().endswith("\\n")
    True
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

_CLEAR_TO_END = "\x1b[K"


class TextProgressBar:
    """``bar(done, total, path)``: ``[####----] done/total  path``; total 0 means counting."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        width: int = 30,
        interval_s: float = 0.1,
        columns: int | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.interval_s = interval_s
        self.columns = columns
        self._last_draw = -1e9
        self._drawn = False

    def __call__(self, done: int, total: int, path: str) -> None:
        now = time.monotonic()
        if now - self._last_draw < self.interval_s and not 0 < total == done:
            return
        self._last_draw = now
        self.stream.write("\r" + self.render(done, total, path) + _CLEAR_TO_END)
        self.stream.flush()
        self._drawn = True

    def render(self, done: int, total: int, path: str) -> str:
        """The bar as text, cut to the terminal's width."""
        if total <= 0:
            head = f"scanning folders... {self._short(path)}"
        else:
            filled = round(self.width * min(done, total) / total)
            bar = "#" * filled + "-" * (self.width - filled)
            digits = len(str(total))
            head = f"[{bar}] {done:>{digits}}/{total}  {self._short(path)}"
        return head[: self._columns() - 1]

    def finish(self) -> None:
        """End the line (call once after the scan)."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()

    def _short(self, path: str) -> str:
        parts = path.rstrip("/").split("/")
        return "/".join(parts[-2:])

    def _columns(self) -> int:
        if self.columns:
            return self.columns
        try:
            return os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            return 80
