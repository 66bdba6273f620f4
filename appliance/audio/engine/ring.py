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

A live change (a new key) replaces what is queued instead of waiting for it to play out: the
producer reserves a frame a little ahead of the callback (:meth:`reserve`; the callback stops
there until the splice is done), renders from that frame's song position with the new settings,
and :meth:`splice` crossfades the queued frames into the new ones::

    >>> at = ring.reserve(margin=0, crossfade=1)     # the next frame to be read
    >>> ring.splice(at, np.zeros((3, 2), np.float32), np.arange(3.0), crossfade=1)
    3
    >>> ring.readable                                # 1 queued frame replaced by 3 new ones
    3
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
        self.limit = -1  # while >= 0, the callback reads no frame from here on (a splice)
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

    @property
    def flushing(self) -> bool:
        """True while queued frames are being faded out and skipped."""
        return self._flush_to >= 0

    @property
    def readable(self) -> int:
        """Frames the callback may read now (up to a reserved splice point)."""
        end = self.written if self.limit < 0 else min(self.written, self.limit)
        return end - self.read

    def write(self, frames: np.ndarray, positions: np.ndarray) -> None:
        """Append (caller checks :attr:`space`)."""
        self._store(self.written, frames, positions)
        self.written += len(frames)

    def _store(self, at: int, frames: np.ndarray, positions: np.ndarray) -> None:
        count = len(frames)
        start = at % self.capacity
        first = min(count, self.capacity - start)
        self._audio[start : start + first] = frames[:first]
        self._positions[start : start + first] = positions[:first]
        if first < count:
            self._audio[: count - first] = frames[first:]
            self._positions[: count - first] = positions[first:]

    def _load(self, at: int, count: int) -> np.ndarray:
        index = np.arange(at, at + count) % self.capacity
        return self._audio[index]

    def position_at(self, frame: int) -> float:
        """Song position (s) carried by queued frame number ``frame``."""
        return float(self._positions[frame % self.capacity])

    def reserve(self, margin: int, crossfade: int) -> int | None:
        """Stop the callback at ``margin`` frames past what it has read and return that frame,
        or None when there is nothing there to replace (or a flush is under way)."""
        if self._flush_to >= 0 or self.limit >= 0:
            return None
        at = self.read + margin
        if self.written - at < max(1, crossfade):
            return None
        self.limit = at
        return at

    def release(self) -> None:
        """Give up a reservation (the queued frames play on)."""
        self.limit = -1

    def splice(self, at: int, frames: np.ndarray, positions: np.ndarray, crossfade: int) -> int:
        """Replace everything queued from frame ``at`` (reserved) by ``frames``, crossfading
        over the first ``crossfade``; returns how many frames were taken (room permitting)."""
        count = min(len(frames), self.capacity - (at - self.read))
        fade = min(crossfade, count, self.written - at)
        if fade > 0:
            shape = 0.5 - 0.5 * np.cos(np.pi * (np.arange(fade) + 0.5) / fade)
            rise = shape.astype(np.float32)[:, None]
            old = self._load(at, fade)
            mixed = old + (frames[:fade] - old) * rise
            self._store(at, mixed, positions[:fade])
        self._store(at + fade, frames[fade:count], positions[fade:count])
        self.written = at + count
        self.limit = -1
        return count

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
        count = min(wanted, self.readable)
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
