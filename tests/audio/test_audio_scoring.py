"""Synthesized sung notes with vibrato through the pitch tracker and the scorer: the notes sung
score near the maximum, a semitone off scores little, an octave down scores as well, and the
engine's block sizes do not change the score."""

from __future__ import annotations

import numpy as np

from appliance.audio.dsp.pitch import PitchTracker, track_pitch
from appliance.core.scoring.model import Difficulty, PitchFrame, ScoreNote, ScoreSheet
from appliance.core.scoring.scorer import Scorer
from tests.support.sung_notes import SR, sing_notes

NOTES = [
    (0.5 + i * 0.7, 0.55, float(m)) for i, m in enumerate([55, 57, 59, 60, 62, 64, 65, 67] * 3)
]


def sheet_of(notes) -> ScoreSheet:
    score_notes = tuple(
        ScoreNote(start, duration, int(midi), line=i // 4) for i, (start, duration, midi) in
        enumerate(notes)
    )  # fmt: skip
    return ScoreSheet(score_notes, line_count=(len(notes) + 3) // 4)


def scored(audio, sheet, **options) -> int:
    scorer = Scorer(sheet, **options)
    scorer.feed(PitchFrame(t, m) for t, m in track_pitch(audio, SR))
    return scorer.finish().score


def test_sung_notes_with_vibrato_score_near_the_maximum():
    voice = sing_notes(NOTES, seconds=18.0, seed=3, vibrato_semitones=(0.3, 0.45))
    sheet = sheet_of(NOTES)
    assert scored(voice.audio, sheet) >= 9500
    assert scored(voice.audio, sheet, difficulty=Difficulty.HARD) >= 7000


def test_a_semitone_off_scores_little_and_an_octave_down_scores_full():
    sheet = sheet_of(NOTES)
    sharp = [(s, d, m + 1) for s, d, m in NOTES]
    low = [(s, d, m - 12) for s, d, m in NOTES]
    assert scored(sing_notes(sharp, seconds=18.0, seed=3).audio, sheet) <= 3000
    assert scored(sing_notes(low, seconds=18.0, seed=3).audio, sheet) >= 9000


def test_the_engine_block_size_does_not_change_the_score():
    voice = sing_notes(NOTES, seconds=18.0, seed=5).audio
    sheet = sheet_of(NOTES)
    results = set()
    for block in (64, 128, 256, 1024):
        tracker, scorer = PitchTracker(SR), Scorer(sheet)
        for start in range(0, len(voice), block):
            frames = tracker.feed(voice[start : start + block])
            scorer.feed(PitchFrame(t, m) for t, m in frames)
        results.add(scorer.finish().score)
    assert len(results) == 1


def test_live_lines_are_rated_as_they_end():
    voice = sing_notes(NOTES, seconds=18.0, seed=3).audio
    sheet = sheet_of(NOTES)
    tracker, scorer = PitchTracker(SR), Scorer(sheet)
    finished_at = []
    for start in range(0, len(voice), 4800):
        lines = scorer.feed(PitchFrame(t, m) for t, m in tracker.feed(voice[start : start + 4800]))
        finished_at += [(line.line, (start + 4800) / SR) for line in lines]
    ends = [max(n.end_s for n in sheet.notes if n.line == line) for line in range(sheet.line_count)]
    assert [line for line, _ in finished_at] == list(range(sheet.line_count))
    # each line is rated within 0.2 s of its last note's end (a block, plus the tracker's delay)
    assert np.all(np.array([t for _, t in finished_at]) - np.array(ends) < 0.2)
