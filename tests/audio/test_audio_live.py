"""The live engine through the real ALSA path (JACK dummy clock, ALSA file tee)."""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest

from appliance.audio.dsp.song_renderer import RenderOptions
from appliance.audio.engine import status as slots
from appliance.audio.engine.client import EngineClient
from appliance.audio.engine.device import EngineOptions
from appliance.audio.export import render_song
from appliance.core.errors import SongLoadError
from appliance.core.models import MixSettings
from tests.support.audio_songs import RATE, cents, make_song, music, peak_frequency, tone
from tests.support.sound_analysis import align, first_sound, longest_silence, relative_error_db

SETTINGS = MixSettings(key_semitones=2, tempo_ratio=0.9, guide_level=0.5).with_stem_gain(
    "drums", 0.0
)


def test_what_alsa_received_equals_the_export(engine, songs, margin, real_time):
    rig = engine()
    rig.client.play(songs["band"], SETTINGS)
    clock = rig.clock()
    assert rig.listener.wait(15), "the song did not end"
    real_time(clock)
    assert rig.listener.ended == ["band"]
    underflows = rig.client.engine_status()["underflows"]
    captured = rig.capture()
    exported = render_song(songs["band"], SETTINGS, RenderOptions())
    offset = align(captured, exported)
    error_db = relative_error_db(captured, exported, offset)
    assert underflows == 0
    margin("capture vs export", error_db, "<", -60, "dB")


def test_on_a_four_channel_device_the_click_is_on_outputs_3_4_only(engine, songs, margin):
    rig = engine(routing="four", channels=4)
    rig.client.play(songs["band"], MixSettings().with_stem_gain("click", 1.0))
    assert rig.listener.wait(15)
    captured = rig.capture()
    assert captured.shape[1] == 4
    reference = render_song(
        songs["band"], MixSettings().with_stem_gain("click", 0.0), RenderOptions()
    )
    offset = align(captured[:, :2], reference)
    music = captured[offset : offset + len(reference), :2]
    margin(
        "outputs 1-2 vs the mix without click",
        relative_error_db(music, reference, 0),
        "<",
        -60,
        "dB",
    )
    margin("click peak on outputs 3-4", np.abs(captured[:, 2:]).max(), ">", 0.3)


def test_a_song_twelve_db_too_hot_reaches_the_device_unclipped(engine, songs, margin):
    rig = engine()
    rig.client.play(songs["hot"], MixSettings())
    assert rig.listener.wait(10)
    captured = rig.capture()
    margin("hot song peak at the device", np.abs(captured).max(), ">", 0.5)
    assert int(np.sum(np.abs(captured) >= 32767 / 32768)) == 0


def test_a_key_change_mid_song_is_heard_within_300_ms_without_gap_or_jump(
    engine, songs, margin, real_time
):
    rig = engine()
    rig.client.play(songs["tone"], MixSettings())
    clock = rig.clock()
    time.sleep(1.5)
    changed_at = rig.client.engine_status()["frames_played"]
    rig.client.apply_settings(MixSettings(key_semitones=2))
    assert rig.listener.wait(10)
    real_time(clock)
    captured = rig.capture()[:, 0]
    start = first_sound(captured[:, None])
    end = start + int(3.9 * RATE)
    heard = _first_frame_at(captured, 440 * 2 ** (2 / 12), int(changed_at))
    # The capture starts with PortAudio's priming of the device buffer (the output latency),
    # so capture frame `changed_at` is the one the device plays when the command is sent: the
    # difference already holds the output latency (adding it again counted it twice).
    delay_s = (heard - changed_at) / RATE
    margin("key change heard after", delay_s * 1000, "<", 300, "ms")
    song = captured[start + 480 : end - 480]
    margin("longest gap", longest_silence(song) / RATE * 1000, "<", 20, "ms")
    # The music's own largest step, in the old key and in the new one (2 semitones higher,
    # so 12% steeper): the change itself must not step further than either.
    before = np.abs(np.diff(captured[start + RATE // 2 : start + RATE])).max()
    after = np.abs(np.diff(captured[heard + RATE // 4 : heard + RATE // 2])).max()
    around = np.abs(np.diff(captured[int(changed_at) - RATE // 4 : heard + RATE // 4])).max()
    ratio = around / max(before, after)
    margin("largest step at the change / the music's own", ratio, "<=", 1.3)


def _first_frame_at(signal: np.ndarray, frequency: float, after: int) -> int:
    window = 2400
    for start in range(after, len(signal) - window, 240):
        if abs(cents(peak_frequency(signal[start : start + window]) / frequency)) < 20:
            return start + window // 2
    raise AssertionError("the new key never arrived")


def test_a_killed_engine_restarts_and_the_song_resumes_within_2_s(engine, songs, margin):
    rig = engine()
    rig.client.play(songs["band"], MixSettings())
    time.sleep(1.5)
    old_pid = rig.client.pid
    position = rig.client.position_s()
    os.kill(old_pid, signal.SIGKILL)
    killed = time.monotonic()
    deadline = killed + 5
    while time.monotonic() < deadline:
        running = rig.client.pid != old_pid and rig.client.engine_status()["state"] == "playing"
        if running and rig.client.position_s() > position:
            break
        time.sleep(0.01)
    resumed_after = time.monotonic() - killed
    assert rig.client.pid != old_pid
    margin("resumed after kill -9", resumed_after, "<", 2.0, "s")
    margin("position error after restart", abs(rig.client.position_s() - position), "<", 0.5, "s")
    assert rig.listener.wait(10) and rig.listener.ended == ["band"]


def test_a_truncated_stem_fails_the_song_with_a_reason_and_the_next_one_plays(
    engine, songs, tmp_path
):
    broken = make_song(
        tmp_path / "broken",
        {"keys": ("keys", music(6.0)), "bass": ("bass", tone(110, 6.0))},
    )
    path = tmp_path / "broken" / "bass.flac"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    rig = engine()
    try:
        rig.client.play(broken, MixSettings())
        assert rig.listener.wait(10), "no failure reported"
        assert rig.listener.failed and rig.listener.failed[0][0] == "broken"
        reason = rig.listener.failed[0][1]
    except SongLoadError as error:
        reason = error.reason
    assert "bass" in reason
    rig.client.play(songs["short"], MixSettings())
    assert rig.listener.wait(10)
    assert rig.listener.ended == ["short"]


def test_a_corrupt_stem_is_refused_at_play_with_a_clear_reason(engine, songs, tmp_path):
    broken = make_song(tmp_path / "corrupt", {"keys": ("keys", tone(440, 1.0))})
    (tmp_path / "corrupt" / "keys.flac").write_bytes(b"fLaC" + bytes(500))
    rig = engine()
    with pytest.raises(SongLoadError, match=r"keys\.flac"):
        rig.client.play(broken, MixSettings())
    rig.client.play(songs["short"], MixSettings())
    assert rig.listener.wait(10) and rig.listener.ended == ["short"]


def test_break_music_fades_out_and_the_song_starts_within_half_a_second(
    jack, songs, tmp_path, margin
):
    env = jack.alsa_env(tmp_path / "home", 2)
    client = EngineClient(
        EngineOptions(env=env, routing="stereo"), break_songs=lambda: [songs["band"]]
    )
    try:
        client.play_break_music()
        deadline = time.monotonic() + 3
        while client.engine_status()["state"] != "break" and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.5)
        assert client.status.read(slots.LEVEL_LEFT) > 0.01
        asked = time.monotonic()
        client.play(songs["tone"], MixSettings())
        while client.position_s() <= 0.0 and time.monotonic() < asked + 3:
            time.sleep(0.005)
        margin("song start after break music", time.monotonic() - asked, "<", 0.5, "s")
    finally:
        client.close()
