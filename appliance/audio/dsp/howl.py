"""Feedback (howl) detection on a microphone's raw samples, outside the audio callback.

A howl is the speakers' sound coming back into the mic with a loop gain above one at some
frequency: one sine that grows until something clips. A voice is a harmonic series that moves.
So a 2048-frame spectrum (hop 1024: 21 ms at 48 kHz) is a howl candidate when its strongest
bin stands far above the spectrum's mean (peak-to-average ratio ``PAPR_DB``), above its own
harmonics (``PHPR_DB``: a sung vowel's second and third partials are within a few dB of its
first) and above the noise floor; a howl is declared when candidates stay on the same bin (two
bins either way) for ``SUSTAIN_S``, with at most ``MISSES`` frames in a row that are not (a
gap, a frame where the loop's level dips), and not dying away (``DECAY_DB`` under the run's
loudest frame counts as a miss)::

    >>> import numpy as np
    >>> detector = HowlDetector(48_000)
    >>> t = np.arange(48_000) / 48_000
    >>> growing = (0.01 * np.exp(3 * t) * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    >>> round(detector.feed(growing)[0])
    1008
"""

from __future__ import annotations

import numpy as np

FRAME = 2048
HOP = 1024
PAPR_DB = 22.0
PHPR_DB = 15.0
FLOOR_DB = -70.0  # frame RMS below this is never a howl (a quiet room through a mic)
SUSTAIN_S = 0.2
DECAY_DB = 12.0  # a frame this far under the run's loudest is dying away, not howling
MISSES = 2
LOWEST_HZ = 80.0


class HowlDetector:
    """Feed mono samples in any block size; :meth:`feed` returns the frequencies (Hz) of the
    howls declared in them (one per howl: the run must break before the next)."""

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._window = np.hanning(FRAME).astype(np.float32)
        self._buffer = np.zeros(0, np.float32)
        self._lowest_bin = int(LOWEST_HZ * FRAME / sample_rate)
        self._run_bin = -1
        self._run_frames = 0
        self._run_max_db = 0.0
        self._misses = 0
        self._declared = False
        self._needed = int(np.ceil(SUSTAIN_S * sample_rate / HOP))
        self.last_papr_db = 0.0

    def feed(self, mono: np.ndarray) -> list[float]:
        """Analyse ``mono``; the howls found (usually none)."""
        self._buffer = np.concatenate([self._buffer, mono.astype(np.float32, copy=False)])
        found = []
        while len(self._buffer) >= FRAME:
            frequency = self._frame(self._buffer[:FRAME])
            if frequency is not None:
                found.append(frequency)
            self._buffer = self._buffer[HOP:]
        return found

    def reset(self) -> None:
        """Forget the current run (after the mic was ducked or reopened)."""
        self._run_bin, self._run_frames, self._declared, self._misses = -1, 0, False, 0

    def _miss(self) -> None:
        self._misses += 1
        if self._misses > MISSES:
            self.reset()

    def _frame(self, frame: np.ndarray) -> float | None:
        rms = float(np.sqrt(np.mean(frame * frame)))
        if rms <= 10 ** (FLOOR_DB / 20):
            self._miss()
            return None
        power = np.abs(np.fft.rfft(frame * self._window)) ** 2
        peak = self._lowest_bin + int(np.argmax(power[self._lowest_bin :]))
        peak_power = float(power[peak]) + 1e-20
        self.last_papr_db = 10 * np.log10(peak_power / (float(power.mean()) + 1e-20))
        if self.last_papr_db < PAPR_DB or _harmonic_ratio_db(power, peak) < PHPR_DB:
            self._miss()
            return None
        return self._extend_run(peak, float(10 * np.log10(peak_power)))

    def _extend_run(self, peak: int, peak_db: float) -> float | None:
        if self._run_bin < 0 or abs(peak - self._run_bin) > 2:
            self._run_bin, self._run_frames, self._run_max_db = peak, 1, peak_db
            self._declared, self._misses = False, 0
            return None
        if peak_db < self._run_max_db - DECAY_DB:
            self._miss()
            return None
        self._run_bin, self._misses = peak, 0
        self._run_frames += 1
        self._run_max_db = max(self._run_max_db, peak_db)
        if self._run_frames >= self._needed and not self._declared:
            self._declared = True
            return peak * self.sample_rate / FRAME
        return None


def _harmonic_ratio_db(power: np.ndarray, peak: int) -> float:
    """How far the peak stands above its 2nd and 3rd harmonics (and its sub-octave): a lone
    sine is far above all, a voice is not. Harmonics past Nyquist do not count."""
    around = []
    for ratio in (0.5, 2.0, 3.0):
        centre = round(peak * ratio)
        if 1 <= centre < len(power) - 2 and abs(centre - peak) > 2:
            around.append(float(power[centre - 2 : centre + 3].max()))
    if not around:
        return float("inf")
    return float(10 * np.log10((power[peak] + 1e-20) / (max(around) + 1e-20)))
