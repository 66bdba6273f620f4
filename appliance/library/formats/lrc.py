"""LRC and enhanced LRC lyrics, read into :class:`Lyrics`.

Handles line tags ``[mm:ss.xx]`` (also ``.xxx``, ``:xx``, minutes >= 100, several per line,
lines in any order), ID tags (``[ti:]``, ``[ar:]``, ``[offset:+ms]`` where positive means
sooner), enhanced word tags ``<mm:ss.xx>``, Walaoke duet prefixes ``M:``/``F:``/``D:`` (parts
1/2/0, kept until changed) and time-tagged empty lines as instrumental breaks::

    >>> lyrics = parse_lrc(b"[ti:Grace]\\n[offset:500]\\n[00:05.00]F: la di\\n[00:07.00]\\n")
    >>> lyrics.title, [(line.part, line.text, line.start_s) for line in lyrics.lines]
    ('Grace', [(2, 'la di', 4.5), (2, '', 6.5)])

Malformed input raises :class:`SongFormatError` naming the file, never anything else.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass

from appliance.core.errors import SongFormatError
from appliance.library.formats.lrc_words import (
    TIME_PATTERN,
    has_word_tags,
    natural_end_s,
    spread_words,
    tag_seconds,
    timed_words,
)
from appliance.library.formats.lyrics import LyricLine, Lyrics
from appliance.library.formats.textcodec import LEGACY_WITH_ASIAN, decode_text
from appliance.library.songfolder.bounded import read_bounded

MAX_LRC_BYTES = 2_000_000
_TAG = re.compile(r"\s*\[([^\[\]]*)\]")
_TIME_TAG = re.compile(rf"\s*{TIME_PATTERN}\s*")
_ID_TAG = re.compile(r"([A-Za-z][A-Za-z0-9_ -]*):(.*)", re.DOTALL)
_DUET = re.compile(r"(\s*(?:<[^<>]*>\s*)?)([MFD]):[ \t]?")
_DUET_PARTS = {"M": 1, "F": 2, "D": 0}
_OFFSET = re.compile(r"[+-]?\d{1,9}(?:\.\d*)?")


@dataclass(frozen=True)
class _TimedText:
    """One line of lyrics at one time; ``shift_s`` moves its word tags (repeated lines)."""

    time_s: float
    text: str
    part: int
    order: int
    shift_s: float


def read_lrc(path: str | os.PathLike[str]) -> Lyrics:
    """Read the LRC file at ``path`` (any common encoding)."""
    return parse_lrc(read_bounded(path, MAX_LRC_BYTES, "an LRC file"), os.fspath(path))


def parse_lrc(data: bytes | str, source: str = "<lrc>") -> Lyrics:
    """Parse LRC text (bytes are decoded: BOMs, UTF-8, else the likeliest legacy encoding)."""
    text = _decode(data, source)
    header: dict[str, str] = {}
    timed = _timed_lines(text, header)
    if not timed and not header and text.strip():
        raise SongFormatError(source, "no [mm:ss.xx] time tags: not an LRC file")
    offset_s = _offset_s(header.get("offset", ""), source)
    lines = _build_lines(timed, offset_s)
    return Lyrics(lines=tuple(lines), title=header.get("ti", ""), artist=header.get("ar", ""))


def _decode(data: bytes | str, source: str) -> str:
    if isinstance(data, bytes):
        if len(data) > MAX_LRC_BYTES:
            raise SongFormatError(source, f"larger than {MAX_LRC_BYTES} bytes: not lyrics")
        try:
            data, _ = decode_text(data, None, LEGACY_WITH_ASIAN)
        except (ValueError, LookupError) as error:
            raise SongFormatError(source, f"cannot decode the text: {error}") from error
    return data.replace("\ufeff", "").replace("\x00", "")


def _timed_lines(text: str, header: dict[str, str]) -> list[_TimedText]:
    """Every (time, text) pair of the file, in file order; ID tags go into ``header``."""
    timed: list[_TimedText] = []
    part = 0
    for line in text.splitlines():
        times, rest = _leading_tags(line, header)
        if not times:
            continue
        duet = _DUET.match(rest)
        if duet:
            part = _DUET_PARTS[duet.group(2)]
            rest = duet.group(1) + rest[duet.end() :]
        for time_s in times:
            timed.append(_TimedText(time_s, rest, part, len(timed), time_s - times[0]))
    return timed


def _leading_tags(line: str, header: dict[str, str]) -> tuple[list[float], str]:
    """The line's time tags and the text after them. A line whose first tag is neither a time
    nor an ID tag (``[Chorus]``) is never lyrics: it yields no times."""
    times: list[float] = []
    position = 0
    while match := _TAG.match(line, position):
        content = match.group(1)
        time = _TIME_TAG.fullmatch(content)
        if time:
            times.append(tag_seconds(*time.groups()))
        elif not times:
            id_tag = _ID_TAG.fullmatch(content.strip())
            if not id_tag:
                return [], ""
            header.setdefault(id_tag.group(1).strip().lower(), id_tag.group(2).strip())
        position = match.end()
    return times, line[position:]


def _offset_s(raw: str, source: str) -> float:
    """The ``[offset:]`` tag in seconds (positive = lyrics sooner); empty means 0."""
    if not raw:
        return 0.0
    if not _OFFSET.fullmatch(raw.replace(" ", "")):
        raise SongFormatError(source, f"offset {raw!r} is not a number of milliseconds", "offset")
    return float(raw.replace(" ", "")) / 1000.0


def _build_lines(timed: list[_TimedText], offset_s: float) -> list[LyricLine]:
    """Lines in time order, each timed by its word tags or spread up to the next line."""
    ordered = sorted(timed, key=lambda item: (item.time_s, item.order))
    starts = [max(0.0, item.time_s - offset_s) for item in ordered]
    lines: list[LyricLine] = []
    for index, item in enumerate(ordered):
        start_s = starts[index]
        following = bisect.bisect_right(starts, start_s)
        next_start_s = starts[following] if following < len(starts) else None
        if has_word_tags(item.text):
            words = timed_words(
                item.text,
                line_start_s=start_s,
                next_start_s=next_start_s,
                shift_s=item.shift_s - offset_s,
            )
        else:
            end_s = natural_end_s(start_s, item.text, next_start_s)
            words = spread_words(item.text, start_s, end_s)
        lines.append(LyricLine(words=tuple(words), part=item.part, at_s=start_s))
    lines.sort(key=lambda line: line.start_s)
    return lines
