"""The scorer: pitch frames in, UltraStar-style points out (pure Python, the core's rule).

9000 points go to the notes, each note's share by its length times its weight (golden 2,
freestyle 0); 1000 go to the line bonus, shared equally by the lines that hold scorable notes
and earned in proportion to how well each line was sung. A frame earns credit for the time it
covers (half the gap to each neighbour, at most :data:`MAX_HOLD_S` either side), so the score
does not depend on how often a tracker reports::

    >>> sheet = ScoreSheet(notes=(ScoreNote(0.0, 1.0, 60, line=0),), line_count=1)
    >>> scorer = Scorer(sheet)
    >>> lines = scorer.feed(PitchFrame(i / 100, 72.2) for i in range(-5, 106))  # an octave up
    >>> [(line.line, round(line.points), line.rating.label) for line in lines]
    [(0, 10000, 'Perfect!')]
    >>> scorer.finish().score
    10000
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from appliance.core.scoring.model import (
    MAX_LINE_BONUS,
    MAX_NOTE_POINTS,
    TOLERANCE_SEMITONES,
    Difficulty,
    LineScore,
    PitchFrame,
    Rating,
    ScoreNote,
    ScoreSheet,
    SongScore,
    Tolerance,
)

MAX_HOLD_S = 0.05
"""How long either side of its instant a frame may stand for (frames further apart than twice
this leave the time between them unsung: a tracker that stalled sang nothing)."""


def pitch_credit(midi: float | None, note: ScoreNote, target: float, tolerance: Tolerance) -> float:
    """How much of ``note`` a frame at ``midi`` earns, 0..1: rap notes any voiced sound,
    others by the octave-folded distance to ``target`` (full within ``tolerance.full``
    semitones, nothing from ``tolerance.none``, linear between)::

        >>> note, normal = ScoreNote(0.0, 1.0, 60, 0), TOLERANCE_SEMITONES[Difficulty.NORMAL]
        >>> [pitch_credit(m, note, 60.0, normal) for m in (60.4, 47.9, 60.75, 61.0, None)]
        [1.0, 1.0, 0.5, 0.0, 0.0]
    """
    if midi is None:
        return 0.0
    if note.is_rap:
        return 1.0
    distance = abs((midi - target + 6.0) % 12.0 - 6.0)
    if distance <= tolerance.full:
        return 1.0
    if distance >= tolerance.none:
        return 0.0
    return (tolerance.none - distance) / (tolerance.none - tolerance.full)


def notes_for_part(sheet: ScoreSheet, part: int) -> tuple[ScoreNote, ...]:
    """The notes a singer of ``part`` sings: part 0 takes the notes for everyone (all of them
    when the sheet has no duet parts), part 1 or 2 takes its own and the ones for everyone."""
    wanted = {0, part}
    return tuple(sorted((n for n in sheet.notes if n.part in wanted), key=lambda n: n.start_s))


@dataclass
class _Line:
    """One lyric line's bookkeeping while it is sung."""

    line: int
    end_s: float
    note_max: float
    bonus_max: float
    note_points: float = 0.0
    result: LineScore | None = None

    def close(self, part: int) -> LineScore:
        """Its final score: the notes' points plus the bonus earned by their accuracy."""
        if self.result is None:
            accuracy = min(1.0, self.note_points / self.note_max) if self.note_max else 0.0
            points = self.note_points + self.bonus_max * accuracy
            maximum = self.note_max + self.bonus_max
            rating = Rating.for_fraction(points / maximum if maximum else 0.0)
            self.result = LineScore(self.line, part, points, maximum, rating)
        return self.result


class Scorer:
    """Scores one singer (one part) of one song, fed frames in time order."""

    def __init__(
        self,
        sheet: ScoreSheet,
        difficulty: Difficulty = Difficulty.NORMAL,
        key_semitones: int = 0,
        part: int = 0,
    ) -> None:
        self.part = part
        self._tolerance = TOLERANCE_SEMITONES[Difficulty(difficulty)]
        self._key = key_semitones
        scored = tuple(n for n in notes_for_part(sheet, part) if n.beat_weight and n.duration_s > 0)
        self._notes = scored
        total = sum(n.duration_s * n.beat_weight for n in scored)
        self._rate = MAX_NOTE_POINTS / total if total else 0.0  # points per weighted second
        self._lines = self._make_lines(scored)
        self._pending = sorted(self._lines.values(), key=lambda line: line.end_s)
        self.max_score: int = MAX_NOTE_POINTS + MAX_LINE_BONUS if scored else 0
        self._first = 0  # notes before this index ended before the time credited so far
        self._last: PitchFrame | None = None
        self._hold = 0.0  # how long the last frame stands for after its instant
        self._started = False
        self._finished: SongScore | None = None

    def _make_lines(self, notes: tuple[ScoreNote, ...]) -> dict[int, _Line]:
        lines: dict[int, _Line] = {}
        for note in notes:
            line = lines.setdefault(note.line, _Line(note.line, note.end_s, 0.0, 0.0))
            line.end_s = max(line.end_s, note.end_s)
            line.note_max += note.duration_s * note.beat_weight * self._rate
        for line in lines.values():
            line.bonus_max = MAX_LINE_BONUS / len(lines)
        return lines

    def feed(self, frames: Iterable[PitchFrame]) -> list[LineScore]:
        """Credit ``frames`` (in time order; a frame not later than the last is ignored) and
        return the lines they finished: those whose last note ended before the newest frame."""
        if self._finished is not None:
            return []
        for frame in frames:
            self._take(frame)
        if self._last is None:
            return []
        return self._close_until(self._last.time_s)

    def _take(self, frame: PitchFrame) -> None:
        last = self._last
        if last is not None and frame.time_s <= last.time_s:
            return
        if last is not None:
            hold = min((frame.time_s - last.time_s) / 2.0, MAX_HOLD_S)
            if not self._started:  # the very first frame also stands for the time before it
                self._credit(last.time_s - hold, last.time_s, last.midi)
                self._started = True
            self._credit(last.time_s, last.time_s + hold, last.midi)
            self._credit(frame.time_s - hold, frame.time_s, frame.midi)
            self._hold = hold
        self._last = frame

    def _credit(self, start: float, end: float, midi: float | None) -> None:
        """Give every note overlapping [start, end) its share of that time at ``midi``."""
        if midi is None or end <= start:
            return
        notes = self._notes
        while self._first < len(notes) and notes[self._first].end_s <= start:
            self._first += 1
        index = self._first
        while index < len(notes) and notes[index].start_s < end:
            note = notes[index]
            index += 1
            overlap = min(end, note.end_s) - max(start, note.start_s)
            if overlap <= 0:
                continue
            credit = pitch_credit(midi, note, note.pitch_midi + self._key, self._tolerance)
            if credit:
                line = self._lines[note.line]
                line.note_points += overlap * note.beat_weight * self._rate * credit

    def _close_until(self, time_s: float) -> list[LineScore]:
        closed = []
        while self._pending and self._pending[0].end_s < time_s:
            closed.append(self._pending.pop(0).close(self.part))
        return closed

    def running_score(self) -> int:
        """Points so far: every note's credit, and the bonus of the lines already finished."""
        total = 0.0
        for line in self._lines.values():
            total += line.result.points if line.result else line.note_points
        return round(total)

    def finish(self) -> SongScore:
        """Close every line (a line never sung scores 0) and give the song's score."""
        if self._finished is None:
            last = self._last
            if last is not None:
                if not self._started:
                    self._credit(last.time_s - MAX_HOLD_S / 2, last.time_s, last.midi)
                hold = self._hold if self._started else MAX_HOLD_S / 2
                self._credit(last.time_s, last.time_s + hold, last.midi)
            lines = tuple(
                line.close(self.part) for line in sorted(self._lines.values(), key=_line_key)
            )
            score = round(sum(line.points for line in lines))
            self._finished = SongScore(min(score, self.max_score), self.max_score, lines, self.part)
        return self._finished


def _line_key(line: _Line) -> int:
    return line.line
