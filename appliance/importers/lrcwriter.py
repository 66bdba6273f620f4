"""Timed lyrics as enhanced LRC text, with millisecond tags, so they read back unchanged.

Each word starts at its tag; a word that ends before the next one starts gets a closing tag of
its own (a tag with no text after it ends the word before it)::

    >>> from appliance.library.formats.lyrics import LyricLine, Lyrics, Word
    >>> line = LyricLine((Word("Twin", 1.0, 1.5), Word("kle ", 1.5, 2.0), Word("star", 3.0, 3.5)))
    >>> print(lrc_text(Lyrics((line,), title="Twinkle", artist="")), end="")
    [ti:Twinkle]
    [00:01.000]<00:01.000>Twin<00:01.500>kle <00:02.000><00:03.000>star<00:03.500>
"""

from __future__ import annotations

from appliance.library.formats.lyrics import LyricLine, Lyrics

GAP_S = 0.0005
_DUET_MARKS = {1: "M: ", 2: "F: "}


def lrc_time(seconds: float) -> str:
    """``mm:ss.xxx`` (minutes may pass 99)."""
    millis = max(0, round(seconds * 1000))
    return f"{millis // 60000:02d}:{millis % 60000 // 1000:02d}.{millis % 1000:03d}"


def lrc_line(line: LyricLine, *, duet: bool = False) -> str:
    """One line: its start tag, then a tag before each word and after the last one. In a
    ``duet`` every line is marked with its part (``M:``, ``F:``, ``D:`` for both)."""
    if not line.words:
        return f"[{lrc_time(line.at_s)}]"
    pieces = [f"[{lrc_time(line.start_s)}]"]
    if duet:
        pieces.append(_DUET_MARKS.get(line.part, "D: "))
    for index, word in enumerate(line.words):
        pieces.append(f"<{lrc_time(word.start_s)}>{_clean(word.text)}")
        following = line.words[index + 1] if index + 1 < len(line.words) else None
        if following is None or word.end_s < following.start_s - GAP_S:
            pieces.append(f"<{lrc_time(word.end_s)}>")
    return "".join(pieces)


def lrc_text(lyrics: Lyrics) -> str:
    """The whole file: ``[ti:]`` and ``[ar:]`` when known, then every line in time order."""
    head = [
        f"[{tag}:{_clean(value)}]" for tag, value in (("ti", lyrics.title), ("ar", lyrics.artist))
    ]
    duet = any(line.part for line in lyrics.lines)
    ordered = sorted(lyrics.lines, key=lambda item: item.start_s)
    lines = [lrc_line(line, duet=duet) for line in ordered]
    return "\n".join([text for text in head if not text.endswith(":]")] + lines) + "\n"


def _clean(text: str) -> str:
    """No line breaks and no '<' (which could be read as a word tag) inside a line."""
    return text.replace("\r", " ").replace("\n", " ").replace("<", "‹")
