"""The mic path's parts off the clock: the voice chain, the howl detector, the mic ring's drift
steering, and the pitch frames' song-time stamps (the real tracker on sung notes)."""

from __future__ import annotations

import numpy as np
import pytest

from appliance.audio.dsp.howl import HowlDetector
from appliance.audio.dsp.voice import CEILING, VoiceChain
from appliance.audio.engine.mic_ring import MicRing, MicSource
from appliance.audio.engine.mics import TrackRing
from appliance.audio.engine.tracking import MicTracker, default_tracker
from tests.support.audio_songs import rms_db
from tests.support.mic_rig import sung_note

RATE = 48_000


def run_chain(signal: np.ndarray, block: int, level_db: float = 0.0, echo: float = 0.0):
    chain = VoiceChain(RATE)
    chain.set(level_db, echo)
    return np.concatenate(
        [chain.process(signal[i : i + block]) for i in range(0, len(signal), block)]
    )


def sine(hz: float, seconds: float, level: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (level * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def test_the_voice_chain_does_not_depend_on_the_block_size() -> None:
    voice = sung_note(2.0, 220.0, level=0.3)
    small, large = run_chain(voice, 64, echo=0.5), run_chain(voice, 1024, echo=0.5)
    settled = slice(RATE // 2, None)  # the first block's fade-in differs, nothing after it
    assert np.abs(small[settled] - large[settled]).max() < 1e-4


@pytest.mark.parametrize("level_db", [0.0, -6.0, 6.0])
def test_the_voice_chain_keeps_a_quiet_voice_at_its_level(level_db: float) -> None:
    quiet = sine(440.0, 1.0, 0.01)  # -43 dBFS: under both compressors
    out = run_chain(quiet, 128, level_db=level_db)
    gain = rms_db(out[RATE // 2 :]) - rms_db(quiet[RATE // 2 :])
    assert abs(gain - level_db) < 0.5, gain


def test_a_shout_at_plus_twelve_stays_under_the_ceiling() -> None:
    loud = sine(300.0, 1.0, 0.9)
    out = run_chain(loud, 128, level_db=12.0, echo=1.0)
    assert np.abs(out).max() <= CEILING
    assert rms_db(out[RATE // 2 :]) > -12  # limited, not silenced


def test_a_growing_sine_is_a_howl_found_within_half_a_second() -> None:
    t = np.arange(2 * RATE) / RATE
    howl = (1e-3 * np.exp(4 * t) * np.sin(2 * np.pi * 2500 * t)).clip(-1, 1)
    detector = HowlDetector(RATE)
    for start in range(0, len(howl), 960):  # the tracking thread's 20 ms
        if detector.feed(howl[start : start + 960].astype(np.float32)):
            break
    assert start / RATE < 0.5
    assert detector.feed(np.zeros(4096, np.float32)) == []


@pytest.mark.parametrize("hz", [110.0, 196.0, 330.0, 523.0, 880.0])
def test_a_sung_note_is_not_a_howl(hz: float) -> None:
    assert HowlDetector(RATE).feed(sung_note(3.0, hz, level=0.5)) == []


def test_a_howl_under_a_sung_note_is_found() -> None:
    voice = sung_note(3.0, 196.0, level=0.2)
    t = np.arange(len(voice)) / RATE
    howl = (0.3 * np.sin(2 * np.pi * 1800 * t)).astype(np.float32)
    assert HowlDetector(RATE).feed(voice + howl) != []


def simulate_drift(ppm: float, seconds: float, block: int = 128, phase: float = 0.3) -> MicSource:
    """A capture card whose clock runs ``ppm`` fast (or slow) against the output card's, both
    in ``block``s, the capture's callbacks ``phase`` of a block off the output's."""
    source = MicSource(MicRing(4096, 1))
    source.live = True
    out = np.zeros((block, 1), np.float32)
    period = block / RATE
    next_write = (1 + phase) * period / (1 + ppm * 1e-6)
    counter = 0
    for k in range(int(seconds / period)):
        now = k * period
        while next_write <= now:
            source.ring.write(np.full((block, 1), counter, np.float32), next_write)
            counter += block
            next_write += period / (1 + ppm * 1e-6)
        source.pull(out, block, now)
    return source


@pytest.mark.parametrize("phase", [0.0, 0.3, 0.9])
@pytest.mark.parametrize("ppm", [-100.0, -30.0, 0.0, 30.0, 100.0])
def test_the_mic_ring_holds_its_fill_against_clock_drift(ppm: float, phase: float) -> None:
    source = simulate_drift(ppm, 60.0, phase=phase)
    expected = abs(ppm) * 1e-6 * 60 * RATE  # samples to drop (fast mic) or repeat (slow)
    # Unsteered, 100 ppm is a block of drift every 27 s: the ring would run dry (slow mic) or
    # fill up (fast) within the minute. A capture block landing right at the read may find
    # the target short once as the phases cross; the safety doubles, never again.
    assert source.underruns <= 1
    assert source.ring.overflows == 0
    assert 0.5 * expected - 2 <= source.drift_fixes <= 1.2 * expected + 2
    assert source.last_fill <= source.safety + 128


def test_pitch_frames_are_stamped_with_the_song_time_heard() -> None:
    tracker = default_tracker(RATE)
    ring = TrackRing()
    mic = MicTracker(1, ring, tracker)
    tempo, block = 0.8, 128
    silence, note = np.zeros(RATE // 2, np.float32), sung_note(1.0, 220.0, level=0.3)
    signal = np.concatenate([silence, note])
    frames = []
    for start in range(0, len(signal), block):
        heard = 10.0 + start / RATE * tempo  # what the callback stamps (latencies already off)
        ring.write(signal[start : start + block], heard, tempo, True)
        if start % (block * 8) == 0:
            mono, first = mic.take()
            frames.extend(mic.pitch(mono, first))
    voiced = [frame for frame in frames if frame.midi is not None]
    onset = 10.0 + 0.5 * tempo
    assert abs(voiced[0].time_s - onset) < 0.03 * tempo, voiced[0]
    assert abs(np.median([frame.midi for frame in voiced]) - 57.0) < 0.3
    assert voiced[-1].time_s < 10.0 + 1.5 * tempo + 0.01
