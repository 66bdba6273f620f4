"""Typed, checked access to a table of an untrusted TOML file; every problem names its field.

The manifest reader is built on this; errors are :class:`SongFormatError` with the file, the
field (``stems[1].role``) and a reason a person can act on::

    >>> table = FieldReader("song.toml", {"title": "Grace", "bpm": "fast"})
    >>> table.text("title", required=True)
    'Grace'
    >>> table.number("bpm")
    Traceback (most recent call last):
    ...
    appliance.core.errors.SongFormatError: song.toml [bpm]: must be a number, not text
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from typing import NoReturn

from appliance.core.errors import SongFormatError

EXTENSION_PREFIX = "x_"
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true/false",
    list: "a list",
    dict: "a table",
}


def type_name(value: object) -> str:
    """What a TOML value is, in words: 'text', 'a number', 'a table'..."""
    for kind, name in _TYPE_NAMES.items():
        if type(value) is kind:
            return name
    return type(value).__name__


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''.

    >>> did_you_mean("titel", ["title", "artist"])
    " (did you mean 'title'?)"
    """
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean {close[0]!r}?)" if close else ""


class FieldReader:
    """Reads fields of one TOML table; ``prefix`` names the table in errors (``stems[2].``)."""

    def __init__(self, source: str, table: Mapping[str, object], prefix: str = "") -> None:
        self.source = source
        self.table = table
        self.prefix = prefix

    def fail(self, key: str, reason: str) -> NoReturn:
        """Raise the :class:`SongFormatError` for ``key`` of this table."""
        raise SongFormatError(self.source, reason, f"{self.prefix}{key}")

    def check_keys(self, known: Iterable[str]) -> None:
        """Refuse keys not in ``known`` (typos), except extension keys starting with 'x_'."""
        known = list(known)
        for key in self.table:
            if key not in known and not key.startswith(EXTENSION_PREFIX):
                hint = (
                    did_you_mean(key, known)
                    or f" (extensions must start with {EXTENSION_PREFIX!r})"
                )
                self.fail(key, f"unknown key{hint}")

    def value(self, key: str, *, required: bool) -> object | None:
        """The raw value, or None when absent and optional."""
        if key in self.table:
            return self.table[key]
        if required:
            self.fail(key, "missing (required)")
        return None

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        """A text value, stripped of surrounding spaces."""
        raw = self.value(key, required=required)
        if raw is None:
            return default
        if not isinstance(raw, str):
            self.fail(key, f"must be text, not {type_name(raw)}")
        if _CONTROL.search(raw):
            self.fail(key, "must not contain control characters (line breaks, ...)")
        return raw.strip()

    def number(
        self,
        key: str,
        *,
        required: bool = False,
        low: float | None = None,
        high: float | None = None,
        above: float | None = None,
    ) -> float | None:
        """A finite number (whole or not) within [low, high] and > ``above``; None if absent."""
        raw = self.value(key, required=required)
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            self.fail(key, f"must be a number, not {type_name(raw)}")
        number = float(raw) if abs(raw) < 1e300 else math.inf
        if not math.isfinite(number):
            self.fail(key, "must be a finite number")
        if above is not None and number <= above:
            self.fail(key, f"must be greater than {above:g}, got {number:g}")
        if low is not None and number < low:
            self.fail(key, f"must be {_range_text(low, high)}, got {number:g}")
        if high is not None and number > high:
            self.fail(key, f"must be {_range_text(low, high)}, got {number:g}")
        return number

    def integer(self, key: str, *, required: bool = False) -> int | None:
        """A whole number (``1``, not ``1.0`` or ``"1"``); None if absent."""
        raw = self.value(key, required=required)
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int):
            self.fail(key, f"must be a whole number, not {type_name(raw)}")
        return raw

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of non-empty texts, stripped, duplicates dropped (first kept)."""
        raw = self.value(key, required=False)
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.fail(key, f"must be a list of texts, not {type_name(raw)}")
        items: list[str] = []
        for index, item in enumerate(raw):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{key}[{index}]", "must be non-empty text")
            if item.strip() not in items:
                items.append(item.strip())
        return tuple(items)

    def tables(self, key: str, *, required: bool = False) -> list[FieldReader]:
        """The tables of an array of tables (``[[stems]]``), each as a reader."""
        raw = self.value(key, required=required)
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            self.fail(key, f"must be a list of tables ([[{key}]] sections)")
        return [
            FieldReader(self.source, item, f"{self.prefix}{key}[{index}].")
            for index, item in enumerate(raw)
        ]


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}"
    return f"at least {low:g}" if low is not None else f"at most {high:g}"
