"""A look-ahead peak limiter: no sample ever leaves it above the ceiling.

Streaming and block-size invariant: the same audio cut into any blocks gives the same output,
so the live engine and the offline export agree sample for sample::

    >>> import numpy as np
    >>> limiter = Limiter(channels=2)
    >>> burst = np.full((4800, 2), 4.0, np.float32)        # +12 dBFS
    >>> out = np.concatenate([limiter.process(b) for b in np.array_split(burst, 7)])
    >>> bool(np.abs(out).max() <= limiter.ceiling)
    True

How: the gain each sample needs (ceiling / peak) is held with a running minimum over the
look-ahead plus a hold time, then smoothed by a moving average as long as the look-ahead; the
audio is delayed by the look-ahead, so the gain is fully down when the peak arrives.
:class:`OutputLimiters` runs one limiter per output pair.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

CEILING = 10 ** (-1.0 / 20)  # -1 dBFS
LOOKAHEAD_FRAMES = 96  # 2 ms at 48 kHz
HOLD_FRAMES = 960  # 20 ms: longer than a bass note's period, so the gain does not ripple


class Limiter:
    """Peak limiter with ``lookahead`` frames of delay."""

    def __init__(
        self,
        channels: int,
        *,
        ceiling: float = CEILING,
        lookahead: int = LOOKAHEAD_FRAMES,
        hold: int = HOLD_FRAMES,
    ) -> None:
        self.ceiling = ceiling
        self.lookahead = lookahead
        self._window = lookahead + hold + 1
        self._needed = np.ones(self._window - 1)
        self._held = np.ones(lookahead - 1)
        self._delay = np.zeros((lookahead, channels), np.float32)

    @property
    def latency_frames(self) -> int:
        """Delay the limiter adds."""
        return self.lookahead

    def process(self, block: np.ndarray) -> np.ndarray:
        """Limit ``block`` (n x channels float32); returns n frames, delayed by the look-ahead."""
        count = len(block)
        if count == 0:
            return block
        peaks = np.abs(block).max(axis=1).astype(np.float64)
        needed = np.minimum(1.0, self.ceiling / np.maximum(peaks, 1e-12))
        all_needed = np.concatenate([self._needed, needed])
        if all_needed.min() >= 1.0 and self._held.min() >= 1.0:
            gains = None
            held = np.ones(count)
        else:
            held = sliding_window_view(all_needed, self._window).min(axis=1)
            all_held = np.concatenate([self._held, held])
            gains = sliding_window_view(all_held, self.lookahead).mean(axis=1)
        self._needed = all_needed[-(self._window - 1) :]
        self._held = np.concatenate([self._held, held])[-(self.lookahead - 1) :]
        audio = np.concatenate([self._delay, block])
        self._delay = audio[count:].copy()
        out = audio[:count]
        if gains is not None:
            out = (out * gains[:, None]).astype(np.float32)
            np.clip(out, -self.ceiling, self.ceiling, out=out)
        return out

    def reset(self) -> None:
        """Forget the past (a new song)."""
        self._needed[:] = 1.0
        self._held[:] = 1.0
        self._delay[:] = 0.0


class OutputLimiters:
    """One :class:`Limiter` per group of output channels (an output pair), so what is loud on
    one pair never turns another down: the room's music on 1-2 does not duck the performers'
    click on 3-4. Same latency for every group, so the outputs stay aligned::

        >>> limiters = OutputLimiters([(0, 2), (2, 4)])
        >>> block = np.zeros((480, 4), np.float32)
        >>> block[:, :2] = 4.0                                # +12 dBFS music, 0.5 click
        >>> block[:, 2:] = 0.5
        >>> out = limiters.process(block)
        >>> float(out[200:, 2].min())                          # the click untouched
        0.5
    """

    def __init__(self, groups: list[tuple[int, int]]) -> None:
        self.groups = groups
        self.limiters = [Limiter(stop - start) for start, stop in groups]

    @property
    def latency_frames(self) -> int:
        """Delay every group adds (the same)."""
        return self.limiters[0].latency_frames

    def process(self, block: np.ndarray) -> np.ndarray:
        """Limit each group of ``block``'s channels on its own."""
        if len(self.limiters) == 1:
            return self.limiters[0].process(block)
        out = np.empty_like(block)
        for (start, stop), limiter in zip(self.groups, self.limiters, strict=True):
            out[:, start:stop] = limiter.process(block[:, start:stop])
        return out

    def reset(self) -> None:
        """Forget the past (a new song) in every group."""
        for limiter in self.limiters:
            limiter.reset()
