"""A microphone's voice chain, run in the engine's audio callback one period at a time.

High-pass (100 Hz: handling noise, plosives, the feedback-prone low end), a gentle compressor
(3:1 above -20 dBFS), the karaoke echo (a 160 ms feedback delay and a small room reverb, both
from the ``echo`` knob 0..1), the level (``level_db``) with the howl duck, then a limiter (a
20:1 compressor above -6 dBFS with a 1 ms attack, then a clip at ``CEILING``). Unity gain below
the compressors' thresholds, echo off (measured: -0.2 dB at 440 Hz, the high-pass's skirt).
pedalboard's own Limiter is not used: it adds 6.75 dB of make-up gain below its threshold (JUCE
normalises its ceiling to 0 dBFS). JUCE's Reverb scales its dry level by 2, so dry 0.5 is
unity. The effects are pedalboard's (JUCE), which stream in blocks of any size: the chain run
in 128-frame blocks equals the chain run on the whole signal (0.0 difference). The level and
the duck are numpy ramps over one block, so a change never clicks::

    >>> import numpy as np
    >>> chain = VoiceChain(48_000)
    >>> chain.set(level_db=-6.0, echo=0.0)
    >>> chain.process(np.zeros(128, np.float32)).shape
    (128,)

The settings are written by another thread as one tuple (:meth:`set`) and taken by the
callback at its next block; nothing here takes a lock. Cost and allocation: docs/engine.md,
"Microphones".
"""

from __future__ import annotations

from typing import Any

import numpy as np

from appliance.core.voice import ECHO_DEFAULT

HIGH_PASS_HZ = 100.0
ECHO_DELAY_S = 0.16
LIMIT_DB = -6.0
CEILING = 0.9  # -0.9 dBFS
MAX_BLOCK = 8192


def db_to_gain(db: float) -> float:
    """Linear gain of ``db`` decibels."""
    return float(10.0 ** (db / 20.0))


def _pedalboard() -> Any:
    """pedalboard, imported when a chain is made: importing it starts JUCE, which reads ALSA's
    configuration, and ALSA reads it once per process; the engine sets HOME (a test's
    .asoundrc) first, and an engine without mics never loads it."""
    import pedalboard

    return pedalboard


class VoiceChain:
    """One mic's effects; :meth:`process` is called by the audio callback only."""

    def __init__(self, sample_rate: int) -> None:
        pedalboard = _pedalboard()
        self.sample_rate = sample_rate
        self._delay = pedalboard.Delay(delay_seconds=ECHO_DELAY_S, feedback=0.0, mix=0.0)
        self._reverb = pedalboard.Reverb(
            room_size=0.35, damping=0.5, wet_level=0.0, dry_level=0.5, width=0.0
        )
        self._front = pedalboard.Pedalboard(
            [
                pedalboard.HighpassFilter(cutoff_frequency_hz=HIGH_PASS_HZ),
                pedalboard.Compressor(threshold_db=-20, ratio=3, attack_ms=5, release_ms=120),
                self._delay,
                self._reverb,
            ]
        )
        self._limiter = pedalboard.Compressor(
            threshold_db=LIMIT_DB, ratio=20, attack_ms=1, release_ms=60
        )
        self.requested: tuple[float, float] = (0.0, ECHO_DEFAULT)  # written by other threads
        self._applied: tuple[float, float] | None = None
        self.duck = 1.0  # the howl guard's gain (1 = none), written by the tracking thread
        self._level = 1.0
        self._gain = 0.0  # the stream starts silent and ramps in
        self._unit = np.arange(1, MAX_BLOCK + 1, dtype=np.float32)
        self._ramp = np.zeros(MAX_BLOCK, np.float32)

    def set(self, level_db: float, echo: float) -> None:
        """New level and echo (any thread; the callback applies them at its next block)."""
        self.requested = (float(level_db), min(1.0, max(0.0, float(echo))))

    def _apply_settings(self) -> None:
        requested = self.requested
        if requested is self._applied:
            return
        level_db, echo = requested
        self._level = db_to_gain(level_db)
        self._delay.feedback = 0.15 + 0.35 * echo
        self._delay.mix = 0.3 * echo  # a crossfade: the dry voice keeps 1 - mix
        self._reverb.wet_level = 0.08 * echo  # JUCE scales the wet level by 3
        self._applied = requested

    def process(self, mono: np.ndarray) -> np.ndarray:
        """The treated voice of one block of mic samples (float32, mono); a new array."""
        self._apply_settings()
        frames = len(mono)
        wet = self._front.process(mono[None, :], self.sample_rate, reset=False)[0]
        target = self._level * self.duck
        gain = self._gain
        if gain == target:
            wet *= gain
        else:
            ramp = self._ramp[:frames]
            np.multiply(self._unit[:frames], (target - gain) / frames, out=ramp)
            ramp += gain
            wet *= ramp
            self._gain = target
        out = self._limiter.process(wet[None, :], self.sample_rate, reset=False)[0]
        return np.clip(out, -CEILING, CEILING, out=out)
