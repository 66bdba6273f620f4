"""The DSP chain offline (the same code the live engine runs): key, tempo, mix, limiter."""

from __future__ import annotations

import numpy as np
import pytest

from appliance.audio.dsp.limiter import Limiter
from appliance.audio.dsp.song_renderer import RenderOptions
from appliance.audio.engine.ring import Ring
from appliance.audio.export import export_song, render_song, routing_for
from appliance.core.models import MixSettings
from tests.support.audio_songs import RATE, cents, peak_frequency, rms_db


def band_energy(signal: np.ndarray, low: float, high: float) -> float:
    """Energy (dB) of a mono signal between two frequencies."""
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(len(signal)))) ** 2
    freqs = np.fft.rfftfreq(len(signal), 1 / RATE)
    band = spectrum[(freqs >= low) & (freqs <= high)].sum()
    return 10 * np.log10(band + 1e-20)


@pytest.mark.parametrize("quality", ["r2", "r3"])
def test_key_plus_two_shifts_a_pure_tone_by_two_semitones(songs, quality, margin):
    out = render_song(songs["tone"], MixSettings(key_semitones=2), RenderOptions(quality=quality))
    measured = peak_frequency(out[RATE : 3 * RATE, 0]) / 440.0
    margin("key +2 error", abs(cents(measured / 2 ** (2 / 12))), "<", 3, "cents")


@pytest.mark.parametrize("quality", ["r2", "r3"])
def test_tempo_0_8_lengthens_by_1_25_with_pitch_unchanged(songs, quality, margin):
    song = songs["tone"]
    out = render_song(song, MixSettings(tempo_ratio=0.8), RenderOptions(quality=quality))
    source_frames = 4.0 * RATE
    margin("tempo 0.8 length error", abs(len(out) / source_frames / 1.25 - 1), "<=", 0.005)
    pitch_error = abs(cents(peak_frequency(out[RATE : 4 * RATE, 0]) / 440.0))
    margin("tempo 0.8 pitch error", pitch_error, "<", 3, "cents")


def test_muting_a_stem_removes_its_energy(songs, margin):
    song = songs["band"]
    full = render_song(song, MixSettings(), RenderOptions())
    muted = render_song(song, MixSettings().with_stem_gain("bass", 0.0), RenderOptions())
    window = slice(RATE, 3 * RATE)
    drop = band_energy(full[window, 0], 100, 120) - band_energy(muted[window, 0], 100, 120)
    margin("muted stem drop", drop, ">", 40, "dB")


def test_guide_level_zero_removes_the_lead_vocal(songs, margin):
    song = songs["band"]
    window = slice(RATE, 3 * RATE)
    full = render_song(song, MixSettings(), RenderOptions())
    no_guide = render_song(song, MixSettings(guide_level=0.0), RenderOptions())
    drop = band_energy(full[window, 0], 650, 670) - band_energy(no_guide[window, 0], 650, 670)
    margin("guide 0 drop", drop, ">", 40, "dB")


def test_click_goes_to_outputs_3_and_4_only_in_four_channel_routing(songs):
    options = RenderOptions(routing=routing_for("four"))
    out = render_song(songs["band"], MixSettings(), options)
    no_click = render_song(songs["band"], MixSettings().with_stem_gain("click", 0.0), options)
    assert out.shape[1] == 4
    np.testing.assert_allclose(out[:, :2], no_click[:, :2], atol=1e-6)
    window = slice(RATE, 3 * RATE)
    assert band_energy(out[window, 2], 1900, 2100) - band_energy(out[window, 0], 1900, 2100) > 20
    assert rms_db(no_click[:, 2:]) < -120


def test_click_stays_in_tune_and_in_time_at_another_key_and_tempo(songs, margin):
    settings = MixSettings(key_semitones=5, tempo_ratio=0.8)
    out = render_song(songs["band"], settings, RenderOptions(routing=routing_for("four")))
    monitor = out[:, 2]
    error = abs(cents(peak_frequency(monitor[RATE : 3 * RATE]) / 2000.0))
    margin("click pitch error", error, "<", 25, "cents")
    onsets = np.flatnonzero((np.abs(monitor[1:]) > 0.1) & (np.abs(monitor[:-1]) <= 0.1))
    starts = onsets[np.insert(np.diff(onsets) > 2400, 0, True)]
    spacing = np.median(np.diff(starts)) / RATE
    margin("click spacing error", abs(spacing / (0.5 / 0.8) - 1), "<=", 0.02)


def test_a_song_twelve_db_too_hot_leaves_with_no_clipped_sample(songs):
    out = render_song(songs["hot"], MixSettings(), RenderOptions())
    assert np.abs(out).max() <= 10 ** (-1 / 20) + 1e-6
    assert rms_db(out[RATE // 2 : RATE]) > -6


def test_the_limiter_gives_the_same_output_whatever_the_block_size():
    rng = np.random.default_rng(3)
    audio = (rng.standard_normal((20000, 2)) * 0.8).astype(np.float32)
    whole = Limiter(2).process(audio)
    limiter = Limiter(2)
    pieces = np.concatenate([limiter.process(b) for b in np.array_split(audio, 37)])
    np.testing.assert_array_equal(whole, pieces)
    assert np.abs(whole).max() <= limiter.ceiling


def test_high_quality_export_is_in_the_new_key(songs, tmp_path):
    path = export_song(
        songs["tone"], MixSettings(key_semitones=-3), tmp_path / "hq.flac", quality="high"
    )
    import soundfile as sf

    out, rate = sf.read(path)
    assert rate == RATE
    assert abs(cents(peak_frequency(out[RATE : 3 * RATE, 0]) / 440.0 / 2 ** (-3 / 12))) < 3


def test_a_ring_flush_fades_the_queued_audio_then_skips_it():
    ring = Ring(4800, 2)
    ring.write(np.ones((2000, 2), np.float32), np.zeros(2000))
    ring.flush(fade_frames=256)
    ring.write(np.full((100, 2), 0.5, np.float32), np.full(100, 9.0))
    out = np.zeros((512, 2), np.float32)
    got = ring.read_into(out)
    assert got == 256
    assert out[0, 0] > 0.99 and out[255, 0] < 0.01
    assert np.all(np.diff(out[:256, 0]) <= 0)
    got = ring.read_into(out)
    assert got == 100 and out[0, 0] == 0.5 and ring.last_position == 9.0


def test_a_splice_stops_the_reader_at_the_reserved_frame_then_crossfades_into_the_new_audio():
    ring = Ring(4800, 2)
    ring.write(np.ones((3000, 2), np.float32), np.zeros(3000))
    out = np.zeros((256, 2), np.float32)
    ring.read_into(out)
    at = ring.reserve(margin=512, crossfade=480)
    assert at == 256 + 512
    held = np.zeros((1024, 2), np.float32)
    assert ring.read_into(held) == 512, "the reader went past the reserved frame"
    taken = ring.splice(at, np.full((2000, 2), -1.0, np.float32), np.full(2000, 5.0), 480)
    assert taken == 2000 and ring.readable == 2000
    spliced = np.zeros((2000, 2), np.float32)
    ring.read_into(spliced)
    fade = spliced[:480, 0]
    assert fade[0] > 0.99 and fade[-1] < -0.99 and np.all(np.diff(fade) < 0)
    assert np.all(spliced[480:, 0] == -1.0) and ring.last_position == 5.0


def test_a_live_restart_renders_from_the_exact_position_with_the_new_settings(songs):
    from appliance.audio.dsp.song_renderer import SongRenderer

    song, options = songs["band"], RenderOptions()
    whole = render_song(song, MixSettings(guide_level=0.5), options)
    renderer = SongRenderer(song, MixSettings(), options)
    renderer.render()
    renderer.restart_at(1.25, MixSettings(guide_level=0.5))
    frames, positions = renderer.render()
    renderer.close()
    assert positions[0] == pytest.approx(1.25)
    start = int(1.25 * RATE) + Limiter(2).latency_frames  # the export's frame at 1.25 s
    piece = whole[start : start + len(frames)]
    assert rms_db(frames - piece) - rms_db(piece) < -60


def test_engine_options_take_every_shared_audio_setting_from_the_config():
    from dataclasses import fields

    from appliance.audio.engine.device import EngineOptions
    from appliance.config import parse_config

    audio = parse_config(
        '[audio]\ndevice = "USB"\nquality = "r2"\nblocksize = 512\nlatency_s = 0.08\n'
        'routing = "split"\nclick = true\nguide_in_ears = true\ntranscode_cache_mb = 100\n'
    ).audio
    options = EngineOptions.from_config(audio, state_dir="/s")
    shared = {f.name for f in fields(EngineOptions)} & {f.name for f in fields(type(audio))}
    assert shared >= {"device", "quality", "blocksize", "latency_s", "routing", "click"}
    assert all(getattr(options, name) == getattr(audio, name) for name in shared)
    assert options.state_dir == "/s"
