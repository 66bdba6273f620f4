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

Names that only look alike are one name to people: :func:`look_alike_key` folds them to one key
(NFKC, so fullwidth "Ａｄａ" is "Ada"; casefold; and a small table of Cyrillic and Greek letters
drawn like Latin ones, from Unicode's confusables.txt)::

    >>> look_alike_key("\u0410da") == look_alike_key("ＡＤＡ") == look_alike_key("Ada")
    True
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


# Cyrillic and Greek letters that confusables.txt (Unicode TS #39) maps to one Latin letter,
# after NFKC and casefold (so only lower case is needed); the skeleton TS #39 defines is wider
# (it also folds "rn" to "m", digits to letters) and would refuse names people really have.
_LOOK_ALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ү": "y",
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ζ": "z",
        "\u0131": "i",
    }
)  # fmt: skip
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def look_alike_key(name: str) -> str:
    """One key for names that look alike: NFKC, casefold, look-alike letters to Latin, accents
    kept (Zoë and Zoe are two people), invisible characters and extra spaces gone."""
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_INVISIBLE)
    return " ".join(folded.translate(_LOOK_ALIKES).split())


def scrub(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (for text stored long ago)."""
    return text if is_scalar_text(text) else _SURROGATE.sub("\ufffd", text)
