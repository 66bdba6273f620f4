"""What the TV knows about scoring in one frame: the live views of a scored song, the last
result, the night's leaderboard and the host's choice of notes and lyrics or lyrics only.

The frame loop asks the core for the singing views each frame while a song plays (they carry
the pitch heard in the last seconds); the rest comes with the snapshot. ``ScoreClock`` notes
when a new result appeared, so the score screen shows for a few seconds after a song::

    clock = ScoreClock()
    show = score_show_of(snapshot, core.singing_views(), clock.age(snapshot.final_score, now))
    show.lane_on          # a scored song plays and the host wants the notes on the TV
    show.score_screen_on  # a result appeared less than SCORE_SCREEN_S ago
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.core.scoring.model import (
    MAX_SCORE,
    Difficulty,
    FinalScore,
    ScoreSheet,
    SingingView,
)
from appliance.core.snapshot import Snapshot

SCORE_SCREEN_S = 8.0
"""How long the score screen shows after a song (then the up-next or idle scene)."""


@dataclass(frozen=True)
class ScoreShow:
    """Scoring as one frame draws it. ``views``: one per part of the song being scored (empty:
    nothing is scored); ``final``: the last result and ``final_age_s`` how long ago it
    appeared (None: never); ``leaderboard``: the night's best, empty when the host hides it;
    ``notes_on``: the host's ``tv_notes`` (False: lyrics only); ``no_score``: why the song
    playing has no score ('' when it has one, or when nobody sings into a mic)."""

    views: tuple[SingingView, ...] = ()
    final: FinalScore | None = None
    final_age_s: float | None = None
    leaderboard: tuple[FinalScore, ...] = ()
    notes_on: bool = True
    no_score: str = ""
    difficulty: Difficulty = Difficulty.NORMAL

    @property
    def lane_on(self) -> bool:
        """True when the note lane shows (over the lyrics scene)."""
        return self.notes_on and any(view.sheet.notes for view in self.views)

    @property
    def score_screen_on(self) -> bool:
        """True while the last result is fresh enough to fill the screen between songs."""
        return (
            self.final is not None
            and self.final_age_s is not None
            and 0.0 <= self.final_age_s < SCORE_SCREEN_S
        )


class ScoreClock:
    """When each new result first appeared (monotonic seconds), to age it.

    >>> clock = ScoreClock()
    >>> clock.age(None, 5.0) is None
    True
    >>> result = FinalScore("Ada", "grace", "Amazing Grace", 8000, 10000, ("Good",))
    >>> clock.age(result, 10.0), clock.age(result, 12.5)
    (0.0, 2.5)
    """

    def __init__(self) -> None:
        self._final: FinalScore | None = None
        self._since = 0.0

    def age(self, final: FinalScore | None, now_s: float) -> float | None:
        """Seconds since ``final`` was first seen (None when there is no result)."""
        if final is None:
            self._final = None
            return None
        if final != self._final:
            self._final, self._since = final, now_s
        return now_s - self._since


def score_show_of(
    snapshot: Snapshot, views: tuple[SingingView, ...], final_age_s: float | None
) -> ScoreShow:
    """The scoring a frame draws, from the snapshot and the core's singing views."""
    settings = snapshot.settings
    difficulty = settings.score_difficulty
    return ScoreShow(
        views=views,
        final=snapshot.final_score,
        final_age_s=final_age_s,
        leaderboard=snapshot.leaderboard,
        notes_on=settings.tv_notes,
        no_score=snapshot.no_score_reason if snapshot.mics else "",  # no mic: nothing to say
        difficulty=Difficulty(difficulty) if difficulty in set(Difficulty) else Difficulty.NORMAL,
    )


def sheet_views(sheet: ScoreSheet) -> tuple[SingingView, ...]:
    """Views of ``sheet`` before anyone sang: one per duet part (part 0 for a solo song).

    >>> from appliance.core.scoring.model import ScoreNote
    >>> sheet = ScoreSheet((ScoreNote(0, 1, 60, 0, part=1), ScoreNote(1, 1, 62, 1, part=2)), 2)
    >>> [view.part for view in sheet_views(sheet)]
    [1, 2]
    """
    parts = sorted({note.part for note in sheet.notes} - {0}) or [0]
    return tuple(SingingView(sheet, 0, (), (), 0, MAX_SCORE, part) for part in parts)
