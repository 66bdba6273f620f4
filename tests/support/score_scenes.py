"""Scoring data for the TV's tests and screenshots: Amazing Grace's notes on the words of
``display_scenes.GRACE_WORDS`` (the tune's real pitches), a duet of it, a sung pitch with
vibrato (on the notes, an octave down, or off them), and finished results."""

from __future__ import annotations

import dataclasses
import math

from appliance.core.scoring.model import (
    FinalScore,
    LineScore,
    NoteType,
    PitchFrame,
    Rating,
    ScoreNote,
    ScoreSheet,
    SingingView,
)
from appliance.display.score_show import ScoreShow
from appliance.library.formats.lyrics import LyricLine, Lyrics
from tests.support.display_scenes import GRACE_WORDS, grace_lyrics

PITCHES = (
    (62, 67, 71, 71, 69, 67, 64, 62),
    (62, 67, 71, 67, 71, 69),
    (71, 74, 71, 74, 71, 67, 62, 64),
    (62, 67, 71, 67, 69, 67),
    (62, 67, 71, 67, 71, 69, 67, 64),
)
KINDS = {(0, 3): NoteType.GOLDEN, (1, 5): NoteType.GOLDEN, (2, 3): NoteType.RAP,
         (3, 5): NoteType.FREESTYLE}  # fmt: skip


def grace_sheet(duet: bool = False) -> ScoreSheet:
    """A note per word (pitch at key 0); golden 'grace,' and 'me', a rap 'lost,' and a
    freestyle 'see'. In the duet part 1 sings lines 0, 2 and 4, part 2 lines 1 and 3."""
    notes = []
    for line, timed in enumerate(GRACE_WORDS):
        for n in range(0, len(timed) - 1, 2):
            word = n // 2
            notes.append(
                ScoreNote(
                    start_s=timed[n],
                    duration_s=timed[n + 2] - timed[n] - 0.05,
                    pitch_midi=PITCHES[line][word],
                    line=line,
                    kind=KINDS.get((line, word), NoteType.NORMAL),
                    part=(1 + line % 2) if duet else 0,
                    text=timed[n + 1],
                )
            )
    return ScoreSheet(tuple(notes), line_count=len(GRACE_WORDS))


def duet_lyrics() -> Lyrics:
    """The lyrics with lines sung by parts 1 and 2 in turn."""
    lyrics = grace_lyrics()
    sung = [n for n, line in enumerate(lyrics.lines) if line.words]
    parts = {index: 1 + order % 2 for order, index in enumerate(sung)}
    lines = tuple(
        LyricLine(line.words, parts.get(n, 0), line.at_s) for n, line in enumerate(lyrics.lines)
    )
    return dataclasses.replace(lyrics, lines=lines)


def sung(
    sheet: ScoreSheet,
    *,
    until_s: float,
    offset: float = 0.0,
    part: int = 0,
    mic: int = 1,
    step_s: float = 0.01,
    since_s: float = 0.0,
) -> tuple[PitchFrame, ...]:
    """Pitch frames of a voice singing the notes ``offset`` semitones off (-12: an octave
    down) with a 5.5 Hz vibrato of a fifth of a semitone, silent between notes."""
    notes = [note for note in sheet.notes if part == 0 or note.part in (0, part)]
    frames = []
    steps = int((until_s - since_s) / step_s)
    for n in range(steps + 1):
        time_s = since_s + n * step_s
        note = next((note for note in notes if note.start_s <= time_s < note.end_s), None)
        midi = None
        if note is not None and time_s > note.start_s + 0.03:
            midi = note.pitch_midi + offset + 0.2 * math.sin(2 * math.pi * 5.5 * time_s)
        frames.append(PitchFrame(time_s, midi, mic))
    return tuple(frames)


def rated(sheet: ScoreSheet, until_s: float, part: int = 0) -> tuple[LineScore, ...]:
    """Line scores for the lines of ``part`` finished by ``until_s`` (ratings cycling)."""
    ratings = (Rating.GREAT, Rating.PERFECT, Rating.GOOD, Rating.OK, Rating.POOR)
    done = []
    for line in range(sheet.line_count):
        notes = [n for n in sheet.notes if n.line == line and (part == 0 or n.part in (0, part))]
        if notes and max(n.end_s for n in notes) <= until_s:
            rating = ratings[line % len(ratings)]
            done.append(LineScore(line, part, 100 * rating.at_least, 100.0, rating))
    return tuple(done)


def view(
    sheet: ScoreSheet,
    at_s: float,
    *,
    offset: float = 0.0,
    part: int = 0,
    key: int = 0,
    score: int = 4520,
) -> SingingView:
    """A singing view at ``at_s`` of a voice ``offset`` semitones off since the song began."""
    frames = sung(sheet, until_s=at_s, offset=offset + key, part=part, mic=max(1, part))
    return SingingView(sheet, key, frames, rated(sheet, at_s, part), score, 10000, part)


def result(
    score: int = 8450,
    best_before: int | None = 7900,
    name: str = "Ada",
    label: str = "Amazing Grace · John Newton",
) -> FinalScore:
    """A finished song's result."""
    ratings = ("Great!", "Perfect!", "Good", "Perfect!", "Great!", "OK", "Perfect!", "Poor")
    return FinalScore(name, "grace", label, score, 10000, ratings, best_before)


LEADERS = (
    result(9120, None, "Beatriz", "Cielito Lindo"),
    result(8450, 7900, "Ada"),
    result(7310, None, "Yūko", "Sakura Sakura"),
    result(6875, None, "Marcus", "Greensleeves"),
    result(5020, None, "Olek", "Kalinka"),
    result(3300, None, "Tom", "Scarborough Fair"),
)


def showing(*views: SingingView, notes_on: bool = True) -> ScoreShow:
    """What the frame carries while these views play."""
    return ScoreShow(views=views, notes_on=notes_on)
