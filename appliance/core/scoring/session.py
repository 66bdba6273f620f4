"""One song's scoring while it is sung: a scorer per part, the frames kept for the TV, the
views the TV reads.

A solo sheet is scored on mic 1 (part 0); a duet sheet (notes of parts 1 and 2) has one
scorer per part, part 1 fed by mic 1 and part 2 by mic 2. Frames of other mics are not scored
(phones, mic 3+, come later). The scorers keep the key the song started in; after a key change
the frames are moved back by the difference, which scores exactly the same (the scorer folds
octaves and compares semitones) and keeps every point already earned.

:meth:`ScoringSession.feed` runs on the core's thread; :attr:`ScoringSession.views` is an
immutable tuple replaced after each feed, so the TV reads it at 60 fps without any lock.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Protocol

from appliance.core.scoring.model import (
    Difficulty,
    LineScore,
    PitchFrame,
    ScoreSheet,
    SingingView,
    SongScore,
)

FRAMES_KEPT_S = 8.0
"""How much of the heard pitch the TV gets (the note lane's width, and some)."""
MAX_FRAMES_PER_PART = 4000
"""A bound on the frames kept, whatever a tracker sends (8 s at 500 frames a second)."""


class ScorerLike(Protocol):
    """The scorer as the session uses it (:class:`appliance.core.scoring.scorer.Scorer`)."""

    max_score: int

    def feed(self, frames: Iterable[PitchFrame]) -> list[LineScore]:
        """Score frames; returns the lines newly finished."""

    def running_score(self) -> int:
        """Points so far."""

    def finish(self) -> SongScore:
        """The whole song's result."""


ScorerFactory = Callable[[ScoreSheet, Difficulty, int, int], ScorerLike]
"""Makes a scorer: (sheet, difficulty, key_semitones, part)."""


def real_scorer(sheet: ScoreSheet, difficulty: Difficulty, key: int, part: int) -> ScorerLike:
    """The project's scorer."""
    from appliance.core.scoring.scorer import Scorer

    return Scorer(sheet, difficulty=difficulty, key_semitones=key, part=part)


def parts_of(sheet: ScoreSheet) -> tuple[int, ...]:
    """(1, 2) for a duet sheet, else (0,)."""
    parts = {note.part for note in sheet.notes if note.beat_weight}
    return (1, 2) if parts >= {1, 2} else (0,)


def mic_of(part: int) -> int:
    """The mic that sings ``part``: part 2 on mic 2, the rest on mic 1."""
    return 2 if part == 2 else 1


@dataclass
class _Part:
    part: int
    scorer: ScorerLike
    frames: deque[PitchFrame]
    lines: list[LineScore]
    heard: int = 0  # frames fed so far (0: nobody sang into this part's mic)


class ScoringSession:
    """The scorers of the song being sung."""

    def __init__(
        self, sheet: ScoreSheet, difficulty: Difficulty, key_semitones: int, make: ScorerFactory
    ) -> None:
        self.sheet, self.start_key, self.key = sheet, key_semitones, key_semitones
        self._parts = {
            part: _Part(
                part,
                make(sheet, difficulty, key_semitones, part),
                deque(maxlen=MAX_FRAMES_PER_PART),
                [],
            )
            for part in parts_of(sheet)
        }
        self.views: tuple[SingingView, ...] = ()

    def set_key(self, key_semitones: int) -> None:
        """The singer's key changed mid-song: the notes follow from the next frame on."""
        self.key = key_semitones
        self._publish()

    def seeked(self) -> None:
        """The song jumped: the pitch drawn so far belongs to another place."""
        for part in self._parts.values():
            part.frames.clear()
        self._publish()

    def feed(self, frames: Iterable[PitchFrame]) -> list[LineScore]:
        """Score ``frames``; returns the lines newly finished (for the TV's ratings)."""
        by_part: dict[int, list[PitchFrame]] = {}
        for frame in frames:
            part = self._part_for(frame.mic)
            if part is not None:
                by_part.setdefault(part.part, []).append(frame)
        finished: list[LineScore] = []
        shift = self.start_key - self.key
        for number, heard in by_part.items():
            part = self._parts[number]
            part.frames.extend(heard)
            part.heard += len(heard)
            moved = heard if not shift else [_moved(frame, shift) for frame in heard]
            lines = part.scorer.feed(moved)
            part.lines.extend(lines)
            finished.extend(lines)
        if by_part:
            self._publish()
        return finished

    def results(self) -> list[SongScore]:
        """Each part's result, for the parts someone sang into (none: nobody was heard)."""
        return [replace(p.scorer.finish(), part=p.part) for p in self._parts.values() if p.heard]

    def _part_for(self, mic: int) -> _Part | None:
        for part in self._parts.values():
            if mic_of(part.part) == mic:
                return part
        return None

    def _publish(self) -> None:
        views = []
        for part in self._parts.values():
            if not part.heard or not part.frames:
                continue
            latest = part.frames[-1].time_s
            while part.frames and part.frames[0].time_s < latest - FRAMES_KEPT_S:
                part.frames.popleft()
            views.append(
                SingingView(
                    sheet=self.sheet,
                    key_semitones=self.key,
                    frames=tuple(part.frames),
                    lines=tuple(part.lines),
                    score=part.scorer.running_score(),
                    max_score=part.scorer.max_score,
                    part=part.part,
                )
            )
        self.views = tuple(views)


def _moved(frame: PitchFrame, semitones: int) -> PitchFrame:
    return frame if frame.midi is None else replace(frame, midi=frame.midi + semitones)
