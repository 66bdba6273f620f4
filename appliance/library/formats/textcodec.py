"""Decode the text of foreign song files whose encoding nobody wrote down.

Order of trust: a byte-order mark, then UTF-16 recognised by its NUL bytes, then an encoding the
file declares (``#ENCODING`` in UltraStar), then strict UTF-8, then the legacy code pages karaoke
files use (Windows, ISO and DOS: cp437, cp850, cp865), rated by charset-normalizer's mess
detector, a word-level check and the song's language when known (:mod:`textlang`), and finally
Latin-1 (which never fails)::

    >>> decode_text("Grüße".encode("cp1252"))
    ('Grüße', 'cp1252')
    >>> decode_text(b"\\xef\\xbb\\xbfhi")
    ('hi', 'utf-8')
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata

from charset_normalizer.md import mess_ratio

from appliance.library.formats.textlang import preferred_code_pages, unexpected_share

LEGACY_EUROPEAN = (
    *("cp1252", "cp1250", "cp1251", "koi8_r", "iso8859_2", "iso8859_15"),  # Windows, ISO
    *("cp850", "cp865", "cp437"),  # DOS: Western Europe, Nordic, the original PC
)
LEGACY_WITH_ASIAN = (*LEGACY_EUROPEAN, "shift_jis", "gb18030", "big5", "euc_kr")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UTF8_ALIASES = {"utf8", "utf_8", "utf-8"}
_WORD = re.compile(r"[^\s\d!-/:-@\[-`{-~]+")
_WORD_STARTS = "'‘’‚“”„«»‹›…–—¿¡"  # quotes and marks a word may start with
_WORD_ENDS = "'’“”«»‹›…–—"  # and end with
_CJK_SCRIPTS = {"CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "FULLWIDTH", "IDEOGRAPHIC"}


def decode_text(
    data: bytes,
    declared: str | None = None,
    candidates: tuple[str, ...] = LEGACY_EUROPEAN,
    language: str = "",
) -> tuple[str, str]:
    """Return ``(text, encoding_name)`` for ``data``; never raises on any byte string.

    ``language`` (a song's language tag, if it has one) helps tell legacy code pages apart::

        >>> decode_text("Æbler og rødgrød".encode("cp865"), language="Dansk")
        ('Æbler og rødgrød', 'cp865')
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name
    utf16 = _guess_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace"), "utf-16"
    for codec in (_known_codec(declared), "utf-8"):
        if codec:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                continue
    guess = _guess_legacy(data, candidates, language)
    if guess:
        return data.decode(guess, errors="replace"), guess
    return data.decode("latin-1"), "latin-1"


def _known_codec(declared: str | None) -> str | None:
    if not declared:
        return None
    try:
        name = codecs.lookup(declared.strip()).name
    except (LookupError, ValueError):
        return None
    return "utf-8" if name in _UTF8_ALIASES else name


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has a NUL in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _guess_legacy(data: bytes, candidates: tuple[str, ...], language: str = "") -> str | None:
    """The most plausible of ``candidates``, judged on the lines with non-ASCII bytes.

    Each code page's text is rated by charset-normalizer's mess detector and a word-level check
    (short lyrics often leave several pages without "mess": no Latin word made only of accented
    letters, no word mixing scripts, no symbol inside a word), plus the share of letters the
    song's language does not write; ties go to the language's own code page, then to the order
    of ``candidates`` (Windows pages before DOS ones).
    """
    lines = [line for line in data.splitlines() if any(byte >= 0x80 for byte in line)]
    sample = b"\n".join(lines)[:16384]
    if not sample:
        return None
    preferred = preferred_code_pages(language)
    scores = []
    for rank, name in enumerate(candidates):
        try:
            text = sample.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _implausibility(text) + mess_ratio(text, 1.0) + unexpected_share(text, language)
        scores.append((round(score, 6), name not in preferred, rank, name))
    return min(scores)[3] if scores else None


def _implausibility(text: str) -> float:
    """Share of words that look like mojibake: 0.0 for clean text."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    odd = sum(1 for word in words if _looks_wrong(word))
    letters = [ch for ch in text if ch.isalpha() and not ch.isascii()]
    upper = sum(1 for ch in letters if ch.isupper()) / len(letters) if letters else 0.0
    return odd / len(words) + 0.5 * max(0.0, upper - 0.5)


def _looks_wrong(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    scripts = {_script(ch) for ch in letters}
    if scripts == {"LATIN"} and len(letters) >= 3:
        accented = sum(1 for ch in letters if ord(ch) >= 0x80)
        if accented * 2 > len(letters):
            return True
    return (
        any(not ch.isalpha() and ch != "'" for ch in word[1:-1])
        or not (word[0].isalpha() or word[0] in _WORD_STARTS)
        or not (word[-1].isalpha() or word[-1] in _WORD_ENDS)
        or any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))
        or len(scripts) > 1
    )


def _script(char: str) -> str:
    if char.isascii():
        return "LATIN"
    name = unicodedata.name(char, "UNKNOWN").split()[0]
    return "CJK" if name in _CJK_SCRIPTS else name
