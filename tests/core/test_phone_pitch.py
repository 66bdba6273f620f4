"""A phone that listens (issue 15): its batches checked at the core's boundary, stamped in song
seconds from the latency the page measured, and scored like a mic for the singer whose song is
on (mic 3; a duet's phone sings part 2 unless it names part 1); nobody else's phone counts."""

from __future__ import annotations

import math

import pytest

from appliance.core.errors import Conflict, InvalidRequest, PermissionDenied
from appliance.core.scoring.model import MAX_SCORE, PitchFrame, ScoreNote, ScoreSheet
from appliance.core.scoring.phones import MAX_FRAMES, PhoneBatch
from appliance.core.scoring.session import ScoringSession, real_scorer
from appliance.core.service import Actor
from appliance.core.store import Store
from tests.support.cores import Rig, build_rig
from tests.support.cores import join_and_queue as queue

HOST = Actor.host()
SHEET = ScoreSheet(
    notes=(
        ScoreNote(1.0, 1.0, 60, 0),
        ScoreNote(2.0, 1.0, 62, 0),
        ScoreNote(4.0, 1.0, 64, 1),
        ScoreNote(5.0, 1.0, 65, 1),
    ),
    line_count=2,
)
DUET = ScoreSheet(
    notes=(ScoreNote(1.0, 1.0, 60, 0, part=1), ScoreNote(2.0, 1.0, 67, 1, part=2)), line_count=2
)


def sheets(song):  # type: ignore[no-untyped-def]
    return {"song-1": SHEET, "song-2": DUET}.get(song.song_id)


@pytest.fixture
def rig() -> Rig:
    return build_rig(Store.open_memory(), sheets=sheets)


def pitch_at(sheet: ScoreSheet, song_s: float, part: int = 0) -> float | None:
    for note in sheet.notes:
        if note.start_s <= song_s < note.end_s and part in (0, note.part):
            return float(note.pitch_midi)
    return None


def sing_through_phone(
    rig: Rig, singer: int, sheet: ScoreSheet, *, real_ms: float, told_ms: float, shift: float = 0.0,
    part: int = 0, until_s: float = 6.5,
) -> None:  # fmt: skip
    """The singer sings ``sheet`` on time; the phone hears each 10 ms frame and its request
    reaches the box ``real_ms`` after the sound, while the page says ``told_ms`` (one way +
    input); a batch every 150 ms of the box's clock, with each frame's age."""
    tempo = rig.player.settings.tempo_ratio
    sung_s, sent_s = 0.0, 0.0
    while sent_s < until_s:
        rig.clock.advance(0.15 / tempo)
        position = rig.player.position_s()
        frames = []
        while sung_s <= position - tempo * real_ms / 1000.0:
            age_ms = (position - sung_s) / tempo * 1000.0 - real_ms
            midi = pitch_at(sheet, sung_s, part)
            frames.append([round(age_ms, 3), None if midi is None else midi + shift])
            sung_s += 0.01
        sent_s = position
        if frames:
            batch = {"frames": frames, "one_way_ms": told_ms / 2, "input_ms": told_ms / 2}
            rig.core.phone_pitch(singer, PhoneBatch.from_dict(batch))


def final(rig: Rig) -> int:
    rig.finish_song()
    result = rig.core.snapshot().final_score
    assert result is not None
    return result.score


# --- the batch at the boundary ------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], "body"),
        ({"frames": []}, "frames"),
        ({"frames": [[10, 60]] * 2}, "frames"),  # not oldest first
        ({"frames": [[i, 60] for i in range(MAX_FRAMES + 1, 0, -1)]}, "frames"),
        ({"frames": [[10, math.nan]]}, "frames"),
        ({"frames": [[math.inf, 60]]}, "frames"),
        ({"frames": [[-1, 60]]}, "frames"),
        ({"frames": [[5000, 60]]}, "frames"),
        ({"frames": [[10, 500]]}, "frames"),
        ({"frames": [[10, "A4"]]}, "frames"),
        ({"frames": [[10, True]]}, "frames"),
        ({"frames": [[10]]}, "frames"),
        ({"frames": [{"age": 10}]}, "frames"),
        ({"frames": [[10, 60]], "one_way_ms": 1e9}, "one_way_ms"),
        ({"frames": [[10, 60]], "input_ms": "fast"}, "input_ms"),
        ({"frames": [[10, 60]], "nudge_ms": math.nan}, "nudge_ms"),
        ({"frames": [[10, 60]], "part": 3}, "part"),
        ({"frames": [[10, 60]], "part": True}, "part"),
        ({"frames": [[10, 60]], "audio": "AAAA"}, "audio"),
    ],
)
def test_malformed_batches_are_refused_with_their_field(body, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidRequest) as refused:
        PhoneBatch.from_dict(body)
    assert refused.value.field == field


def test_frames_are_stamped_in_song_seconds_at_the_songs_tempo() -> None:
    batch = PhoneBatch.from_dict(
        {"frames": [[300, 60], [200, None], [100, 61.5]], "one_way_ms": 20, "input_ms": 30,
         "nudge_ms": 50}
    )  # fmt: skip
    frames = batch.stamped(position_s=10.0, tempo_ratio=0.8, mic=3)
    assert [round(f.time_s, 6) for f in frames] == [9.68, 9.76, 9.84]
    assert [f.midi for f in frames] == [60.0, None, 61.5] and {f.mic for f in frames} == {3}
    assert batch.stamped(position_s=0.19, tempo_ratio=1.0, mic=3) == ()  # before the song
    ahead = PhoneBatch.from_dict({"frames": [[0, 60]], "nudge_ms": -1000})
    assert [f.time_s for f in ahead.stamped(5.0, 1.0, mic=3)] == [5.0]  # never after now


# --- the session: a phone's own scorer, the better source counts --------------------------


def test_a_part_heard_on_a_mic_and_a_phone_counts_the_better() -> None:
    session = ScoringSession(SHEET, "normal", 0, real_scorer)  # type: ignore[arg-type]
    session.listen(3, 0)
    times = [i / 100 for i in range(50, 650)]
    for start in range(0, len(times), 15):  # both in turn, as their batches come
        batch = times[start : start + 15]
        session.feed([PitchFrame(t, pitch_at(SHEET, t), 3) for t in batch])
        session.feed([PitchFrame(t + 0.001, None, 1) for t in batch])  # the mic hears nobody
        shown = [{f.mic for f in view.frames} for view in session.views]
        assert shown == ([{3}] if batch[-1] >= 1.0 else [{1}])  # the phone, once it hears a voice
    [result] = session.results()
    assert result.score >= 0.99 * MAX_SCORE and result.part == 0
    session.feed([PitchFrame(9.0, None, 4)])  # a mic nobody listens on: not scored
    assert len(session.results()) == 1


# --- through the core -----------------------------------------------------------------------


def test_a_song_sung_into_the_singers_phone_is_scored(rig: Rig) -> None:
    ada = queue(rig, "Ada", 1).singer_id
    rig.core.start_next_now(HOST)
    sing_through_phone(rig, ada, SHEET, real_ms=180.0, told_ms=180.0)
    views = rig.core.singing_views()
    assert views and {f.mic for f in views[0].frames} == {3}
    assert final(rig) >= 0.97 * MAX_SCORE


def test_the_measured_latency_is_what_puts_the_frames_on_the_notes(rig: Rig) -> None:
    ada = queue(rig, "Ada", 1).singer_id
    queue(rig, "Ada", 1)
    rig.core.start_next_now(HOST)
    sing_through_phone(rig, ada, SHEET, real_ms=400.0, told_ms=400.0)
    on_time = final(rig)
    rig.core.start_next_now(HOST)
    sing_through_phone(rig, ada, SHEET, real_ms=400.0, told_ms=0.0)  # latency not taken off
    late = final(rig)
    assert on_time >= 0.97 * MAX_SCORE and late < 0.8 * on_time


def test_at_tempo_0_8_the_frames_land_on_the_notes(rig: Rig) -> None:
    ada = queue(rig, "Ada", 1, tempo_ratio=0.8).singer_id
    rig.core.start_next_now(HOST)
    sing_through_phone(rig, ada, SHEET, real_ms=250.0, told_ms=250.0)
    assert final(rig) >= 0.97 * MAX_SCORE


def test_a_semitone_off_through_the_phone_scores_low(rig: Rig) -> None:
    ada = queue(rig, "Ada", 1).singer_id
    rig.core.start_next_now(HOST)
    sing_through_phone(rig, ada, SHEET, real_ms=100.0, told_ms=100.0, shift=1.0)
    assert final(rig) <= 0.05 * MAX_SCORE


def test_only_the_singer_whose_song_is_on_may_send(rig: Rig) -> None:
    ada = queue(rig, "Ada", 1).singer_id
    bob = rig.core.join("Bob").singer_id
    batch = PhoneBatch.from_dict({"frames": [[10, 60]]})
    with pytest.raises(Conflict):
        rig.core.phone_pitch(ada, batch)  # nothing plays yet
    rig.core.start_next_now(HOST)
    rig.clock.advance(2.0)
    for other in (bob, None):
        with pytest.raises(PermissionDenied):
            rig.core.phone_pitch(other, batch)
    assert rig.core.phone_pitch(ada, batch) == 1
    rig.core.pause(HOST)
    with pytest.raises(Conflict):
        rig.core.phone_pitch(ada, batch)


def test_a_song_without_notes_takes_no_phone_pitch(rig: Rig) -> None:
    ada = queue(rig, "Ada", 4).singer_id
    rig.core.start_next_now(HOST)
    rig.clock.advance(2.0)
    with pytest.raises(Conflict, match="no notes"):
        rig.core.phone_pitch(ada, PhoneBatch.from_dict({"frames": [[10, 60]]}))


def test_a_duets_phone_sings_part_2_unless_it_names_part_1(rig: Rig) -> None:
    ada = queue(rig, "Ada", 2).singer_id
    rig.core.start_next_now(HOST)
    sing_through_phone(rig, ada, DUET, real_ms=120.0, told_ms=120.0, part=2, until_s=3.5)
    assert [view.part for view in rig.core.singing_views()] == [2]
    rig.finish_song()
    final_score = rig.core.snapshot().final_score
    assert final_score is not None and final_score.part == 2
    assert final_score.score >= 0.97 * MAX_SCORE
