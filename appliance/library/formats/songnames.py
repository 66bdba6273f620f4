"""Title, artist and disc id from karaoke file names, with configurable patterns.

MP3+G vendors put the metadata in the file name. A pattern names the fields between ``" - "``
separators; the first pattern that fits wins (a ``{discid}`` field must look like a disc id:
vendor letters and digits such as ``SC8125-05``)::

    >>> parse_song_name("SC8125-05 - Beatles, The - Let It Be")
    SongName(title='Let It Be', artist='The Beatles', disc_id='SC8125-05')
    >>> parse_song_name("Queen_-_Bohemian_Rhapsody")
    SongName(title='Bohemian Rhapsody', artist='Queen', disc_id='')
    >>> parse_song_name("Yesterday - Beatles", ("{title} - {artist}",))
    SongName(title='Yesterday', artist='Beatles', disc_id='')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_NAME_PATTERNS = (
    "{discid} - {artist} - {title}",
    "{discid} - {title} - {artist}",
    "{artist} - {title}",
    "{title}",
)
FIELDS = ("discid", "artist", "title", "ignore")

_DISC_ID = re.compile(r"[A-Za-z]{1,6}[ _-]?\d{3,7}(?:[ _.-]+\d{1,3})?[A-Za-z]?")
_SEPARATOR = re.compile(r"\s+-\s+|\s*[-–]{2,}\s*|\s+–\s+")
_ARTICLE_LAST = re.compile(r"^(.+),\s*(The|A|An|Die|Der|Das|Les|Le|La|Los|Las|El|Il)$", re.I)
_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class SongName:
    """What a file name says about its song; empty strings where it says nothing."""

    title: str
    artist: str = ""
    disc_id: str = ""


def check_patterns(patterns: tuple[str, ...]) -> list[str]:
    """Problems with configured patterns (unknown fields, no title), for the config loader."""
    problems = []
    for pattern in patterns:
        fields = _FIELD.findall(pattern)
        unknown = [name for name in fields if name not in FIELDS]
        if unknown:
            problems.append(f"{pattern!r}: unknown field {{{unknown[0]}}}; use {FIELDS}")
        if "title" not in fields:
            problems.append(f"{pattern!r}: needs a {{title}} field")
    return problems


def parse_song_name(stem: str, patterns: tuple[str, ...] = DEFAULT_NAME_PATTERNS) -> SongName:
    """The first pattern that fits ``stem`` (a file name without its extension).

    The last field of a pattern takes any extra parts: 'A - B - Live' is artist 'A', title
    'B - Live' under '{artist} - {title}'.
    """
    parts = split_name(stem)
    for pattern in patterns:
        fields = _FIELD.findall(pattern)
        if not fields or len(fields) > len(parts):
            continue
        head = parts[: len(fields) - 1]
        values = dict(zip(fields, [*head, " - ".join(parts[len(fields) - 1 :])], strict=True))
        if "discid" in values and not _DISC_ID.fullmatch(values["discid"]):
            continue
        if not values.get("title"):
            continue
        return SongName(
            title=values["title"],
            artist=_article_first(values.get("artist", "")),
            disc_id=values.get("discid", ""),
        )
    return SongName(title=" - ".join(parts) or stem.strip())


def split_name(stem: str) -> list[str]:
    """The parts of a name between ' - ' separators, underscores read as spaces."""
    text = stem.replace("_", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return [part.strip() for part in _SEPARATOR.split(text) if part.strip()]


def _article_first(artist: str) -> str:
    """'Beatles, The' -> 'The Beatles'."""
    match = _ARTICLE_LAST.match(artist)
    return f"{match.group(2)} {match.group(1)}" if match else artist
