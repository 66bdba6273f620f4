"""A song's score sheet: its UltraStar notes (native songs' ``notes.txt``, UltraStar songs, KAR
songs imported with their melody; a KAR played in place, its melody channel's notes at its
syllables, :mod:`.kar_melody`) as the scorer's :class:`ScoreSheet`; for a song with a guide
vocal but no notes, the melody taken from the guide (``appliance/audio/melody.py``), cached as
JSON under the state dir (``melodies/SONG_ID.json``) with the guide's size and time.

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
import json
import os
from pathlib import Path

from appliance.core.models import Song, StemRole
from appliance.core.scoring.model import NoteType, ScoreNote, ScoreSheet, SheetSource
from appliance.library.formats.kar import MAX_FILE_BYTES, parse_kar
from appliance.library.formats.kar_melody import kar_note_track
from appliance.library.formats.lyrics import Note, NoteTrack
from appliance.library.formats.midifile import load_midi
from appliance.library.formats.mp3g import MEMBER_SCHEME
from appliance.library.formats.songfiles import load_notes, song_file_path
from appliance.library.songfolder.bounded import read_bounded

KAR_EXTENSIONS = (".kar", ".mid", ".midi")
BOTH_PARTS = 3
"""UltraStar's P3: a duet's lines for both singers."""
MELODY_FOLDER = "melodies"
"""Under the state dir: melodies taken from guide vocals, one JSON file per song."""


def load_score_sheet(song: Song, state_dir: Path | None = None) -> ScoreSheet | None:
    """The notes ``song`` is scored against: its written notes, else (with ``state_dir``) the
    melody taken from its guide vocal when one is cached for the guide as it is now. None when
    it has neither (or no note worth points). A corrupt notes file raises
    :class:`SongFormatError` as its reader does."""
    track = load_notes(song) or _kar_notes(song)
    if track is not None and track.notes:
        sheet = sheet_from_notes(track)
        return sheet if sheet.is_scorable else None
    if state_dir is None:
        return None
    return read_melody(melody_path(state_dir, song), guide_signature(song))


def _kar_notes(song: Song) -> NoteTrack | None:
    """A KAR played in place: its melody channel's notes at its syllables."""
    if not song.lyrics_file.lower().endswith(KAR_EXTENSIONS):
        return None
    path = song_file_path(song, song.lyrics_file)
    data = read_bounded(path, MAX_FILE_BYTES, "a MIDI file")
    return kar_note_track(load_midi(data, path), parse_kar(data, path).lyrics)


def melody_path(state_dir: Path, song: Song) -> Path:
    """Where the melody taken from ``song``'s guide vocal is cached."""
    return state_dir / MELODY_FOLDER / f"{song.song_id}.json"


def guide_signature(song: Song) -> str | None:
    """The guide vocal stems' names, sizes and times (None: the song has no guide vocal, or it
    is gone): a cached melody is used only while this is unchanged."""
    parts = []
    for stem in song.stems:
        if stem.role is not StemRole.LEAD_VOCAL:
            continue
        inside_zip = stem.file.startswith(MEMBER_SCHEME)
        path = song.path if inside_zip else song_file_path(song, stem.file)
        try:
            info = os.stat(path)
        except OSError:
            return None
        parts.append(f"{stem.file}:{info.st_size}:{info.st_mtime_ns}")
    return "|".join(parts) or None


def melody_json(sheet: ScoreSheet, signature: str) -> str:
    """A melody sheet as the cache keeps it."""
    notes = [[n.start_s, n.duration_s, n.pitch_midi, n.line] for n in sheet.notes]
    data = {"format": 1, "guide": signature, "line_count": sheet.line_count, "notes": notes}
    return json.dumps(data, separators=(",", ":"))


def read_melody(path: Path, signature: str | None) -> ScoreSheet | None:
    """The cached melody at ``path`` if it was taken from the guide with ``signature`` (None
    when missing, stale or unreadable: it is taken again)."""
    if signature is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("guide") != signature or data.get("format") != 1:
            return None
        notes = tuple(
            ScoreNote(float(start), float(duration), int(pitch), int(line))
            for start, duration, pitch, line in data["notes"]
        )
        sheet = ScoreSheet(notes, int(data["line_count"]), SheetSource.MELODY)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
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
