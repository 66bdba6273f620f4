"""A click bus at tempo != 1 is moved, not stretched (ClickStretch): each click lands on its new
beat to the frame, unchanged, and the music outputs are the same as with Rubber Band on the
click (issue 17: the click's own R3 stretcher was a sixth of the engine's CPU)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from appliance.audio.dsp.click_stretch import MAX_DRIFT_FRAMES, ClickStretch
from appliance.audio.dsp.routing import Routing
from appliance.audio.dsp.rubberband import Stretcher
from appliance.audio.dsp.song_renderer import RenderOptions, SongRenderer
from appliance.audio.export import render_song
from appliance.core.models import MixSettings
from tests.support.audio_songs import RATE, clicks, make_song, music, tone
from tests.support.sound_analysis import align, relative_error_db


def onsets(signal: np.ndarray, threshold: float = 0.01, gap: int = 2400) -> np.ndarray:
    loud = np.flatnonzero(np.abs(signal) > threshold)
    if not len(loud):
        return loud
    return loud[np.concatenate([[True], np.diff(loud) > gap])]


def moved(audio: np.ndarray, tempo: float, chunk: int) -> np.ndarray:
    stretch = ClickStretch(audio.shape[1])
    stretch.set_tempo(tempo)
    parts = []
    for start in range(0, len(audio), chunk):
        stretch.process(audio[start : start + chunk])
        parts.append(stretch.retrieve())
    stretch.flush()
    parts.append(stretch.retrieve())
    return np.concatenate(parts)


@pytest.mark.parametrize("tempo", [0.8, 0.9, 1.1, 1.25])
def test_each_click_lands_on_its_new_beat_to_the_frame_and_unchanged(tempo):
    track = clicks(6.0, every_s=0.4)
    out = moved(track, tempo, 1024)
    assert len(out) == int(np.ceil(len(track) / tempo))
    source = onsets(track[:, 0])
    assert np.array_equal(onsets(out[:, 0]), np.round(source / tempo).astype(int))
    for at in source:
        new = round(at / tempo)
        assert np.array_equal(out[new : new + 240], track[at : at + 240])
    assert np.array_equal(out, moved(track, tempo, 333))  # the same in any chunking


def test_material_that_never_falls_silent_keeps_its_timing():
    hum = np.repeat(tone(220, 3.0, 0.3)[:, :1], 2, axis=1)
    for tempo in (0.8, 1.25):
        stretch = ClickStretch(2)
        stretch.set_tempo(tempo)
        emitted = 0
        for start in range(0, len(hum), 1024):
            stretch.process(hum[start : start + 1024])
            emitted += len(stretch.retrieve())
            due = (start + 1024) / tempo
            assert abs(emitted - due) <= MAX_DRIFT_FRAMES + 1024


def song(folder, *, cue: bool = False) -> object:
    stems = {
        "band": ("keys", music(4.0, seed=5)),
        "vox": ("lead_vocal", tone(523, 4.0, 0.1)),
        "click": ("click", clicks(4.0)),
    }
    if cue:
        stems["count"] = ("cue", tone(880, 4.0, 0.05))
    return make_song(folder, stems)


@pytest.mark.parametrize("quality", ["r2", "r3"])
def test_the_rendered_click_is_on_time_and_the_music_unchanged(tmp_path, quality):
    settings = MixSettings(key_semitones=2, tempo_ratio=0.9)
    the_song = song(tmp_path / "song")
    options = RenderOptions(quality=quality, routing=Routing("four", 4), normalize_loudness=False)
    out = render_song(the_song, settings, options)
    before = render_song(the_song, settings, replace(options, click_stretch="rubberband"))
    assert np.array_equal(out[:, :2], before[:, :2])
    assert np.array_equal(out[:, 2], out[:, 3])
    latency = 96  # the limiter's look-ahead
    expected = onsets(clicks(4.0)[:, 0]) / 0.9 + latency
    found = onsets(out[:, 2])
    assert len(found) == len(expected)
    assert np.abs(found - expected).max() / RATE < 0.001
    peaks = [np.abs(out[at : at + 240, 2]).max() for at in found[1:]]  # the first: faded in
    assert min(peaks) > 0.49 and max(peaks) <= 0.5


def test_a_bus_with_a_cue_stem_keeps_rubber_band(tmp_path):
    settings = MixSettings(tempo_ratio=0.9)
    options = RenderOptions(routing=Routing("four", 4))
    plain = SongRenderer(song(tmp_path / "plain"), settings, options)
    with_cue = SongRenderer(song(tmp_path / "cue", cue=True), settings, options)
    try:
        assert isinstance(plain.monitor_stretcher, ClickStretch)
        assert isinstance(with_cue.monitor_stretcher, Stretcher)
    finally:
        plain.close()
        with_cue.close()


def test_live_four_outputs_at_tempo_0_9_equal_the_export(engine, songs, margin, real_time):
    rig = engine(routing="four", channels=4)
    settings = MixSettings(key_semitones=2, tempo_ratio=0.9)
    rig.client.play(songs["band"], settings)
    clock = rig.clock()
    assert rig.listener.wait(15), "the song did not end"
    real_time(clock)
    captured = rig.capture()
    exported = render_song(songs["band"], settings, RenderOptions(routing=Routing("four", 4)))
    offset = align(captured[:, :2], exported[:, :2])
    for pair in (slice(0, 2), slice(2, 4)):  # the music, then the moved click
        error_db = relative_error_db(captured[:, pair], exported[:, pair], offset)
        margin(f"capture vs export, outputs {pair.start + 1}-{pair.stop}", error_db, "<", -60, "dB")
