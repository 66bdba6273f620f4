"""The scorer: UltraStar-style points, octave folding, tolerances, key, parts, and credit that does
not depend on how often the tracker reports."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appliance.core.scoring.model import (
    MAX_SCORE,
    Difficulty,
    NoteType,
    PitchFrame,
    Rating,
    ScoreNote,
    ScoreSheet,
)
from appliance.core.scoring.scorer import Scorer

# Two lines: three notes then two (one golden); a freestyle note that earns nothing.
SHEET = ScoreSheet(
    notes=(
        ScoreNote(1.0, 0.5, 60, line=0),
        ScoreNote(1.5, 0.5, 62, line=0),
        ScoreNote(2.0, 1.0, 64, line=0),
        ScoreNote(4.0, 1.0, 65, line=1, kind=NoteType.GOLDEN),
        ScoreNote(5.0, 0.5, 67, line=1),
        ScoreNote(5.5, 0.5, 50, line=1, kind=NoteType.FREESTYLE),
    ),
    line_count=2,
)


def melody(sheet: ScoreSheet, time_s: float, shift: float = 0.0) -> float | None:
    """The pitch a perfect singer sings at ``time_s`` (None between notes)."""
    for note in sheet.notes:
        if note.start_s <= time_s < note.end_s:
            return note.pitch_midi + shift
    return None


def sing(sheet: ScoreSheet, hop_s: float, shift: float = 0.0, end_s: float = 7.0):
    """Frames half a hop off the note edges: each edge lands between two frames, where the
    scorer splits the time (a frame exactly on an edge would stand for half a hop of the wrong
    note, as a real tracker's would)."""
    count = int(end_s / hop_s)
    times = [(i + 0.5) * hop_s for i in range(count + 1)]
    return [PitchFrame(t, melody(sheet, t, shift)) for t in times]


def score(frames, sheet=SHEET, **kwargs) -> int:
    scorer = Scorer(sheet, **kwargs)
    scorer.feed(frames)
    return scorer.finish().score


@pytest.mark.parametrize("hop_s", [0.01, 0.02, 0.025, 0.05])
def test_a_perfect_singer_scores_the_maximum_at_any_hop(hop_s):
    assert score(sing(SHEET, hop_s)) == pytest.approx(MAX_SCORE, abs=2)


def test_the_maximum_is_ten_thousand_and_nothing_for_an_unscorable_sheet():
    assert Scorer(SHEET).max_score == MAX_SCORE
    free = ScoreSheet((ScoreNote(0.0, 1.0, 60, 0, kind=NoteType.FREESTYLE),), 1)
    scorer = Scorer(free)
    assert scorer.max_score == 0
    scorer.feed(sing(free, 0.02))
    assert scorer.finish().score == 0


def test_silence_scores_nothing_and_every_line_is_awful():
    scorer = Scorer(SHEET)
    scorer.feed(PitchFrame(i * 0.02, None) for i in range(400))
    result = scorer.finish()
    assert result.score == 0
    assert [line.rating for line in result.lines] == [Rating.AWFUL, Rating.AWFUL]


def test_octaves_are_folded():
    for shift in (-24, -12, 12):
        assert score(sing(SHEET, 0.02, shift)) > 0.98 * MAX_SCORE


def test_tolerance_by_difficulty():
    # 0.75 semitone sharp: half credit at normal, full at easy, none at hard.
    normal = score(sing(SHEET, 0.01, 0.75))
    assert normal == pytest.approx(MAX_SCORE / 2, rel=0.03)
    assert score(sing(SHEET, 0.01, 0.75), difficulty=Difficulty.EASY) > 0.99 * MAX_SCORE
    assert score(sing(SHEET, 0.01, 0.75), difficulty=Difficulty.HARD) == 0
    assert score(sing(SHEET, 0.01, 1.0)) == 0  # one semitone off: nothing at normal
    assert score(sing(SHEET, 0.01, 0.4)) > 0.99 * MAX_SCORE


def test_the_notes_follow_the_key():
    assert score(sing(SHEET, 0.02, 2.0), key_semitones=2) > 0.99 * MAX_SCORE
    assert score(sing(SHEET, 0.02, 0.0), key_semitones=2) == 0


def test_golden_notes_are_worth_double():
    # Sing only the golden note (1 s, weight 2) of 3.5 weighted... seconds: 2 of 4.5 weighted.
    frames = [PitchFrame(t / 100, 65.0 if 4.0 <= t / 100 < 5.0 else None) for t in range(700)]
    scorer = Scorer(SHEET)
    scorer.feed(frames)
    result = scorer.finish()
    notes = 9000 * 2.0 / 4.5
    line_two = result.lines[1]
    line_max_notes = 9000 * 2.5 / 4.5
    bonus = 500 * notes / line_max_notes
    assert line_two.points == pytest.approx(notes + bonus, rel=0.01)
    assert result.score == pytest.approx(notes + bonus, rel=0.01)


def test_rap_notes_take_any_voiced_sound():
    rap = ScoreSheet((ScoreNote(0.0, 1.0, 60, 0, kind=NoteType.RAP),), 1)
    frames = [PitchFrame(i / 50, 43.3) for i in range(-2, 53)]
    assert score(frames, rap) == MAX_SCORE
    assert score([PitchFrame(i / 50, None) for i in range(-2, 53)], rap) == 0


def test_lines_finish_when_a_frame_passes_their_last_note():
    scorer = Scorer(SHEET)
    assert scorer.feed(sing(SHEET, 0.02, end_s=2.97)) == []
    finished = scorer.feed([PitchFrame(3.01, None)])
    assert [line.line for line in finished] == [0]
    assert finished[0].rating is Rating.PERFECT
    assert finished[0].max_points == pytest.approx(9000 * 2 / 4.5 + 500)
    assert scorer.running_score() == pytest.approx(9000 * 2 / 4.5 + 500, abs=30)
    assert scorer.feed([PitchFrame(3.5, None)]) == []  # not reported twice
    result = scorer.finish()
    assert [line.line for line in result.lines] == [0, 1]
    assert result.lines[1].points == 0


def test_frames_out_of_order_and_after_a_stall_earn_nothing_extra():
    scorer = Scorer(SHEET)
    scorer.feed([PitchFrame(0.99, 60.0), PitchFrame(0.5, 60.0), PitchFrame(3.0, 64.0)])
    # 0.99 -> 3.0 is a stall: each frame stands for MAX_HOLD_S only.
    assert scorer.finish().score < 250


def test_duet_parts_are_scored_apart():
    duet = ScoreSheet(
        (
            ScoreNote(0.0, 1.0, 60, 0, part=1),
            ScoreNote(1.0, 1.0, 55, 1, part=2),
            ScoreNote(2.0, 1.0, 64, 2, part=0),
        ),
        3,
    )
    one = [PitchFrame(i / 50, 60.0 if i < 50 else 64.0) for i in range(160)]
    assert score(one, duet, part=1) > 0.98 * MAX_SCORE
    assert score(one, duet, part=2) < 0.51 * MAX_SCORE
    assert [line.line for line in _finished(duet, one, part=2)] == [1, 2]
    solo = ScoreSheet(tuple(n for n in SHEET.notes), 2)
    assert score(sing(solo, 0.02), solo, part=0) > 0.99 * MAX_SCORE


def _finished(sheet, frames, part):
    scorer = Scorer(sheet, part=part)
    scorer.feed(frames)
    return scorer.finish().lines


def test_line_maxima_add_up_to_the_maximum():
    result = Scorer(SHEET).finish()
    assert sum(line.max_points for line in result.lines) == pytest.approx(MAX_SCORE)
    assert result.score == 0


@settings(max_examples=60, deadline=None)
@given(
    hop_a=st.floats(0.01, 0.05),
    hop_b=st.floats(0.01, 0.05),
    shift=st.floats(-1.2, 1.2),
    vibrato=st.floats(0.0, 0.6),
)
def test_credit_does_not_depend_on_the_frame_rate(hop_a, hop_b, shift, vibrato):
    def frames(hop):
        out = []
        for i in range(int(7.0 / hop) + 1):
            t = (i + 0.5) * hop
            base = melody(SHEET, t, shift)
            wobble = vibrato * math.sin(2 * math.pi * 5.5 * t)
            out.append(PitchFrame(t, None if base is None else base + wobble))
        return out

    a, b = score(frames(hop_a)), score(frames(hop_b))
    assert abs(a - b) <= 0.02 * MAX_SCORE + 150  # note edges land within half a hop


@settings(max_examples=60, deadline=None)
@given(
    pitches=st.lists(st.one_of(st.none(), st.floats(30.0, 90.0)), min_size=1, max_size=400),
    hop=st.floats(0.005, 0.08),
    key=st.integers(-6, 6),
    difficulty=st.sampled_from(list(Difficulty)),
)
def test_scores_stay_within_bounds_and_only_grow(pitches, hop, key, difficulty):
    scorer = Scorer(SHEET, difficulty=difficulty, key_semitones=key)
    running = 0
    for i, midi in enumerate(pitches):
        scorer.feed([PitchFrame(i * hop, midi)])
        now = scorer.running_score()
        assert running <= now <= MAX_SCORE
        running = now
    result = scorer.finish()
    assert 0 <= result.score <= result.max_score == MAX_SCORE
    for line in result.lines:
        assert 0 <= line.points <= line.max_points + 1e-6
        assert line.rating is Rating.for_fraction(line.points / line.max_points)
