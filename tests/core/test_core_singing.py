"""Voices and scores through the core's public API: the singer's mic level and echo
remembered and applied, the night's scoring settings, results kept in SQLite, the snapshot's
final score, leaderboard and no-score reason. The scoring tests run the project's real scorer
(appliance/core/scoring/scorer.py)."""

from __future__ import annotations

import threading

import pytest

from appliance.core import events
from appliance.core.errors import InvalidRequest, PermissionDenied
from appliance.core.models import Song
from appliance.core.scoring.model import NoteType, PitchFrame, ScoreNote, ScoreSheet
from appliance.core.service import Actor
from appliance.core.singing import NO_NOTES
from appliance.core.store import Store
from appliance.core.voice import VoiceSettings
from tests.support.cores import Rig, build_rig
from tests.support.cores import join_and_queue as queue

HOST = Actor.host()

SHEET = ScoreSheet(
    notes=(
        ScoreNote(1.0, 1.0, 60, 0, text="Hel"),
        ScoreNote(2.0, 1.0, 62, 0, text="lo"),
        ScoreNote(4.0, 1.0, 64, 1, text="sing"),
        ScoreNote(5.0, 1.0, 65, 1, NoteType.GOLDEN, text="ing"),
    ),
    line_count=2,
)
DUET = ScoreSheet(
    notes=(
        ScoreNote(1.0, 1.0, 60, 0, part=1),
        ScoreNote(2.0, 1.0, 67, 1, part=2),
    ),
    line_count=2,
)


def sheets(song: Song) -> ScoreSheet | None:
    """song-1 has notes, song-2 is a duet, song-3 has a sheet with only freestyle notes, the
    rest none."""
    if song.song_id == "song-1":
        return SHEET
    if song.song_id == "song-2":
        return DUET
    if song.song_id == "song-3":
        return ScoreSheet((ScoreNote(1.0, 1.0, 60, 0, NoteType.FREESTYLE),), 1)
    return None


@pytest.fixture
def sung() -> Rig:
    return build_rig(Store.open_memory(), sheets=sheets)


def sing(
    sheet: ScoreSheet, *, shift: float = 0.0, mic: int = 1, part: int | None = None
) -> tuple[PitchFrame, ...]:
    """Frames every 10 ms over each note of ``sheet`` (of ``part``), ``shift`` semitones off."""
    frames = []
    for note in sheet.notes:
        if part is not None and note.part != part:
            continue
        steps = int(note.duration_s / 0.01)
        frames += [
            PitchFrame(note.start_s + i * 0.01, note.pitch_midi + shift, mic) for i in range(steps)
        ]
    return tuple(frames)


def hear(rig: Rig, frames: tuple[PitchFrame, ...], batch: int = 10) -> None:
    """Hand ``frames`` to the core as the engine does (batches, on the player's side)."""
    for start in range(0, len(frames), batch):
        rig.player.report_pitch(frames[start : start + batch])
    rig.core.tick()


# --- voices ----------------------------------------------------------------------------------


def test_a_singers_voice_is_remembered_and_on_mic_1_while_they_sing(tmp_path):
    rig = build_rig(Store.open(tmp_path / "state.db"), sheets=sheets)
    ada = rig.core.join("Ada")
    mine = VoiceSettings(level_db=-6.0, echo=0.1)
    rig.core.set_singer_voice(Actor.guest(ada.singer_id), ada.singer_id, mine)
    default = VoiceSettings(level_db=2.0, echo=0.5)
    rig.core.set_default_voice(HOST, default)
    assert rig.player.voices == {1: default, 2: default}  # nobody sings: the default
    queue(rig, "Ada", 1)
    rig.core.start_next_now(HOST)
    assert rig.player.voices == {1: mine, 2: default}
    assert rig.core.snapshot().voice == mine and rig.core.snapshot().default_voice == default
    rig.finish_song()
    assert rig.player.voices[1] == default
    rig.store.close()
    again = build_rig(Store.open(tmp_path / "state.db"), sheets=sheets)  # a power cut
    assert again.core.voice_of(ada.singer_id) == mine
    assert again.core.default_voice() == default
    assert again.player.voices == {1: default, 2: default}


def test_only_the_singer_or_the_host_sets_a_voice(sung):
    ada, bob = sung.core.join("Ada"), sung.core.join("Bob")
    voice = VoiceSettings(level_db=-3.0)
    with pytest.raises(PermissionDenied):
        sung.core.set_singer_voice(Actor.guest(bob.singer_id), ada.singer_id, voice)
    with pytest.raises(PermissionDenied):
        sung.core.set_default_voice(Actor.guest(ada.singer_id), voice)
    with pytest.raises(InvalidRequest, match="level_db"):
        sung.core.set_singer_voice(HOST, ada.singer_id, VoiceSettings(level_db=99.0))
    sung.core.set_singer_voice(HOST, ada.singer_id, voice)
    assert sung.core.voice_of(ada.singer_id) == voice
    assert sung.core.voice_of(bob.singer_id) == sung.core.default_voice()


def test_a_voice_changed_mid_song_is_heard_at_once(sung):
    ada = queue(sung, "Ada", 1).singer_id
    sung.core.start_next_now(HOST)
    louder = VoiceSettings(level_db=6.0, echo=0.0)
    sung.core.set_singer_voice(Actor.guest(ada), ada, louder)
    assert sung.player.voices[1] == louder


def test_box_buttons_step_the_singers_voice_and_stop_at_the_ends(sung):
    ada = queue(sung, "Ada", 1).singer_id
    sung.core.start_next_now(HOST)
    stepped = sung.core.step_voice(HOST, level_db_delta=3.0, echo_delta=-0.1)
    assert stepped == VoiceSettings(level_db=3.0, echo=0.2)
    assert sung.player.voices[1] == stepped and sung.core.voice_of(ada) == stepped
    for _ in range(10):
        top = sung.core.step_voice(HOST, level_db_delta=3.0, echo_delta=0.3)
    assert top == VoiceSettings(level_db=12.0, echo=1.0)
    bob = sung.core.join("Bob")
    with pytest.raises(PermissionDenied):
        sung.core.step_voice(Actor.guest(bob.singer_id), level_db_delta=1.0)
    with pytest.raises(InvalidRequest):
        sung.core.step_voice(HOST, level_db_delta=float("nan"))


def test_between_songs_the_buttons_step_the_default(sung):
    sung.core.step_voice(HOST, level_db_delta=-2.0)
    assert sung.core.default_voice().level_db == -2.0
    assert sung.player.voices[2].level_db == -2.0


def test_voice_changes_are_announced(sung):
    seen: list[events.Event] = []
    done = threading.Event()

    def listen(event: events.Event) -> None:
        seen.append(event)
        done.set()

    sung.core.subscribe("test", listen)
    ada = sung.core.join("Ada")
    sung.core.set_singer_voice(HOST, ada.singer_id, VoiceSettings(echo=0.0))
    assert done.wait(2.0)
    sung.core.close()
    assert any(isinstance(e, events.VoiceChanged) and e.singer_id == ada.singer_id for e in seen)


# --- the night's scoring settings and songs without notes -------------------------------------


def test_scoring_settings_are_host_only_and_checked(sung):
    with pytest.raises(PermissionDenied):
        sung.core.update_settings(Actor.guest(1), {"score_difficulty": "easy"})
    with pytest.raises(InvalidRequest, match="score_difficulty"):
        sung.core.update_settings(HOST, {"score_difficulty": "impossible"})
    with pytest.raises(InvalidRequest, match="tv_notes"):
        sung.core.update_settings(HOST, {"tv_notes": "yes"})
    changed = sung.core.update_settings(
        HOST, {"score_difficulty": "hard", "tv_notes": False, "show_leaderboard": False}
    )
    assert (changed.score_difficulty, changed.tv_notes, changed.show_leaderboard) == (
        "hard",
        False,
        False,
    )


@pytest.mark.parametrize("song", [3, 4], ids=["only-freestyle", "no-sheet"])
def test_a_song_without_notes_says_so_plainly(sung, song):
    queue(sung, "Ada", song)
    sung.core.start_next_now(HOST)
    snap = sung.core.snapshot()
    assert snap.no_score_reason == NO_NOTES == "no score: this song has no notes"
    hear(sung, sing(SHEET))
    assert sung.core.singing_views() == ()
    sung.finish_song()
    assert sung.core.snapshot().final_score is None and sung.core.snapshot().no_score_reason == ""


def test_a_broken_sheet_source_does_not_stop_the_song():
    def broken(song: Song) -> ScoreSheet | None:
        raise ValueError("bad notes file")

    rig = build_rig(Store.open_memory(), sheets=broken)
    queue(rig, "Ada", 1)
    rig.core.start_next_now(HOST)
    assert rig.core.snapshot().now is not None
    assert rig.core.snapshot().no_score_reason == NO_NOTES


def test_a_song_sung_with_no_mic_gets_no_score(sung):
    queue(sung, "Ada", 1)
    sung.core.start_next_now(HOST)
    assert sung.core.snapshot().no_score_reason == ""
    assert sung.core.singing_views() == ()
    sung.finish_song()
    snap = sung.core.snapshot()
    assert snap.final_score is None and snap.leaderboard == ()


# --- scoring (the real scorer) ----------------------------------------------------------------


def scored_events(rig: Rig) -> list[events.Event]:
    """Subscribe and return the list events will land in (call ``rig.core.close()`` to read)."""
    seen: list[events.Event] = []
    rig.core.subscribe("scores", seen.append)
    return seen


def test_a_song_sung_on_pitch_scores_near_the_top_and_is_kept(tmp_path):
    rig = build_rig(Store.open(tmp_path / "state.db"), sheets=sheets)
    seen = scored_events(rig)
    queue(rig, "Ada", 1)
    rig.core.start_next_now(HOST)
    hear(rig, sing(SHEET))
    (view,) = rig.core.singing_views()
    assert view.part == 0 and view.sheet is SHEET and view.key_semitones == 0
    assert view.score > 0 and view.frames[-1].time_s == pytest.approx(5.99)
    assert view.frames[0].time_s >= 5.99 - 8.0
    rig.finish_song()
    final = rig.core.snapshot().final_score
    assert final is not None and final.singer_name == "Ada" and final.song_id == "song-1"
    assert final.score >= 0.95 * final.max_score and final.best_before is None
    assert len(final.ratings) == 2 and final.ratings[0] == "Perfect!"
    assert rig.core.snapshot().leaderboard == (final,)
    assert rig.core.singing_views() == ()
    assert [(h.singer_name, h.score) for h in rig.core.history()] == [("Ada", final.score)]
    rig.core.close()
    assert [e.results for e in seen if isinstance(e, events.SongScored)] == [(final,)]
    assert any(isinstance(e, events.LineRated) and e.rating == "Perfect!" for e in seen)
    rig.store.close()
    again = build_rig(Store.open(tmp_path / "state.db"), sheets=sheets)  # a power cut
    assert again.core.snapshot().leaderboard == (final,)


def test_the_next_result_knows_the_best_before_and_the_board_is_best_first(sung):
    for name, shift in (("Ada", 0.0), ("Bob", 1.0), ("Ada", 0.6)):
        queue(sung, name, 1)
        sung.run_countdown()
        hear(sung, sing(SHEET, shift=shift))
        sung.finish_song()
    snap = sung.core.snapshot()
    assert snap.final_score.singer_name == "Ada"
    assert snap.final_score.best_before == snap.leaderboard[0].score
    assert [(f.singer_name, f.score > 9000) for f in snap.leaderboard] == [
        ("Ada", True),
        ("Bob", False),
    ]
    sung.core.update_settings(HOST, {"show_leaderboard": False})
    assert sung.core.snapshot().leaderboard == ()


def test_the_final_score_stays_for_the_countdown_then_goes(sung):
    queue(sung, "Ada", 1)
    sung.core.start_next_now(HOST)
    hear(sung, sing(SHEET))
    sung.finish_song()
    assert sung.core.snapshot().final_score is not None
    sung.clock.advance(sung.core.settings().countdown_s + 1.0)
    assert sung.core.snapshot().final_score is None


def test_the_final_score_outlives_a_countdown_of_zero(sung):
    sung.core.update_settings(HOST, {"countdown_s": 0})
    queue(sung, "Ada", 1)
    queue(sung, "Bob", 4)
    sung.core.start_next_now(HOST)
    hear(sung, sing(SHEET))
    sung.finish_song()  # Bob's song starts in the same tick
    snap = sung.core.snapshot()
    assert snap.now.singer.name == "Bob"
    assert snap.final_score is not None and snap.final_score.singer_name == "Ada"
    sung.clock.advance(15.1)
    assert sung.core.snapshot().final_score is None


def test_the_notes_follow_a_key_change_mid_song(sung):
    entry = queue(sung, "Ada", 1, key_semitones=2)
    sung.core.start_next_now(HOST)
    first_line = [f for f in sing(SHEET, shift=2) if f.time_s < 3.5]
    hear(sung, tuple(first_line))
    from appliance.core.models import MixSettings

    sung.core.set_live_settings(Actor.guest(entry.singer_id), MixSettings(key_semitones=-3))
    assert sung.core.singing_views()[0].key_semitones == -3
    second_line = [f for f in sing(SHEET, shift=-3) if f.time_s > 3.5]
    hear(sung, tuple(second_line))
    sung.finish_song()
    final = sung.core.snapshot().final_score
    assert final.score >= 0.95 * final.max_score


def test_a_wrong_key_scores_low(sung):
    queue(sung, "Ada", 1)
    sung.core.start_next_now(HOST)
    hear(sung, sing(SHEET, shift=3))
    sung.finish_song()
    final = sung.core.snapshot().final_score
    assert final is not None and final.score <= 0.05 * final.max_score


def test_a_duet_scores_part_1_on_mic_1_and_part_2_on_mic_2(sung):
    queue(sung, "Ada", 2)
    sung.core.start_next_now(HOST)
    frames = sing(DUET, part=1, mic=1) + sing(DUET, part=2, mic=2, shift=4)
    hear(sung, tuple(sorted(frames, key=lambda f: f.time_s)))
    views = sung.core.singing_views()
    assert [v.part for v in views] == [1, 2]
    assert {f.mic for f in views[0].frames} == {1} and {f.mic for f in views[1].frames} == {2}
    sung.finish_song()
    board = sung.core.snapshot().leaderboard
    assert [(f.part, f.score > 0.9 * f.max_score) for f in board] == [(1, True), (2, False)]


def test_frames_while_paused_or_between_songs_are_not_scored(sung):
    queue(sung, "Ada", 1)
    sung.core.start_next_now(HOST)
    sung.core.pause(HOST)
    hear(sung, sing(SHEET))
    assert sung.core.singing_views() == ()
    sung.core.resume(HOST)
    sung.finish_song()
    hear(sung, sing(SHEET))
    assert sung.core.snapshot().final_score is None


def test_a_skipped_song_is_not_scored_and_a_restart_scores_afresh(sung):
    queue(sung, "Ada", 1)
    sung.core.start_next_now(HOST)
    hear(sung, sing(SHEET, shift=3))
    sung.core.restart(HOST)
    assert sung.core.singing_views() == ()
    hear(sung, sing(SHEET))
    assert sung.core.singing_views()[0].score > 0
    sung.core.skip(HOST)
    assert sung.core.snapshot().final_score is None


# --- the microphones' state ------------------------------------------------------------------


def test_a_mic_problem_is_told_to_the_host_kept_per_mic_and_cleared_when_it_is_fine(sung):
    told: list[events.Event] = []
    sung.core.subscribe("test", told.append)
    assert sung.core.snapshot().mics == ()
    sung.player.report_mic_notice(1, "")
    sung.player.report_mic_notice(2, "")
    sung.core.tick()
    assert sung.core.snapshot().mics == ((1, ""), (2, ""))
    sung.player.report_mic_notice(2, "a howl: ducked")
    sung.core.tick()
    assert sung.core.snapshot().mics == ((1, ""), (2, "a howl: ducked"))
    sung.player.report_mic_notice(2, "")
    sung.core.tick()
    assert sung.core.snapshot().mics == ((1, ""), (2, ""))
    assert sung.core.snapshot().device_problem == ""  # a mic is not the sound device
    deadline = threading.Event()
    for _ in range(50):
        notices = [e.message for e in told if isinstance(e, events.Notice)]
        if len(notices) >= 2:
            break
        deadline.wait(0.02)
    assert notices == ["Mic 2: a howl: ducked", "Mic 2 is fine again"]
