"""A song scored as a singer sings it: a virtual singer (tests/support/mic_rig.py) sings the
song's notes into mic 1 on JACK's real-time clock while the engine plays the band; the pitch
frames the engine reports go through the core's real scorer. The first line is sung on pitch,
the second a semitone sharp: the first rates high, the second low, and the whole song lands
between, as a person's would."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from appliance.core.models import MixSettings
from appliance.core.scoring.model import PitchFrame, Rating, ScoreNote, ScoreSheet
from appliance.core.scoring.scorer import Scorer
from tests.support.audio_songs import make_song, music
from tests.support.mic_rig import MicRig, sung_note

RATE = 48_000
LOW_LATENCY = 512 / RATE
# (start s, length s, MIDI, line): line 0 sung on pitch, line 1 a semitone sharp
NOTES = ((1.0, 0.9, 57, 0), (2.0, 0.9, 60, 0), (3.0, 1.4, 62, 0),
         (5.0, 0.9, 64, 1), (6.0, 0.9, 62, 1), (7.0, 1.4, 60, 1))  # fmt: skip
SHEET = ScoreSheet(tuple(ScoreNote(s, d, p, line) for s, d, p, line in NOTES), line_count=2)


def _singing(from_song_s: float) -> np.ndarray:
    """The voice from song time ``from_song_s`` on: each note sung (line 1 a semitone sharp)."""
    voice = np.zeros(int((9.0 - from_song_s) * RATE), np.float32)
    for start, length, pitch, line in NOTES:
        hz = 440.0 * 2 ** ((pitch + line - 69) / 12)
        note = sung_note(length, hz, level=0.3)
        at = int((start - from_song_s) * RATE)
        voice[at : at + len(note)] = note
    return voice


def test_a_song_sung_into_the_mic_is_scored_line_by_line(
    mic_rig: Callable[[int], MicRig], tmp_path: Path, margin: Callable[..., None]
) -> None:
    song = make_song(tmp_path / "band", {"band": ("other", music(9.5, level=0.1))})
    rig = mic_rig(256)
    client = rig.start(mics=("voice",), blocksize=256, routing="stereo", latency_s=LOW_LATENCY)
    client.play(song, MixSettings())  # type: ignore[arg-type]
    deadline = time.monotonic() + 5
    while client.position_s() < 0.3 and time.monotonic() < deadline:
        time.sleep(0.005)
    rig.voice.play(_singing(client.position_s()), mic=1)  # the singer starts where they hear
    assert rig.listener.wait(15), "the song did not end"
    frames = sorted(
        (f for f in rig.listener.pitch if isinstance(f, PitchFrame) and f.mic == 1),
        key=lambda frame: frame.time_s,
    )
    scorer = Scorer(SHEET)
    lines = scorer.feed(frames)
    result = scorer.finish()
    rated = {line.line: line for line in (*lines, *result.lines)}
    on_pitch, sharp = rated[0], rated[1]
    margin("line sung on pitch", on_pitch.points / on_pitch.max_points, ">", 0.85, "of its max")
    margin("line a semitone sharp", sharp.points / sharp.max_points, "<", 0.3, "of its max")
    assert on_pitch.rating in (Rating.PERFECT, Rating.GREAT), on_pitch
    margin("the song", result.score / result.max_score, ">", 0.4, "of the max")
    margin("the song", result.score / result.max_score, "<", 0.7, "of the max")
