"""What every converter hands the batch: the song's name, and how to build its folder.

A plan is made by reading the source only (fast, and it fails early on a corrupt file); the
batch then picks the destination folder from title and artist and calls ``build(work)``, which
writes the stems and lyrics into the hidden work folder and returns the manifest fields::

    plan = ImportPlan(source=Path("a.kar"), title="Song", artist="", build=render)
    fields = plan.build(work_folder)      # {"title": ..., "stems": [...], ...}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from appliance.core.models import StemRole
from appliance.library.songfolder.manifest import SAMPLE_RATE

LYRICS_FILE = "lyrics.lrc"
NOTES_FILE = "notes.txt"

Build = Callable[[Path], Mapping[str, object]]


@dataclass(frozen=True)
class ImportPlan:
    """A song ready to convert: where it came from, its name, and its folder builder."""

    source: Path
    title: str
    artist: str
    build: Build
    kind: str = ""


def stem_entry(name: str, role: StemRole, gain_db: float = 0.0) -> dict[str, object]:
    """A ``[[stems]]`` table for ``<name>.flac``."""
    entry: dict[str, object] = {"name": name, "file": f"{name}.flac", "role": str(role)}
    if gain_db:
        entry["gain_db"] = gain_db
    return entry


def base_fields(plan_title: str, artist: str, frames: int, source: Path) -> dict[str, object]:
    """The fields every imported song has: names, length, rate and where it came from."""
    return {
        "title": plan_title,
        "artist": artist,
        "duration_s": round(frames / SAMPLE_RATE, 3),
        "sample_rate": SAMPLE_RATE,
        "x_imported_from": source.name,
    }


_LANGUAGES = {
    "english": "en", "german": "de", "deutsch": "de", "french": "fr", "spanish": "es",
    "italian": "it", "portuguese": "pt", "dutch": "nl", "polish": "pl", "swedish": "sv",
    "norwegian": "no", "danish": "da", "finnish": "fi", "russian": "ru", "czech": "cs",
    "hungarian": "hu", "croatian": "hr", "greek": "el", "turkish": "tr", "japanese": "ja",
    "chinese": "zh", "korean": "ko", "latin": "la", "slovak": "sk", "romanian": "ro",
}  # fmt: skip


def language_code(language: str) -> str:
    """An ISO 639-1 code from a code or an English language name ('' when unknown).

    >>> language_code("English"), language_code("de"), language_code("Klingon")
    ('en', 'de', '')
    """
    text = language.strip().lower()
    if len(text) == 2 and text.isalpha() and text.isascii():
        return text
    return _LANGUAGES.get(text, "")
