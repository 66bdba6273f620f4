"""A reference melody taken from a song's guide vocal, for songs with a vocal stem but no notes
(MP3+G imported with stems, audio + LRC with a vocal stem): the same pitch tracker as the mics,
its estimates cut into notes quantized to semitones, grouped into the song's lyric lines when it
has timed lyrics (else at pauses of a second or more). Cached as JSON in the state dir
(:func:`appliance.library.formats.score_sheet.melody_path`), taken again when the guide changes::

    sheet = melody_sheet(song, state_dir)   # ScoreSheet(source=SheetSource.MELODY) or None

A note: voiced estimates in a row within 0.6 semitone of the note's running median, gaps of
up to 50 ms bridged, at least 80 ms long; its pitch is the median rounded to a semitone.
"""

from __future__ import annotations

import bisect
import os
import statistics
from pathlib import Path

import numpy as np

from appliance.audio.dsp.pitch import PitchTracker
from appliance.audio.sources.decode import open_audio
from appliance.audio.sources.locate import stem_source
from appliance.core.errors import KaraokeError
from appliance.core.models import Song, StemRole
from appliance.core.scoring.model import ScoreNote, ScoreSheet, SheetSource
from appliance.library.formats.score_sheet import (
    guide_signature,
    melody_json,
    melody_path,
    read_melody,
)
from appliance.library.formats.songfiles import load_lyrics

SPLIT_SEMITONES = 0.6
JOIN_GAP_S = 0.05
MIN_NOTE_S = 0.08
LINE_PAUSE_S = 1.0
MIN_SUNG_S = 5.0  # less melody than this: the guide is not a melody to score against
RECENT = 8  # estimates the running median looks back over

Estimates = list[tuple[float, float | None]]


def melody_sheet(song: Song, state_dir: Path) -> ScoreSheet | None:
    """The cached melody of ``song``'s guide vocal, taken now when there is none (or it is
    stale). None when the song has no guide vocal or too little melody in it."""
    signature = guide_signature(song)
    if signature is None:
        return None
    path = melody_path(state_dir, song)
    cached = read_melody(path, signature)
    if cached is not None:
        return cached
    sheet = take_melody(song)
    if sheet is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_text(melody_json(sheet, signature), encoding="utf-8")
        os.replace(partial, path)
    return sheet


def take_melody(song: Song) -> ScoreSheet | None:
    """The melody of the song's first guide vocal stem, lines from its lyrics."""
    stem = next((s for s in song.stems if s.role is StemRole.LEAD_VOCAL), None)
    if stem is None:
        return None
    estimates: Estimates = []
    with open_audio(stem_source(song, stem), song.song_id) as audio:
        tracker = PitchTracker(audio.rate)
        for block in audio.blocks():
            estimates.extend(tracker.feed(np.mean(block, axis=1)))
    try:
        starts = [line.start_s for line in load_lyrics(song).lines if line.words]
    except KaraokeError:
        starts = []
    return sheet_from_estimates(estimates, starts)


def sheet_from_estimates(estimates: Estimates, line_starts: list[float]) -> ScoreSheet | None:
    """Notes from tracker estimates, on the lines starting at ``line_starts`` (sorted; empty:
    lines break at pauses)."""
    notes = _notes(estimates)
    if sum(end - start for start, end, _ in notes) < MIN_SUNG_S:
        return None
    lines = _lines(notes, sorted(line_starts))
    numbers = {line: index for index, line in enumerate(sorted(set(lines)))}
    score_notes = tuple(
        ScoreNote(start, end - start, pitch, numbers[line])
        for (start, end, pitch), line in zip(notes, lines, strict=True)
    )
    return ScoreSheet(score_notes, len(numbers), SheetSource.MELODY)


def _notes(estimates: Estimates) -> list[tuple[float, float, int]]:
    hop = estimates[1][0] - estimates[0][0] if len(estimates) > 1 else 0.01
    notes: list[tuple[float, float, int]] = []
    times: list[float] = []
    pitches: list[float] = []

    def close() -> None:
        start, end = times[0] - hop / 2, times[-1] + hop / 2
        if end - start >= MIN_NOTE_S:
            notes.append((start, end, round(statistics.median(pitches))))
        times.clear()
        pitches.clear()

    for time_s, midi in estimates:
        if midi is None:
            continue
        if times:
            recent = statistics.median(pitches[-RECENT:])
            if time_s - times[-1] > hop + JOIN_GAP_S or abs(midi - recent) > SPLIT_SEMITONES:
                close()
        times.append(time_s)
        pitches.append(midi)
    if times:
        close()
    return notes


def _lines(notes: list[tuple[float, float, int]], line_starts: list[float]) -> list[int]:
    if line_starts:
        slack = 0.1  # a singer a little early still sings that line
        return [
            max(0, bisect.bisect_right(line_starts, start + slack) - 1) for start, _, _ in notes
        ]
    lines, line, previous_end = [], 0, None
    for start, end, _ in notes:
        if previous_end is not None and start - previous_end >= LINE_PAUSE_S:
            line += 1
        lines.append(line)
        previous_end = end
    return lines
