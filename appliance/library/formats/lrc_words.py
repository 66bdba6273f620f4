"""Word timing of one LRC line: from enhanced ``<mm:ss.xx>`` word tags, or spread evenly.

A word's text keeps its own spaces, so joining a line's words gives the line as shown::

    >>> words = timed_words("<00:01.00>A<00:01.50>ma<00:01.80>zing <00:02.40>grace<00:03.00>",
    ...                     line_start_s=1.0, next_start_s=5.0, shift_s=0.0)
    >>> [(w.text, w.start_s, w.end_s) for w in words]
    [('A', 1.0, 1.5), ('ma', 1.5, 1.8), ('zing ', 1.8, 2.4), ('grace', 2.4, 3.0)]
    >>> [(w.text, w.start_s, w.end_s) for w in spread_words("la di", 10.0, 12.0)]
    [('la ', 10.0, 11.0), ('di', 11.0, 12.0)]
"""

from __future__ import annotations

import re

from appliance.library.formats.lyrics import Word, tidy_words

TIME_PATTERN = r"(\d{1,6}):(\d{1,2})(?:[.:](\d{1,3}))?"
WORD_TAG = re.compile(rf"<\s*{TIME_PATTERN}\s*>")
_WORD = re.compile(r"\S+\s*")
MIN_SPAN_S = 5.0
MAX_SPAN_PER_CHAR_S = 0.5


def tag_seconds(minutes: str, seconds: str, fraction: str | None) -> float:
    """Seconds of a ``mm:ss.xx`` tag; the fraction has 1-3 digits (tenths to milliseconds)."""
    value = int(minutes) * 60 + int(seconds)
    if fraction:
        value += int(fraction) / 10 ** len(fraction)
    return float(value)


def natural_end_s(start_s: float, text: str, next_start_s: float | None) -> float:
    """When an untimed stretch of text ends: at the next line, but not later than a plausible
    singing time (so a line before a long instrumental gap does not crawl)."""
    longest = start_s + max(MIN_SPAN_S, MAX_SPAN_PER_CHAR_S * len(text.strip()))
    if next_start_s is None or next_start_s <= start_s:
        return longest
    return min(next_start_s, longest)


def spread_words(text: str, start_s: float, end_s: float) -> list[Word]:
    """Words of a plain line, each timed in proportion to its letters between start and end."""
    pieces = [" ".join(piece.split()) + " " for piece in _WORD.findall(text.strip())]
    if pieces:
        pieces[-1] = pieces[-1].rstrip()
    if not pieces:
        return []
    weights = [len(piece.rstrip()) for piece in pieces]
    total = sum(weights)
    words: list[Word] = []
    done = 0
    for piece, weight in zip(pieces, weights, strict=True):
        begin = start_s + (end_s - start_s) * done / total
        done += weight
        words.append(
            Word(piece, round(begin, 6), round(start_s + (end_s - start_s) * done / total, 6))
        )
    return words


def has_word_tags(text: str) -> bool:
    """True when the line carries enhanced-LRC word tags."""
    return WORD_TAG.search(text) is not None


def timed_words(
    text: str, *, line_start_s: float, next_start_s: float | None, shift_s: float
) -> list[Word]:
    """Words of an enhanced line. Each tag starts the text after it; a tag with no text after it
    ends the word before it (the last tag ends the last word). Text before the first tag starts
    at the line's time. ``shift_s`` moves every word tag (repeated lines, offsets)."""
    segments = _segments(text, line_start_s, shift_s)
    words: list[Word] = []
    for index, (start_s, piece) in enumerate(segments):
        if not piece:
            continue
        if not piece.strip() and words:
            last = words[-1]
            words[-1] = Word(last.text + piece, last.start_s, last.end_s)
            continue
        if index + 1 < len(segments):
            end_s = segments[index + 1][0]
        else:
            end_s = natural_end_s(start_s, piece, next_start_s)
        words.append(Word(piece, start_s, max(start_s, end_s)))
    return list(tidy_words(words))


def _segments(text: str, line_start_s: float, shift_s: float) -> list[tuple[float, str]]:
    """(start, text) pieces: the text before the first tag at the line start, then per tag."""
    segments: list[tuple[float, str]] = []
    position = 0
    start_s = line_start_s
    for match in WORD_TAG.finditer(text):
        segments.append((start_s, text[position : match.start()]))
        start_s = max(0.0, tag_seconds(*match.groups()) + shift_s)
        position = match.end()
    segments.append((start_s, text[position:]))
    if not segments[0][1].strip():
        segments.pop(0)
    return segments
