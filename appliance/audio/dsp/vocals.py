"""Songs without stems: live vocal reduction of a stereo mix, and the channel choice of
"multiplex" tracks (left channel instrumental, right channel with the guide vocal).

Vocal reduction is :class:`~appliance.audio.dsp.centre.CentreCanceller` (``centre.py``): the
centred, sustained, harmonic part of the mix between 200 Hz and 10 kHz is taken out per STFT
bin; drums, the bass and instruments panned off centre stay, and the level is made up::

    >>> canceller = CentreCanceller()
    >>> out = canceller.process(block)  # as many frames, LATENCY_FRAMES late  # doctest: +SKIP

The canceller is a pure delay of ``LATENCY_FRAMES``, which :class:`MixStemProcessor` hides:
after a seek the stems are read from ``HISTORY_FRAMES`` before the position (on a fixed hop
grid, so a restart renders exactly what a whole render has there) and the frames before the
position are dropped; the song's last frames are pushed out with silence.

Multiplex: both speakers get ``(1 - w) * left + w * right`` with ``w = guide_level / 2``:
guide 0 is "left" (instrumental only, the default for these songs), guide 1 is "both" (the two
channels summed, the guide vocal at half level, heard from both speakers), and
:data:`MULTIPLEX_CHOICES` names the three points, "right" included.
"""

from __future__ import annotations

import numpy as np

from appliance.audio.dsp.centre import (
    HISTORY_FRAMES,
    HOP_FRAMES,
    LATENCY_FRAMES,
    CentreCanceller,
)
from appliance.audio.dsp.gains import RAMP_FRAMES
from appliance.core.models import MixSettings, Song

MULTIPLEX_TAG = "multiplex"
MULTIPLEX_CHOICES = {"left": 0.0, "both": 0.5, "right": 1.0}  # the right channel's share


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

        With vocal reduction: ``HISTORY_FRAMES`` earlier (all that an output frame depends on),
        on the hop grid of a render from the start (silence before the song), and all output
        before ``frame`` is dropped."""
        if self.canceller is None:
            return frame
        start = (frame // HOP_FRAMES) * HOP_FRAMES - HISTORY_FRAMES
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
