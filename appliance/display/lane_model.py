"""The note lane's arithmetic, without pygame: which line of notes shows, its pitch range, where
a sung pitch lands (folded to the note's octave) and which parts of the notes were hit.

A singing view carries only the last seconds of pitch, so :class:`PitchMemory` keeps what it
heard for the song (appended as frames come, reset by a seek back, a key change or a new
song): the trace and the filled parts of a long line stay until the line is over::

    notes = PartNotes.of(sheet, part=1)
    line = notes.line_at(12.3)            # LaneLine, or None after the last one
    low, high = pitch_range(line, key_semitones=2)
    memory = PitchMemory(notes, key_semitones=2, tolerance=TOLERANCE_SEMITONES[Difficulty.NORMAL])
    memory.update(view.frames)
    memory.points                        # [(time, folded midi or None, note hit or -1)]
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from appliance.core.scoring.model import NoteType, PitchFrame, ScoreNote, ScoreSheet, Tolerance

HOLD_S = 0.4  # a finished line stays this long (as on the lyrics)
MIN_SPAN = 12.0  # semitones shown at least: an octave
SEEK_BACK_S = 0.5  # a frame this much older than the last one heard: the song jumped back
FRAME_S = 0.02  # the length a single hit frame fills (frames come every 10-12 ms)
KEEP = 6000  # points kept at most (a minute at 100 frames a second)


@dataclass(frozen=True)
class LaneLine:
    """The notes of one lyric line for one part, in time order."""

    line: int
    notes: tuple[ScoreNote, ...]

    @property
    def start_s(self) -> float:
        """When its first note starts."""
        return self.notes[0].start_s

    @property
    def end_s(self) -> float:
        """When its last note ends."""
        return max(note.end_s for note in self.notes)


@dataclass(frozen=True)
class PartNotes:
    """One part's notes (part 0: everyone's; 1 or 2: that part's and the shared ones)."""

    notes: tuple[ScoreNote, ...]
    lines: tuple[LaneLine, ...]
    starts: tuple[float, ...] = ()  # each note's start, for bisecting

    @classmethod
    def of(cls, sheet: ScoreSheet, part: int) -> PartNotes:
        """The notes ``part`` sings, grouped into their lines."""
        mine = sorted(
            (note for note in sheet.notes if part == 0 or note.part in (0, part)),
            key=lambda note: note.start_s,
        )
        grouped: dict[int, list[ScoreNote]] = {}
        for note in mine:
            grouped.setdefault(note.line, []).append(note)
        lines = sorted(
            (LaneLine(line, tuple(notes)) for line, notes in grouped.items()),
            key=lambda line: line.start_s,
        )
        return cls(tuple(mine), tuple(lines), tuple(note.start_s for note in mine))

    def line_at(self, time_s: float) -> LaneLine | None:
        """The first line not finished at ``time_s`` (it stays ``HOLD_S`` after its last note)."""
        for line in self.lines:
            if line.end_s + HOLD_S > time_s:
                return line
        return None

    def nearest(self, time_s: float) -> int:
        """Index of the note sung at ``time_s``, else of the nearest one in time (-1: none)."""
        if not self.notes:
            return -1
        index = bisect.bisect_right(self.starts, time_s) - 1
        if index >= 0 and time_s < self.notes[index].end_s:
            return index
        before = index if index >= 0 else None
        after = index + 1 if index + 1 < len(self.notes) else None
        if before is None:
            return after if after is not None else -1
        if after is None:
            return before
        gap_before = time_s - self.notes[before].end_s
        return before if gap_before <= self.notes[after].start_s - time_s else after


def pitch_range(line: LaneLine, key_semitones: int) -> tuple[float, float]:
    """(lowest, highest) MIDI pitch the lane shows for ``line``: its notes at the key with a
    semitone around them, widened to an octave at least, centred on the notes.

    >>> line = LaneLine(0, (ScoreNote(0, 1, 60, 0), ScoreNote(1, 1, 64, 0)))
    >>> pitch_range(line, 2)
    (58.0, 70.0)
    """
    pitches = [note.pitch_midi + key_semitones for note in line.notes]
    low, high = min(pitches) - 1.0, max(pitches) + 1.0
    if high - low < MIN_SPAN:
        middle = (low + high) / 2
        low, high = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    return low, high


def fold(midi: float, target: float) -> float:
    """``midi`` moved by whole octaves to within half an octave of ``target``.

    >>> fold(48.2, 60), fold(71.0, 60), fold(66.0, 60)
    (60.2, 59.0, 66.0)
    """
    return midi + 12.0 * round((target - midi) / 12.0)


Point = tuple[float, float | None, int]
"""(song time, pitch folded onto the note's octave or None when unvoiced, index of the note it
hit in ``PartNotes.notes`` or -1)."""


class PitchMemory:
    """What one part's singer sang this song, folded onto the notes, and which notes it hit.
    ``generation`` changes whenever points are dropped (a seek back, or trimming), so a drawer
    that consumed points by index knows to start over."""

    _serials = itertools.count(1)

    def __init__(self, notes: PartNotes, *, key_semitones: int, tolerance: Tolerance) -> None:
        self.notes, self.key, self.tolerance = notes, key_semitones, tolerance
        self.points: list[Point] = []
        self.serial = next(self._serials)  # unlike id(), never reused by a later memory
        self.generation = 0
        self._last_s = float("-inf")

    def update(self, frames: Sequence[PitchFrame]) -> None:
        """Take the frames newer than the last one heard (in time order, as views hold them);
        the newest well before the last one heard means the song jumped back: start over."""
        if not frames:
            return
        if frames[-1].time_s < self._last_s - SEEK_BACK_S:
            self.reset()
        first = bisect.bisect_right(frames, self._last_s, key=lambda frame: frame.time_s)
        for frame in frames[first:]:
            self._add(frame.time_s, frame.midi)
        if len(self.points) > KEEP:
            del self.points[: len(self.points) // 2]
            self.generation += 1

    def reset(self) -> None:
        """Forget everything (a seek back)."""
        self.points.clear()
        self.generation += 1
        self._last_s = float("-inf")

    def _add(self, time_s: float, midi: float | None) -> None:
        self._last_s = time_s
        index = self.notes.nearest(time_s)
        if midi is None or index < 0:
            self.points.append((time_s, None, -1))
            return
        note = self.notes.notes[index]
        folded = fold(midi, note.pitch_midi + self.key)
        hit = note.start_s <= time_s < note.end_s and self._hit(note, folded)
        self.points.append((time_s, folded, index if hit else -1))

    def _hit(self, note: ScoreNote, folded: float) -> bool:
        if note.kind is NoteType.FREESTYLE:
            return False
        if note.is_rap:
            return True
        return abs(folded - (note.pitch_midi + self.key)) <= self.tolerance.full


class PartMemories:
    """Each part's notes and pitch memory, kept across frames while the sheet and key stay."""

    def __init__(self) -> None:
        self._parts: dict[int, tuple[ScoreSheet, int, Tolerance, PartNotes, PitchMemory]] = {}

    def get(
        self, sheet: ScoreSheet, part: int, key_semitones: int, tolerance: Tolerance
    ) -> tuple[PartNotes, PitchMemory]:
        """The part's notes and memory (new ones for a new sheet, key or tolerance)."""
        held = self._parts.get(part)
        if held is not None:
            old_sheet, old_key, old_tolerance, notes, memory = held
            same = old_sheet is sheet or old_sheet == sheet
            if same and old_key == key_semitones and old_tolerance == tolerance:
                self._parts[part] = (sheet, key_semitones, tolerance, notes, memory)
                return notes, memory
        notes = PartNotes.of(sheet, part)
        memory = PitchMemory(notes, key_semitones=key_semitones, tolerance=tolerance)
        self._parts[part] = (sheet, key_semitones, tolerance, notes, memory)
        return notes, memory
