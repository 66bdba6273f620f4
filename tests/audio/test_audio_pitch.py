"""The pitch tracker: cents on sung notes with vibrato, low voices unbiased, silence and noise
unvoiced, the same estimates whatever the block size, and times at the estimate's centre."""

from __future__ import annotations

import numpy as np
import pytest

from appliance.audio.dsp.pitch import PitchTracker, track_pitch
from tests.support.sung_notes import SR, cents_errors, sing_notes


def test_sung_notes_with_vibrato_are_tracked_within_cents():
    voice = sing_notes(seconds=20.0, seed=4)
    errors, recall, false_voiced = cents_errors(track_pitch(voice.audio, SR), voice.truth)
    assert recall > 0.95
    assert np.median(errors) < 10
    assert np.mean(errors > 50) < 0.01  # a wrong note: under one estimate in a hundred
    assert false_voiced < 0.05


@pytest.mark.parametrize("hz", [82.4, 110.0, 220.0, 440.0, 880.0])
def test_low_and_high_pure_tones_are_not_biased(hz):
    t = np.arange(SR) / SR
    tone = (0.2 * np.sin(2 * np.pi * hz * t)).astype(np.float32)
    midis = [m for _, m in track_pitch(tone, SR) if m is not None]
    expected = 69 + 12 * np.log2(hz / 440)
    assert len(midis) > 90
    assert abs(np.median(midis) - expected) * 100 < 3


def test_silence_and_white_noise_are_unvoiced():
    silence = np.zeros(SR * 2, dtype=np.float32)
    assert all(m is None for _, m in track_pitch(silence, SR))
    noise = np.random.default_rng(7).normal(0, 0.1, SR * 5).astype(np.float32)
    voiced = [m for _, m in track_pitch(noise, SR) if m is not None]
    assert len(voiced) < 5


def test_block_size_does_not_change_the_estimates():
    voice = sing_notes(seconds=3.0, seed=2).audio
    whole = track_pitch(voice, SR, block_frames=len(voice))
    for block in (1, 128, 479, 481, 4096):
        tracker = PitchTracker(SR)
        pieces = []
        for start in range(0, len(voice), block):
            pieces.extend(tracker.feed(voice[start : start + block]))
        assert pieces == whole


def test_an_estimate_is_stamped_at_the_middle_of_what_it_heard():
    # 200 Hz then 300 Hz from 0.5 s: the estimates switch within one hop of 0.5 s.
    f = np.where(np.arange(SR) < SR // 2, 200.0, 300.0)
    phase = 2 * np.pi * np.cumsum(f) / SR
    voice = (0.2 * sum(np.sin(k * phase) / k for k in range(1, 6))).astype(np.float32)
    estimates = track_pitch(voice, SR)
    low = [t for t, m in estimates if m is not None and m < 58]
    high = [t for t, m in estimates if m is not None and m > 60]
    assert max(low) < min(high)
    assert abs((max(low) + min(high)) / 2 - 0.5) < 0.012
    tracker = PitchTracker(SR)
    assert tracker.hop_frames == 480
    assert 0.02 < tracker.delay_s < 0.04


def test_other_sample_rates():
    t = np.arange(44100) / 44100
    tone = (0.2 * np.sin(2 * np.pi * 330.0 * t)).astype(np.float32)
    midis = [m for _, m in track_pitch(tone, 44100) if m is not None]
    assert abs(np.median(midis) - (69 + 12 * np.log2(330 / 440))) * 100 < 3
