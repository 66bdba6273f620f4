"""Text at the core's boundary: what a phone, a file or a command may hand the core as a string.

Every string the core stores or looks up passes :func:`clean_text` first: it must be text, made
of Unicode scalar values only (a lone surrogate such as ``"\\ud800"`` cannot be encoded as UTF-8
and would break every later answer that carries it), it is put in NFC (so "é" typed as e + accent
and "é" typed at once are the same name), and it is no longer than its field allows.
Text already stored before these checks existed goes through :func:`scrub` on the way out, so
a bad value shows as U+FFFD instead of failing the answer that carries it::

    >>> clean_text("Cafe\\u0301", "name", 40)
    'Café'
    >>> clean_text("\\ud800", "name", 40)
    Traceback (most recent call last):
    ...
    appliance.core.errors.InvalidRequest: name: must be Unicode text (a lone surrogate is not)
    >>> scrub("a\\ud800b")
    'a\\ufffdb'
"""

from __future__ import annotations

import re
import unicodedata

from appliance.core.errors import InvalidRequest

_SURROGATE = re.compile("[\ud800-\udfff]")


def is_scalar_text(text: str) -> bool:
    """True when ``text`` holds Unicode scalar values only (no lone surrogate)."""
    return _SURROGATE.search(text) is None


def clean_text(raw: object, field: str, max_chars: int, *, allow_empty: bool = False) -> str:
    """``raw`` as NFC text of at most ``max_chars`` characters; InvalidRequest otherwise."""
    if not isinstance(raw, str):
        raise InvalidRequest(field, "must be text")
    if len(raw) > 4 * max_chars:  # not worth normalizing
        raise InvalidRequest(field, f"at most {max_chars} characters")
    if not is_scalar_text(raw):
        raise InvalidRequest(field, "must be Unicode text (a lone surrogate is not)")
    text = unicodedata.normalize("NFC", raw)
    if not text and not allow_empty:
        raise InvalidRequest(field, "must not be empty")
    if len(text) > max_chars:
        raise InvalidRequest(field, f"at most {max_chars} characters")
    return text


def scrub(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (for text stored long ago)."""
    return text if is_scalar_text(text) else _SURROGATE.sub("\ufffd", text)
