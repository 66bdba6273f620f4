"""What a KAR text event is: a sung syllable, a chord name, a credit, a marker or a header tag.

KAR writers put more than lyrics into text events: chord names for guitarists ("Asus4", "D/F#",
"Cmaj7", often in the lyric track itself), credits ("(C) 1996 ...", "Sequenced by ..."),
section markers ("[Chorus]") and Soft Karaoke's ``@`` header tags. Only syllables are sung::

    >>> kind_of("Asus4"), kind_of("D/F#"), kind_of("(c) 1996 Acme Music"), kind_of("[Chorus]")
    ('chord', 'chord', 'credit', 'marker')
    >>> kind_of("@TMy Song"), kind_of("/Hel"), kind_of("A ")
    ('tag', 'syllable', 'syllable')

A bare "A", "C" or "Em" is a chord only in a track that also holds unmistakable chords
(``chord_evidence``): "A " with its space, or "/A", is the article at the start of a line.
Track names are titles only when they are not credits or generic names (:func:`is_title_like`).
"""

from __future__ import annotations

import re

from appliance.library.formats.songnames import parse_song_name

SYLLABLE, CHORD, CREDIT, MARKER, TAG = "syllable", "chord", "credit", "marker", "tag"
MIN_CHORD_EVIDENCE = 2

_ROOT = r"[A-G](?:#|b|♯|♭)?"
_QUALITY = r"(?:maj|min|dim|aug|sus|add|m|M|\+|-|°|ø)?"
_EXTENSION = r"(?:\d{1,2}|sus[24]?|add\d{1,2}|maj\d{1,2}|dim\d?|aug|[#b]\d{1,2}|\(.{1,6}\))*"
CHORD_SHAPE = re.compile(
    rf"[\[(]?\s*{_ROOT} ?{_QUALITY}{_EXTENSION}(?:\s*/\s*{_ROOT})?\s*[\])]?|N\.?C\.?"
)
_CHORD_SEQUENCE = re.compile(rf"(?:{CHORD_SHAPE.pattern})(?:\s+(?:{CHORD_SHAPE.pattern}))*")
_PLAIN_CHORD = re.compile(r"[A-G]m?")  # also an English word or syllable: needs evidence
_CREDIT = re.compile(
    r"(copyright|\(c\)|©|all rights reserved|sequenced|sequence by|seq\.|arranged by|"
    r"created by|transcribed|programmed by|karaoke (?:file|by|version by)|midi (?:file|by)|"
    r"www\.|https?://|e-?mail|\.com\b|\.net\b|\.org\b|@\w+\.\w)",
    re.IGNORECASE,
)
_MARKER = re.compile(r"\s*[\[{<][^\]}>]*[\]}>]\s*")
_GENERIC_NAMES = re.compile(
    r"(untitled|track\s*\d*|words|lyrics?|melody|vocals?|voice|karaoke|soft karaoke|kar|midi|"
    r"sequence|tempo|conductor|general midi|gm|gs|xg|setup|reset|intro|\d+|-+)",
    re.IGNORECASE,
)


def kind_of(text: str, *, chord_evidence: bool = False) -> str:
    """The kind of one text event's (decoded) text."""
    if text.startswith("@") and len(text) >= 2:
        return TAG
    stripped = text.strip().strip("/\\").strip()
    if text.startswith("%") or (stripped and _MARKER.fullmatch(stripped)):
        return MARKER
    if stripped and is_credit(stripped):
        return CREDIT
    bare = text == stripped and not text.startswith(("/", "\\"))
    plain_chord = chord_evidence and bare and _PLAIN_CHORD.fullmatch(stripped)
    if stripped and (is_clear_chord(stripped) or plain_chord):
        return CHORD
    return SYLLABLE  # a bare break marker or a space too: it shapes the lines


def is_clear_chord(text: str) -> bool:
    """A chord name (or a few, space separated) that no lyric syllable looks like: a sharp or
    flat, a slash bass, a number, sus/maj/dim/aug/add, or brackets around it."""
    text = text.strip()
    if not _CHORD_SEQUENCE.fullmatch(text):
        return False
    if _PLAIN_CHORD.fullmatch(text):
        return False
    if text.startswith("N"):
        return True  # N.C.: no chord
    return bool(re.search(r"[#♯♭/\d\[(]|sus|maj|min|dim|aug|add|[A-G]b", text)) or " " in text


def chord_evidence(texts: list[str]) -> bool:
    """True when a track holds at least two unmistakable chord names."""
    return sum(1 for text in texts if is_clear_chord(text.strip())) >= MIN_CHORD_EVIDENCE


def is_credit(text: str) -> bool:
    """A copyright line, a sequencer's credit, an address: never a title, never sung."""
    return bool(_CREDIT.search(text))


def is_title_like(name: str) -> bool:
    """A track name that may be the song's title: not a credit, not a generic name."""
    name = name.strip()
    return bool(name) and not is_credit(name) and not _GENERIC_NAMES.fullmatch(name)


def title_and_artist(tag_title: str, tag_artist: str, file_stem: str) -> tuple[str, str]:
    """A KAR's title and artist: its ``@T`` tags (or title-like track name) first, then the file
    name ("Artist - Title.kar"; "Title - Artist.kar" when the title names the song), never a
    credit::

        >>> title_and_artist("", "", "ABBA - Waterloo")
        ('Waterloo', 'ABBA')
        >>> title_and_artist("Waterloo", "", "ABBA - Waterloo (karaoke)")
        ('Waterloo', 'ABBA')
        >>> title_and_artist("Waterloo", "", "Waterloo - ABBA")
        ('Waterloo', 'ABBA')
        >>> title_and_artist("Waterloo", "ABBA", "track01")
        ('Waterloo', 'ABBA')
    """
    named = parse_song_name(file_stem)
    title = tag_title or named.title or file_stem
    artist = tag_artist
    if not artist and named.artist and not named.artist.isdigit():
        same_title = _same(named.artist, title) and not _same(named.title, title)
        artist = named.title if same_title else named.artist
    if is_credit(artist):
        artist = ""
    return title, artist


def _same(first: str, second: str) -> bool:
    return first.casefold().strip() == second.casefold().strip()
