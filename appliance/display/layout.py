"""Lyric lines laid out into rows of timed pieces: wrapped and sized to fit the screen's width.

A line is drawn as large as it fits in ``max_rows`` rows; below the smallest size it wraps onto
more rows. A word wider than the screen (a long CJK line without spaces) is split between
characters, and each piece keeps its share of the word's time, so the colour still moves
evenly across it::

    layout = layout_line(line, texts.width, max_width=1700, size=92, min_size=60)
    for row in layout.rows:
        for piece in row.pieces:
            piece.x, piece.ink_width, piece.progress_at(12.3)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from appliance.library.formats.lyrics import LyricLine, Word

Measure = Callable[[str, int], int]


@dataclass(frozen=True)
class Piece:
    """A word (or part of one) placed in a row: ``x`` from the row's left edge."""

    text: str
    start_s: float
    end_s: float
    x: int
    width: int
    ink_width: int

    def progress_at(self, time_s: float) -> float:
        """How much of the piece is sung at ``time_s`` (0 before, 1 after, linear within)."""
        return Word(self.text, self.start_s, self.end_s).progress_at(time_s)


@dataclass(frozen=True)
class Row:
    """One row of a line on screen; ``width`` is where its last letter ends."""

    pieces: tuple[Piece, ...]
    width: int


@dataclass(frozen=True)
class LineLayout:
    """A line's rows at the font size chosen for it."""

    size: int
    rows: tuple[Row, ...]
    part: int = 0


def layout_line(
    line: LyricLine,
    measure: Measure,
    *,
    max_width: int,
    size: int,
    min_size: int,
    max_rows: int = 2,
) -> LineLayout:
    """The largest layout of ``line`` (from ``size`` down to ``min_size``) within ``max_rows``.

    A line that fits on one row when a little smaller (down to 80%) stays on one row; rows of a
    wrapped line are balanced (no lonely last word).
    """
    current = size
    while current >= max(min_size, int(size * 0.8)):
        rows = wrap(line.words, measure, max_width, current)
        if len(rows) <= 1:
            return LineLayout(current, tuple(rows), line.part)
        current = int(current * 0.95)
    current = size
    while True:
        rows = wrap(line.words, measure, max_width, current)
        if len(rows) <= max_rows or current <= min_size:
            return LineLayout(
                current, tuple(balanced(line.words, measure, max_width, current)), line.part
            )
        current = max(min_size, int(current * 0.92))


def balanced(words: tuple[Word, ...], measure: Measure, max_width: int, size: int) -> list[Row]:
    """The rows of :func:`wrap` at the narrowest width that needs no more rows."""
    rows = wrap(words, measure, max_width, size)
    if len(rows) < 2:
        return rows
    low, high = max_width // len(rows), max_width
    while high - low > 4:
        middle = (low + high) // 2
        if len(wrap(words, measure, middle, size)) <= len(rows):
            high = middle
        else:
            low = middle
    return wrap(words, measure, high, size)


def wrap(words: tuple[Word, ...], measure: Measure, max_width: int, size: int) -> list[Row]:
    """Words into rows no wider than ``max_width``, breaking only between words if possible."""
    rows: list[Row] = []
    placed: list[Piece] = []
    x = 0
    for word in words:
        for text, start_s, end_s in _split_to_fit(word, measure, max_width, size):
            shown = text.lstrip() if not placed else text
            ink = measure(shown.rstrip(), size)
            if placed and x + ink > max_width:
                rows.append(_row(placed))
                placed, x = [], 0
                shown = text.lstrip()
                ink = measure(shown.rstrip(), size)
            width = measure(shown, size)
            placed.append(Piece(shown, start_s, end_s, x, width, ink))
            x += width
    if placed:
        rows.append(_row(placed))
    return rows


def _row(pieces: list[Piece]) -> Row:
    last = pieces[-1]
    return Row(tuple(pieces), last.x + last.ink_width)


def _split_to_fit(
    word: Word, measure: Measure, max_width: int, size: int
) -> list[tuple[str, float, float]]:
    """The word whole, or cut between characters into pieces that each fit ``max_width``."""
    total = measure(word.text, size)
    if measure(word.text.strip(), size) <= max_width or len(word.text.strip()) <= 1:
        return [(word.text, word.start_s, word.end_s)]
    duration = word.end_s - word.start_s
    pieces: list[tuple[str, float, float]] = []
    begin, done_px = 0, 0
    for end in range(1, len(word.text) + 1):
        chunk = word.text[begin:end]
        if end - begin > 1 and measure(chunk.rstrip(), size) > max_width:
            first = word.text[begin : end - 1]
            width = measure(first, size)
            pieces.append(
                _timed(first, word.start_s, duration, done_px=done_px, width=width, total=total)
            )
            begin, done_px = end - 1, done_px + width
    rest = word.text[begin:]
    pieces.append(
        _timed(
            rest, word.start_s, duration, done_px=done_px, width=measure(rest, size), total=total
        )
    )
    return pieces


def _timed(
    text: str, start_s: float, duration: float, *, done_px: int, width: int, total: int
) -> tuple[str, float, float]:
    total = max(1, total)
    begin = start_s + duration * min(1.0, done_px / total)
    end = start_s + duration * min(1.0, (done_px + width) / total)
    return text, begin, end
