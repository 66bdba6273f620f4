"""One song's scoring while it is sung: a scorer per part, the frames kept for the TV, the
views the TV reads.

A solo sheet is scored on mic 1 (part 0); a duet sheet (notes of parts 1 and 2) has one
scorer per part, part 1 fed by mic 1 and part 2 by mic 2. A phone that listens (mic 3+,
:mod:`.phones`) gets a scorer of its own for the part it sings (:meth:`ScoringSession.listen`);
a part heard on both a mic and a phone counts the better of the two. Frames of a mic nobody
assigned are not scored. The scorers keep the key the song started in; after a key change
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
    voiced_s: float = -1.0  # the song time of the last voiced frame (-1: none yet)


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
        self._difficulty, self._make = difficulty, make
        self._phones: dict[int, _Part] = {}  # mic 3+ -> its own scorer of the part it sings
        self.views: tuple[SingingView, ...] = ()

    def listen(self, mic: int, part: int) -> None:
        """Score frames of ``mic`` (3+, a phone) for ``part`` (0 solo, 1 or 2 in a duet) from now
        on, on a scorer of its own (at most one per phone mic; the first part asked keeps it)."""
        if mic < 3 or mic in self._phones or part not in self._parts:
            return
        scorer = self._make(self.sheet, self._difficulty, self.start_key, part)
        self._phones[mic] = _Part(part, scorer, deque(maxlen=MAX_FRAMES_PER_PART), [])

    def set_key(self, key_semitones: int) -> None:
        """The singer's key changed mid-song: the notes follow from the next frame on."""
        self.key = key_semitones
        self._publish()

    def seeked(self) -> None:
        """The song jumped: the pitch drawn so far belongs to another place."""
        for part in self._sources():
            part.frames.clear()
        self._publish()

    def feed(self, frames: Iterable[PitchFrame]) -> list[LineScore]:
        """Score ``frames``; returns the lines newly finished (for the TV's ratings)."""
        by_mic: dict[int, list[PitchFrame]] = {}
        for frame in frames:
            by_mic.setdefault(frame.mic, []).append(frame)
        finished: list[LineScore] = []
        shift = self.start_key - self.key
        for mic, heard in by_mic.items():
            part = self._part_for(mic)
            if part is None:
                continue
            part.frames.extend(heard)
            part.heard += len(heard)
            part.voiced_s = max(
                (f.time_s for f in heard if f.midi is not None), default=part.voiced_s
            )
            moved = heard if not shift else [_moved(frame, shift) for frame in heard]
            lines = part.scorer.feed(moved)
            part.lines.extend(lines)
            finished.extend(lines)
        if by_mic:
            self._publish()
        return finished

    def results(self) -> list[SongScore]:
        """Each part's result, for the parts someone sang into (none: nobody was heard); a
        part heard on a mic and a phone gets the better of the two."""
        best: dict[int, SongScore] = {}
        for source in self._sources():
            if source.heard:
                result = replace(source.scorer.finish(), part=source.part)
                if source.part not in best or result.score > best[source.part].score:
                    best[source.part] = result
        return [best[part] for part in self._parts if part in best]

    def _sources(self) -> list[_Part]:
        return [*self._parts.values(), *self._phones.values()]

    def _part_for(self, mic: int) -> _Part | None:
        if mic >= 3:
            return self._phones.get(mic)
        for part in self._parts.values():
            if mic_of(part.part) == mic:
                return part
        return None

    def _publish(self) -> None:
        views = []
        for part in self._shown():
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

    def _shown(self) -> list[_Part]:
        """For each part, the source that heard a voice last (a mic or a phone; a mic that hears
        nobody beside a phone that hears the singer shows the phone): one pitch trace a part."""
        shown: dict[int, _Part] = {}
        for source in self._sources():
            if not source.heard or not source.frames:
                continue
            other = shown.get(source.part)
            if other is None or _recency(source) > _recency(other):
                shown[source.part] = source
        return [shown[part] for part in self._parts if part in shown]


def _recency(source: _Part) -> tuple[float, float]:
    return source.voiced_s, source.frames[-1].time_s


def _moved(frame: PitchFrame, semitones: int) -> PitchFrame:
    return frame if frame.midi is None else replace(frame, midi=frame.midi + semitones)
