"""Vocal reduction of a stereo mix: the centred, sustained, harmonic part is taken out per STFT
bin; drums, the bass and instruments panned off centre stay.

A bin of hop ``c`` loses its mid ``(L + R) / 2`` times the product of four weights, each 0..1,

- **band**: 0 below 200 Hz, 1 from 350 Hz to 8 kHz, 0 above 10 kHz (raised-cosine edges), so the
  bass's fundamentals and the kick stay;
- **centre**: ``2 Re(L R*) / (|L|^2 + |R|^2)``, 0 below 0.87 (a source more than 4.7 dB louder
  in one channel), 1 above 0.97 (within 2.2 dB); below 700 Hz, where the voice is loudest and
  shares its bins with more instruments, 0 below 0.8 (6.0 dB) and 1 above 0.95 (2.8 dB);
- **sustained**: over the 9 hops (96 ms) before or the 9 hops after ``c``, the bin's mid
  magnitude (max-pooled over +-2 bins, one more bin per kHz above 3 kHz, so a vibrato stays in
  its pool) keeps ``min / max`` high (0 at 0.35, 1 at 0.65): a held note does, a plucked
  bass's partials and a drum's noise decay or flicker and do not;
- **harmonic**: ``H^2 / (H^2 + P^2)`` with ``H`` the median of the bin's mid magnitude over
  17 hops and ``P`` the median over 17 bins of hop ``c`` (harmonic/percussive split);
- and what is left is raised by ``MAKEUP_DB`` (the voice's share of the mix's loudness).

Frames: 2048-frame sqrt-Hann windows, hop 512, weighted overlap-add. Hop ``c`` is decided 8
hops after it was read (the windows above look ahead), so the output is ``LATENCY_FRAMES``
late; :class:`appliance.audio.dsp.vocals.MixStemProcessor` hides that::

    >>> canceller = CentreCanceller()
    >>> out = canceller.process(block)  # as many frames, LATENCY_FRAMES late  # doctest: +SKIP

``process_with(mix, followers)`` applies the mix's per-bin decisions to other signals too
(each stem of a mix, to measure what happens to each: the outputs add up to the mix's).
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import median_filter

from appliance.audio.sources.stems import SAMPLE_RATE

FFT_FRAMES = 2048  # 23 Hz bins: a voice's partials are resolved
HOP_FRAMES = 512
LOOK_HOPS = 8  # the sustained/harmonic windows reach this many hops ahead (and back)
SPAN_HOPS = 2 * LOOK_HOPS + 1
LATENCY_FRAMES = FFT_FRAMES + LOOK_HOPS * HOP_FRAMES
HISTORY_FRAMES = FFT_FRAMES + LOOK_HOPS * HOP_FRAMES  # what an output frame depends on
BAND_LOW_HZ = (200.0, 350.0)  # nothing taken below the first, all above the second
BAND_HIGH_HZ = (8_000.0, 10_000.0)  # all below the first, nothing above the second
CENTRE_SIMILARITY = (0.87, 0.97)  # 2 Re(L R*) / (|L|^2 + |R|^2): none below, all above
CENTRE_SIMILARITY_LOW = (0.8, 0.95)  # the same below LOW_HZ, where the voice is loudest
LOW_HZ = 700.0
SUSTAIN_RATIO = (0.35, 0.65)  # min / max of the pooled magnitude over 9 hops: none below, all above
POOL_BINS = 2  # max-pooling across bins everywhere, plus one bin per kHz from 3 kHz
POOL_MAX_KHZ = 8
MEDIAN_BINS = 17
MAKEUP_DB = 1.5
_TINY = np.float32(1e-9)


def _raised_cosine(x: np.ndarray, start: float, end: float) -> np.ndarray:
    share = np.clip((x - start) / (end - start), 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * share)


def band_weights(frames: int = FFT_FRAMES, rate: int = SAMPLE_RATE) -> np.ndarray:
    """Per rfft bin, how much of the centre may be taken out (0 below 200 Hz, 1 from 350 Hz to
    8 kHz, 0 above 10 kHz, raised-cosine edges)."""
    freqs = np.fft.rfftfreq(frames, 1 / rate)
    rise = _raised_cosine(freqs, *BAND_LOW_HZ)
    fall = 1.0 - _raised_cosine(freqs, *BAND_HIGH_HZ)
    return (rise * fall).astype(np.float32)


def _pool_starts(frames: int = FFT_FRAMES, rate: int = SAMPLE_RATE) -> list[int]:
    """For pooling distance p = 1, 2, ...: the first bin pooled that far."""
    bin_hz = rate / frames
    starts = [0] * POOL_BINS
    for khz in range(POOL_BINS + 1, POOL_MAX_KHZ + 1):
        starts.append(int(np.ceil(khz * 1000 / bin_hz)))
    return starts


def _ramp(x: np.ndarray, low: float, high: float) -> np.ndarray:
    return np.clip((x - np.float32(low)) * np.float32(1 / (high - low)), 0.0, 1.0)


class CentreCanceller:
    """Streaming vocal reduction (see the module's doc). ``process`` takes any number of
    frames and returns as many, ``LATENCY_FRAMES`` late."""

    def __init__(self, followers: int = 0) -> None:
        hann = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FFT_FRAMES) / FFT_FRAMES)
        self._window = np.sqrt(hann).astype(np.float32)[:, None]
        ola_scale = HOP_FRAMES / (FFT_FRAMES / 2)  # the sum of the hann overlaps
        self._out_window = self._window * np.float32(ola_scale * 10 ** (MAKEUP_DB / 20))
        self._band = band_weights()
        low = np.fft.rfftfreq(FFT_FRAMES, 1 / SAMPLE_RATE) < LOW_HZ
        ends = np.where(low[:, None], CENTRE_SIMILARITY_LOW, CENTRE_SIMILARITY)
        self._similar_from = ends[:, 0].astype(np.float32)
        self._similar_scale = (1 / (ends[:, 1] - ends[:, 0])).astype(np.float32)
        self._pools = _pool_starts()
        self._channels = 2 * (1 + followers)
        self.reset()

    def reset(self) -> None:
        """Forget the past: silence before the next frame."""
        bins, channels = FFT_FRAMES // 2 + 1, self._channels
        self._frame = np.zeros((FFT_FRAMES, channels), np.float32)
        self._sum = np.zeros((FFT_FRAMES, channels), np.float32)
        self._spectra = np.zeros((LOOK_HOPS + 1, bins, channels), np.complex64)
        self._mags = np.zeros((bins, SPAN_HOPS), np.float32)  # a ring: column = hop % SPAN
        self._hops = 0
        self._pooled = np.zeros((SPAN_HOPS, bins), np.float32)
        self._waiting = np.zeros((0, channels), np.float32)  # input short of a whole hop
        self._ready = np.zeros((HOP_FRAMES, channels), np.float32)  # output not handed out

    def process(self, block: np.ndarray) -> np.ndarray:
        """(n, 2) in, (n, 2) out: the input of ``LATENCY_FRAMES`` ago, the vocal taken out."""
        return self._process(block)

    def process_with(
        self, block: np.ndarray, followers: list[np.ndarray]
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """``process(block)``, and each follower (n, 2) given the same per-bin treatment."""
        out = self._process(np.concatenate([block, *followers], axis=1))
        return out[:, :2], [out[:, 2 * i + 2 : 2 * i + 4] for i in range(len(followers))]

    def _process(self, block: np.ndarray) -> np.ndarray:
        pending = np.concatenate([self._waiting, block]) if len(self._waiting) else block
        hops = len(pending) // HOP_FRAMES
        produced = [self._ready]
        for index in range(hops):
            produced.append(self._hop(pending[index * HOP_FRAMES : (index + 1) * HOP_FRAMES]))
        self._waiting = pending[hops * HOP_FRAMES :].astype(np.float32, copy=True)
        ready = np.concatenate(produced) if len(produced) > 1 else self._ready
        out, self._ready = ready[: len(block)], ready[len(block) :]
        return out

    def _hop(self, new: np.ndarray) -> np.ndarray:
        self._frame[:-HOP_FRAMES] = self._frame[HOP_FRAMES:]
        self._frame[-HOP_FRAMES:] = new
        spectrum = np.fft.rfft(self._frame * self._window, axis=0).astype(np.complex64)
        magnitude = np.abs(0.5 * (spectrum[:, 0] + spectrum[:, 1]))
        self._push(spectrum, magnitude)
        current = self._spectra[0]  # the hop LOOK_HOPS ago, at the centre of the windows
        weights = self._weights(current[:, 0], current[:, 1])[:, None]
        mids = 0.5 * (current[:, 0::2] + current[:, 1::2]) * weights  # (bins, signals)
        cleaned = current - np.repeat(mids, 2, axis=1)
        frame = np.fft.irfft(cleaned, n=FFT_FRAMES, axis=0).astype(np.float32)
        self._sum += frame * self._out_window
        out = self._sum[:HOP_FRAMES].copy()
        self._sum[:-HOP_FRAMES] = self._sum[HOP_FRAMES:]
        self._sum[-HOP_FRAMES:] = 0.0
        return out

    def _push(self, spectrum: np.ndarray, magnitude: np.ndarray) -> None:
        self._spectra[:-1] = self._spectra[1:]
        self._spectra[-1] = spectrum
        self._mags[:, self._hops % SPAN_HOPS] = magnitude
        self._hops += 1
        pooled = magnitude.copy()
        reach, bins = len(self._pools), len(magnitude)
        padded = np.pad(magnitude, reach, mode="edge")
        for distance, start in enumerate(self._pools, start=1):
            lower = padded[reach + start - distance : reach + bins - distance]
            upper = padded[reach + start + distance : reach + bins + distance]
            np.maximum(pooled[start:], np.maximum(lower, upper), out=pooled[start:])
        self._pooled[:-1] = self._pooled[1:]
        self._pooled[-1] = pooled

    def _weights(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        power = left.real**2 + left.imag**2 + right.real**2 + right.imag**2 + _TINY
        similarity = 2 * (left * np.conj(right)).real / power
        centred = np.clip((similarity - self._similar_from) * self._similar_scale, 0.0, 1.0)
        weights = self._band * centred
        past, future = self._pooled[: LOOK_HOPS + 1], self._pooled[LOOK_HOPS:]
        steady = np.maximum(
            past.min(axis=0) / (past.max(axis=0) + _TINY),
            future.min(axis=0) / (future.max(axis=0) + _TINY),
        )
        weights *= _ramp(steady, *SUSTAIN_RATIO)
        harmonic = np.partition(self._mags, LOOK_HOPS, axis=1)[:, LOOK_HOPS] ** 2
        centre = self._mags[:, (self._hops - 1 - LOOK_HOPS) % SPAN_HOPS]
        percussive = median_filter(centre, size=MEDIAN_BINS, mode="nearest") ** 2
        weights *= harmonic / (harmonic + percussive + _TINY)
        return weights.astype(np.float32)
