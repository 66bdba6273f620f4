"""The scoring vocabulary shared by the trackers (adapters), the scorer and the screens.

Times are song seconds (source time, before any tempo change), as everywhere in the core, so a
frame heard at tempo 0.8 is stamped with the song position heard then. Pitches are MIDI numbers
as floats (60.0 = C4, 60.5 = a quarter-tone sharp)::

    >>> tolerance = TOLERANCE_SEMITONES[Difficulty.NORMAL]
    >>> tolerance.full, tolerance.none
    (0.5, 1.0)
    >>> note = ScoreNote(start_s=1.0, duration_s=0.5, pitch_midi=60, line=0)
    >>> note.end_s, note.beat_weight
    (1.5, 1)
    >>> Rating.for_fraction(0.97).label
    'Perfect!'
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

MAX_NOTE_POINTS = 9000
"""What all the notes of a song are worth together (UltraStar's split)."""
MAX_LINE_BONUS = 1000
"""What the line bonus is worth over the whole song."""
MAX_SCORE = MAX_NOTE_POINTS + MAX_LINE_BONUS


class Difficulty(enum.StrEnum):
    """How close to a note counts as hitting it (the host's night setting)."""

    EASY = "easy"
    NORMAL = "normal"
    HARD = "hard"


@dataclass(frozen=True)
class Tolerance:
    """Full credit within ``full`` semitones (octave folded), none beyond ``none``, linear
    between."""

    full: float
    none: float


TOLERANCE_SEMITONES = {
    Difficulty.EASY: Tolerance(full=1.0, none=2.0),
    Difficulty.NORMAL: Tolerance(full=0.5, none=1.0),
    Difficulty.HARD: Tolerance(full=0.25, none=0.5),
}


class NoteType(enum.StrEnum):
    """UltraStar's note types. Freestyle is never scored; rap counts any voiced sound."""

    NORMAL = "normal"
    GOLDEN = "golden"
    FREESTYLE = "freestyle"
    RAP = "rap"
    GOLDEN_RAP = "golden_rap"


_WEIGHT = {
    NoteType.NORMAL: 1,
    NoteType.GOLDEN: 2,
    NoteType.FREESTYLE: 0,
    NoteType.RAP: 1,
    NoteType.GOLDEN_RAP: 2,
}


@dataclass(frozen=True)
class ScoreNote:
    """A note to sing: when, how long, which pitch (at key 0), its type, part and lyric line."""

    start_s: float
    duration_s: float
    pitch_midi: int
    line: int
    kind: NoteType = NoteType.NORMAL
    part: int = 0  # 0 for everyone, 1 or 2 for duet parts (scored on mic 1 and mic 2)
    text: str = ""

    @property
    def end_s(self) -> float:
        """When the note ends."""
        return self.start_s + self.duration_s

    @property
    def beat_weight(self) -> int:
        """Points per second of this note relative to a normal one (golden: 2, freestyle: 0)."""
        return _WEIGHT[self.kind]

    @property
    def is_rap(self) -> bool:
        """Scored on any voiced sound, whatever its pitch."""
        return self.kind in (NoteType.RAP, NoteType.GOLDEN_RAP)


class SheetSource(enum.StrEnum):
    """Where a sheet's notes come from (the TV and phone say so)."""

    NOTES = "notes"  # written notes: UltraStar, KAR, the demo songs
    MELODY = "melody"  # taken from the guide vocal offline


@dataclass(frozen=True)
class ScoreSheet:
    """The notes of one song in time order, and how many lyric lines they make."""

    notes: tuple[ScoreNote, ...]
    line_count: int
    source: SheetSource = SheetSource.NOTES

    @property
    def is_scorable(self) -> bool:
        """True when some note is worth points."""
        return any(note.beat_weight for note in self.notes)


@dataclass(frozen=True)
class PitchFrame:
    """What a tracker heard at one instant: ``midi`` None when nothing voiced was heard.

    ``time_s`` is the song position the singer heard when they sang it (the source's latency
    already taken off); ``mic`` is 1 or 2 for the box's microphones, 3+ for phones.
    """

    time_s: float
    midi: float | None
    mic: int = 1


class Rating(enum.Enum):
    """The word a line earns on the TV, by the share of its points the singer got."""

    PERFECT = ("Perfect!", 0.95)
    GREAT = ("Great!", 0.8)
    GOOD = ("Good", 0.6)
    OK = ("OK", 0.4)
    POOR = ("Poor", 0.2)
    AWFUL = ("Awful", 0.0)

    def __init__(self, label: str, at_least: float) -> None:
        self.label, self.at_least = label, at_least

    @classmethod
    def for_fraction(cls, fraction: float) -> Rating:
        """The best rating whose threshold ``fraction`` reaches."""
        for rating in cls:
            if fraction >= rating.at_least:
                return rating
        return cls.AWFUL


@dataclass(frozen=True)
class LineScore:
    """One finished lyric line: the points it earned and could have earned, and its rating."""

    line: int
    part: int
    points: float
    max_points: float
    rating: Rating


@dataclass(frozen=True)
class SongScore:
    """A whole song's result: ``score`` out of ``max_score`` (10000 when every note counts)."""

    score: int
    max_score: int
    lines: tuple[LineScore, ...]
    part: int = 0


@dataclass(frozen=True)
class SingingView:
    """What the TV draws while a scored song plays: the notes (at key 0: shift them by
    ``key_semitones``), the pitch heard in the last few seconds, the lines rated so far and the
    running score. One per part in a duet (``part`` 1 or 2), else ``part`` 0."""

    sheet: ScoreSheet
    key_semitones: int
    frames: tuple[PitchFrame, ...]
    lines: tuple[LineScore, ...]
    score: int
    max_score: int
    part: int = 0


@dataclass(frozen=True)
class FinalScore:
    """A sung song's result, for the TV after the song, the singer's phone and the night's
    leaderboard. ``best_before`` is the singer's best on this song before tonight's (None: first
    time)."""

    singer_name: str
    song_id: str
    song_label: str
    score: int
    max_score: int
    ratings: tuple[str, ...]  # each line's rating label, in order
    best_before: int | None = None
    part: int = 0
