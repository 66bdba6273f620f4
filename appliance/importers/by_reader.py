"""Each scanner reader's importer, or the stated reason its songs play in place.

``karaoke import`` finds songs with the library's own readers (the registry,
``appliance/library/scanning/registry.py``); the reader that found a song picks what happens to
it, here and nowhere else::

    reader (appliance/library/formats/) importer (appliance/importers/)
    KarReader           foreign.py      kar.py        MIDI -> FluidSynth stems + enhanced LRC
    UltraStarReader     foreign.py      ultrastar.py  audio stems + notes.txt
    LrcAudioReader      foreign.py      lrc_audio.py  a mix stem + enhanced LRC
    Mp3gReader          foreign.py      plays in place (the CD+G graphics need the original files)
    NativeFolderReader  native.py       plays in place (already a native song folder)
    VideoReader         video.py        plays in place (the lyrics are in the picture)

A reader in neither table cannot be imported: tests/importers/test_importers_by_reader.py
fails until a new reader gets an importer or a reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from appliance.importers.kar import plan_kar
from appliance.importers.lrc_audio import plan_lrc_audio
from appliance.importers.plan import ImportPlan
from appliance.importers.report import Status
from appliance.importers.ultrastar import plan_ultrastar
from appliance.library.formats.foreign import KarReader, LrcAudioReader, Mp3gReader, UltraStarReader
from appliance.library.formats.native import NativeFolderReader
from appliance.library.formats.songreader import SongCandidate, SongReader
from appliance.library.formats.video import VideoReader

Importer = Callable[[SongCandidate, "Path | None"], ImportPlan]
"""``importer(candidate, soundfont)``: read the source and plan its native folder."""


@dataclass(frozen=True)
class PlaysInPlace:
    """Why the songs of a reader are not converted, and the status their import reports."""

    status: Status
    reason: str


def _kar(candidate: SongCandidate, soundfont: Path | None) -> ImportPlan:
    return plan_kar(Path(candidate.path), soundfont)


def _ultrastar(candidate: SongCandidate, _soundfont: Path | None) -> ImportPlan:
    return plan_ultrastar(Path(candidate.path), candidate.library_root)


def _lrc_audio(candidate: SongCandidate, _soundfont: Path | None) -> ImportPlan:
    audio, lrc = candidate.files
    return plan_lrc_audio(Path(audio), Path(lrc))


MP3G_REASON = (
    "MP3+G is indexed in place, not converted (the CD+G graphics need the original files); "
    "`karaoke scan` on its folder makes it playable"
)

VIDEO_REASON = (
    "a karaoke video is indexed in place, not converted (its lyrics are in the picture); "
    "`karaoke scan` on its folder makes it playable"
)

IMPORTERS: Mapping[type, Importer] = MappingProxyType(
    {KarReader: _kar, UltraStarReader: _ultrastar, LrcAudioReader: _lrc_audio}
)
PLAYS_IN_PLACE: Mapping[type, PlaysInPlace] = MappingProxyType(
    {
        Mp3gReader: PlaysInPlace(Status.IN_PLACE, MP3G_REASON),
        VideoReader: PlaysInPlace(Status.IN_PLACE, VIDEO_REASON),
        NativeFolderReader: PlaysInPlace(Status.EXISTS, "already a native song folder"),
    }
)


def importer_for(reader: SongReader) -> Importer | PlaysInPlace | None:
    """The importer of a reader's songs, why they play in place, or None for a reader in
    neither table (a subclass of a listed reader counts as that reader)."""
    for kind in type(reader).__mro__:
        if kind in IMPORTERS:
            return IMPORTERS[kind]
        if kind in PLAYS_IN_PLACE:
            return PLAYS_IN_PLACE[kind]
    return None
