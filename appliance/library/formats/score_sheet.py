"""A song's score sheet: its UltraStar notes (native songs' ``notes.txt``, UltraStar songs, KAR
songs imported with their melody) as the scorer's :class:`ScoreSheet`.

Lines are the phrases between UltraStar's line breaks (each duet part breaks its own lines),
numbered in the order they start, as the lyrics show them; note kinds and duet parts are kept
(UltraStar's ``P3``, both singers, becomes part 0: everyone)::

    >>> from appliance.library.formats.lyrics import Note, NoteKind, NoteTrack
    >>> track = NoteTrack(notes=(Note(0.0, 0.5, 60, "la"), Note(1.0, 0.5, 62, "di",
    ...     NoteKind.GOLDEN)), line_breaks_s=(0.8,))
    >>> sheet = sheet_from_notes(track)
    >>> [(n.line, n.pitch_midi, n.kind.value) for n in sheet.notes], sheet.line_count
    ([(0, 60, 'normal'), (1, 62, 'golden')], 2)
"""

from __future__ import annotations

import bisect

from appliance.core.models import Song
from appliance.core.scoring.model import NoteType, ScoreNote, ScoreSheet
from appliance.library.formats.lyrics import Note, NoteTrack
from appliance.library.formats.songfiles import load_notes

BOTH_PARTS = 3
"""UltraStar's P3: a duet's lines for both singers."""


def load_score_sheet(song: Song) -> ScoreSheet | None:
    """The notes ``song`` is scored against, or None when it has no notes with pitch (or none
    worth points). A corrupt notes file raises :class:`SongFormatError` as its reader does."""
    track = load_notes(song)
    if track is None or not track.notes:
        return None
    sheet = sheet_from_notes(track)
    return sheet if sheet.is_scorable else None


def sheet_from_notes(track: NoteTrack) -> ScoreSheet:
    """The sheet of a note track: each note on its phrase's line."""
    keyed = [(_line_key(track, note), note) for note in track.notes]
    starts: dict[tuple[int, int], float] = {}
    for key, note in keyed:
        starts[key] = min(starts.get(key, note.start_s), note.start_s)
    order = sorted(starts, key=lambda key: (starts[key], key))
    numbers = {key: index for index, key in enumerate(order)}
    notes = sorted(
        (_score_note(note, numbers[key]) for key, note in keyed),
        key=lambda n: (n.start_s, n.part),
    )
    return ScoreSheet(notes=tuple(notes), line_count=len(order))


def _line_key(track: NoteTrack, note: Note) -> tuple[int, int]:
    breaks = track.breaks_for_part(note.part)
    return note.part, bisect.bisect_right(breaks, note.start_s)


def _score_note(note: Note, line: int) -> ScoreNote:
    return ScoreNote(
        start_s=note.start_s,
        duration_s=note.duration_s,
        pitch_midi=note.pitch_midi,
        line=line,
        kind=NoteType(note.kind.value),
        part=0 if note.part == BOTH_PARTS else note.part,
        text=note.text,
    )
