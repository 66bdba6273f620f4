"""Songs without stems: live vocal reduction of a stereo mix, and the channel choice of
"multiplex" tracks (left channel instrumental, right channel with the guide vocal).

Vocal reduction is band-limited centre cancellation done per STFT bin: between ~120 Hz and
~9 kHz the mid signal ``(L + R) / 2`` is subtracted from both channels where the two channels
agree (same level and phase: a centred voice), and nowhere else. Bass and kick below the band
and the air above it stay; instruments panned to a side stay at their level. A plain
time-domain ``L - R`` would also halve a hard-panned instrument (-6 dB in its channel) and put
an inverted copy in the other channel::

    >>> canceller = CentreCanceller()
    >>> out = canceller.process(block)  # as many frames, LATENCY_FRAMES late  # doctest: +SKIP

The canceller is a pure delay of ``LATENCY_FRAMES``, which :class:`MixStemProcessor` hides:
after a seek the stems are read from an FFT frame before the position (on a fixed hop grid, so
a restart renders exactly what a whole render has there) and the frames before the position
are dropped; the song's last frames are pushed out with silence.

Multiplex: both speakers get ``(1 - w) * left + w * right`` with ``w = guide_level / 2``:
guide 0 is "left" (instrumental only, the default for these songs), guide 1 is "both" (the two
channels summed, the guide vocal at half level, heard from both speakers), and
:data:`MULTIPLEX_CHOICES` names the three points, "right" included.
"""

from __future__ import annotations

import numpy as np

from appliance.audio.dsp.gains import RAMP_FRAMES
from appliance.audio.sources.stems import SAMPLE_RATE
from appliance.core.models import MixSettings, Song

FFT_FRAMES = 2048  # 23 Hz bins: the 120 Hz edge and a voice's partials are resolved
HOP_FRAMES = 512
LATENCY_FRAMES = FFT_FRAMES
BAND_LOW_HZ = (90.0, 150.0)  # no cancellation below the first, full above the second
BAND_HIGH_HZ = (8_000.0, 10_000.0)  # full below the first, none above the second
CENTRE_SIMILARITY = (0.6, 0.9)  # 2 Re(L R*) / (|L|^2 + |R|^2): none below, full above
MULTIPLEX_TAG = "multiplex"
MULTIPLEX_CHOICES = {"left": 0.0, "both": 0.5, "right": 1.0}  # the right channel's share


def _raised_cosine(x: np.ndarray, start: float, end: float) -> np.ndarray:
    share = np.clip((x - start) / (end - start), 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * share)


def band_weights(frames: int = FFT_FRAMES, rate: int = SAMPLE_RATE) -> np.ndarray:
    """Per rfft bin, how much of the centre is taken out (0 below 90 Hz, 1 from 150 Hz to
    8 kHz, 0 above 10 kHz, raised-cosine edges)."""
    freqs = np.fft.rfftfreq(frames, 1 / rate)
    rise = _raised_cosine(freqs, *BAND_LOW_HZ)
    fall = 1.0 - _raised_cosine(freqs, *BAND_HIGH_HZ)
    return (rise * fall).astype(np.float32)


class CentreCanceller:
    """Streaming centre cancellation: weighted overlap-add, sqrt-Hann windows, 75% overlap.

    ``process`` takes any number of frames and returns as many, ``LATENCY_FRAMES`` late."""

    def __init__(self) -> None:
        hann = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FFT_FRAMES) / FFT_FRAMES)
        self._window = np.sqrt(hann).astype(np.float32)[:, None]
        self._scale = np.float32(HOP_FRAMES / (FFT_FRAMES / 2))  # sum of the hann overlaps
        self._band = band_weights()[:, None]
        self.reset()

    def reset(self) -> None:
        """Forget the past: silence before the next frame."""
        self._frame = np.zeros((FFT_FRAMES, 2), np.float32)
        self._sum = np.zeros((FFT_FRAMES, 2), np.float32)
        self._waiting = np.zeros((0, 2), np.float32)  # input short of a whole hop
        self._ready = np.zeros((HOP_FRAMES, 2), np.float32)  # output not handed out yet

    def process(self, block: np.ndarray) -> np.ndarray:
        """(n, 2) in, (n, 2) out: the input of ``LATENCY_FRAMES`` ago, centre removed."""
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
        spectrum = np.fft.rfft(self._frame * self._window, axis=0)
        left, right = spectrum[:, 0], spectrum[:, 1]
        power = (left.real**2 + left.imag**2 + right.real**2 + right.imag**2) + 1e-12
        similarity = 2 * (left * np.conj(right)).real / power
        low, high = CENTRE_SIMILARITY
        mask = np.clip((similarity - low) / (high - low), 0.0, 1.0)[:, None]
        centre = 0.5 * (left + right)[:, None] * mask * self._band
        cleaned = np.fft.irfft(spectrum - centre, n=FFT_FRAMES, axis=0).astype(np.float32)
        self._sum += cleaned * self._window * self._scale
        out = self._sum[:HOP_FRAMES].copy()
        self._sum[:-HOP_FRAMES] = self._sum[HOP_FRAMES:]
        self._sum[-HOP_FRAMES:] = 0.0
        return out


def is_multiplex(song: Song) -> bool:
    """True for a multiplex track (tagged by the MP3+G reader)."""
    return MULTIPLEX_TAG in song.tags


def mix_stem_index(song: Song) -> int | None:
    """The stem vocal reduction and the multiplex choice work on: the only music stem of a
    song without stems (its ``mix``); None for a song with separate stems."""
    music = [i for i, stem in enumerate(song.stems) if not stem.role.is_monitor_only]
    return music[0] if len(music) == 1 else None


def right_share(settings: MixSettings) -> float:
    """The right channel's share in a multiplex track: half the guide level."""
    return settings.guide_level / 2


class MixStemProcessor:
    """What happens to a song's mix stem before the stem gains: the multiplex choice (ramped
    like a fader) or vocal reduction (a restart, which the live engine crossfades)::

        >>> processor = MixStemProcessor(song, MixSettings(vocal_reduction=True))  # doctest: +SKIP
        >>> stems.seek(processor.restart(frame))  # reads start earlier  # doctest: +SKIP
        >>> block = processor.process(stems.read(1024), final=False)  # doctest: +SKIP
    """

    def __init__(self, song: Song, settings: MixSettings) -> None:
        self.index = mix_stem_index(song)
        self.multiplex = self.index is not None and is_multiplex(song)
        self._share = self._target = right_share(settings)
        self._ramp_from, self._ramp_done = self._share, RAMP_FRAMES
        self.canceller: CentreCanceller | None = None
        self._stems = len(song.stems)
        self._delay = np.zeros((0, self._stems, 2), np.float32)
        self._drop = 0
        self.set_reduction(settings)

    def set_reduction(self, settings: MixSettings) -> bool:
        """Switch vocal reduction to ``settings``; True when that needs a restart."""
        wanted = settings.vocal_reduction and self.index is not None and not self.multiplex
        if wanted == (self.canceller is not None):
            return False
        self.canceller = CentreCanceller() if wanted else None
        return True

    def set_share(self, settings: MixSettings, *, ramp: bool) -> None:
        """Aim the multiplex choice at ``settings`` (over RAMP_FRAMES, or at once)."""
        target = right_share(settings)
        self._ramp_from = self._current() if ramp else target
        self._target, self._ramp_done = target, 0 if ramp else RAMP_FRAMES

    def _current(self) -> float:
        share = min(1.0, self._ramp_done / RAMP_FRAMES)
        return self._ramp_from + (self._target - self._ramp_from) * share

    def restart(self, frame: int) -> int:
        """Prepare to output song frame ``frame`` next; returns the frame to read stems from.

        With vocal reduction: an FFT frame earlier, on the hop grid of a render from the start
        (silence before the song), and all output before ``frame`` is dropped."""
        if self.canceller is None:
            return frame
        start = (frame // HOP_FRAMES) * HOP_FRAMES - FFT_FRAMES
        self.canceller.reset()
        self._delay = np.zeros((LATENCY_FRAMES, self._stems, 2), np.float32)
        self._drop = frame - start + LATENCY_FRAMES
        if start < 0:
            self.process(np.zeros((-start, self._stems, 2), np.float32), final=False)
        return max(0, start)

    def process(self, block: np.ndarray, final: bool) -> np.ndarray:
        """The block (n, stems, 2) to mix: the mix stem changed. With vocal reduction every
        stem comes out ``LATENCY_FRAMES`` late (see :meth:`restart`), and at the ``final``
        block the song's last frames come out too."""
        if self.index is None:
            return block
        if self.multiplex:
            block[:, self.index, :] = self._multiplex(block[:, self.index, :])
            return block
        if self.canceller is None:
            return block
        if final:
            silence = np.zeros((LATENCY_FRAMES, self._stems, 2), np.float32)
            block = np.concatenate([block, silence])
        delayed = np.concatenate([self._delay, block])
        out, self._delay = delayed[: len(block)], delayed[len(block) :]
        out[:, self.index, :] = self.canceller.process(block[:, self.index, :])
        if self._drop:
            dropped = min(self._drop, len(out))
            self._drop -= dropped
            out = out[dropped:]
        return out

    def _multiplex(self, stem: np.ndarray) -> np.ndarray:
        if self._ramp_done >= RAMP_FRAMES:
            share: np.ndarray | np.float32 = np.float32(self._target)
        else:
            steps = np.arange(self._ramp_done + 1, self._ramp_done + len(stem) + 1)
            ramp = np.minimum(1.0, steps / RAMP_FRAMES)
            share = (self._ramp_from + (self._target - self._ramp_from) * ramp)[:, None]
            share = share.astype(np.float32)
            self._ramp_done += len(stem)
        mono = stem[:, :1] + share * (stem[:, 1:] - stem[:, :1])
        return np.repeat(mono, 2, axis=1)
