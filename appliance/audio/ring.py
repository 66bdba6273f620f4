"""The ring between the producer thread and the PortAudio callback (one writer, one reader).

Frames carry their song position alongside, so the callback publishes exactly what is heard.
The callback side (:meth:`Ring.read_into`) copies into preallocated arrays and takes no lock;
the counters are plain ints, each written by one side only::

    >>> import numpy as np
    >>> ring = Ring(8, channels=2)
    >>> ring.write(np.ones((5, 2), np.float32), np.arange(5.0))
    >>> out = np.zeros((4, 2), np.float32)
    >>> ring.read_into(out), ring.last_position
    (4, 3.0)

:meth:`flush` drops what is queued (a seek, a new song) after fading it out over a few frames.
"""

from __future__ import annotations

import numpy as np


class Ring:
    """``capacity`` frames of ``channels`` float32 audio plus a float64 position per frame."""

    def __init__(self, capacity: int, channels: int) -> None:
        self.capacity, self.channels = capacity, channels
        self._audio = np.zeros((capacity, channels), np.float32)
        self._positions = np.zeros(capacity, np.float64)
        self.written = 0  # producer's counter
        self.read = 0  # callback's counter
        self.last_position = 0.0
        self.end_at = -1  # frame count at which the current song ends (producer sets)
        self._flush_to = -1  # producer asks: skip to this frame
        self._fade_total = 0
        self._fade_left = 0
        self._fade_length = 1

    @property
    def filled(self) -> int:
        """Frames queued."""
        return self.written - self.read

    @property
    def space(self) -> int:
        """Frames that can be written now."""
        return self.capacity - self.filled

    def write(self, frames: np.ndarray, positions: np.ndarray) -> None:
        """Append (caller checks :attr:`space`)."""
        count = len(frames)
        start = self.written % self.capacity
        first = min(count, self.capacity - start)
        self._audio[start : start + first] = frames[:first]
        self._positions[start : start + first] = positions[:first]
        if first < count:
            self._audio[: count - first] = frames[first:]
            self._positions[: count - first] = positions[first:]
        self.written += count

    def flush(self, fade_frames: int) -> None:
        """Drop the queued frames after fading them out over up to ``fade_frames``."""
        self._fade_total = max(1, fade_frames)
        self._flush_to = self.written

    def read_into(self, out: np.ndarray) -> int:
        """Copy up to len(out) frames into ``out`` (callback side); returns frames copied."""
        if self._flush_to >= 0 and self._fade_left == 0 and self._fade_total:
            self._fade_left = min(self._flush_to - self.read, self._fade_total)
            self._fade_length = max(1, self._fade_left)
            self._fade_total = 0
        wanted = len(out)
        if self._fade_left > 0:
            wanted = min(wanted, self._fade_left)
        count = min(wanted, self.filled)
        start = self.read % self.capacity
        first = min(count, self.capacity - start)
        out[:first] = self._audio[start : start + first]
        if first < count:
            out[first:count] = self._audio[: count - first]
        if count and self._flush_to < 0:
            self.last_position = float(self._positions[(self.read + count - 1) % self.capacity])
        self.read += count
        if self._fade_left > 0:
            self._apply_fade(out, count)
        elif self._flush_to >= 0:
            self._finish_flush()
        return count

    def _apply_fade(self, out: np.ndarray, count: int) -> None:
        left = self._fade_left
        steps = np.arange(left, left - count, -1, dtype=np.float32) - 1
        out[:count] *= (steps / self._fade_length)[:, None]
        self._fade_left -= count
        if self._fade_left <= 0:
            self._finish_flush()

    def _finish_flush(self) -> None:
        self.read = max(self.read, self._flush_to)
        self._flush_to = -1
        self._fade_left = 0
