"""The rings of the microphone path (one writer, one reader, no lock: each counter is a plain
int written by one side only; the GIL makes its assignment atomic).

- :class:`MicRing`: capture frames from a mic's own input stream to the output callback.
- :class:`MicSource`: the output callback's side of a :class:`MicRing`, keeping the ring's
  fill near its target: a mic on another card runs on another clock, so once the ring has
  settled the fill drifts by its ppm; one sample is dropped or repeated when the fill's
  minimum over a window leaves its band (counted in ``drift_fixes``). The frames kept after
  each read start at ``SAFETY_FRAMES`` (1 ms: two callbacks of one clock, as on JACK or one
  card) and double after each underrun, up to half the ring: an output stream whose callbacks
  come in bursts (PortAudio's JACK host API with an output latency of several periods) needs
  the burst's worth, and gets it after a few underruns instead of underrunning forever.

    >>> import numpy as np
    >>> ring = MicRing(16, channels=1)
    >>> ring.write(np.ones((5, 1), np.float32))
    >>> out = np.zeros((4, 1), np.float32)
    >>> ring.read_into(out, 4), ring.filled
    (4, 1)
"""

from __future__ import annotations

import numpy as np

SAFETY_FRAMES = 48  # kept in the ring after each read at first: the callbacks' jitter (1 ms)
WINDOW_BLOCKS = 32  # the fill's minimum is taken over this many output blocks


class MicRing:
    """``capacity`` frames of ``channels`` float32 capture."""

    def __init__(self, capacity: int, channels: int) -> None:
        self.capacity, self.channels = capacity, channels
        self._data = np.zeros((capacity, channels), np.float32)
        self.written = 0  # the input callback's counter
        self.read = 0  # the output callback's counter
        self.overflows = 0  # blocks the writer dropped because the reader stopped reading

    @property
    def filled(self) -> int:
        """Frames queued."""
        return self.written - self.read

    def write(self, block: np.ndarray) -> None:
        """The input callback's: queue ``block`` (frames x channels), or drop it when full."""
        frames = len(block)
        if self.written - self.read + frames > self.capacity:
            self.overflows += 1
            return
        start = self.written % self.capacity
        first = min(frames, self.capacity - start)
        self._data[start : start + first] = block[:first]
        self._data[: frames - first] = block[first:]
        self.written += frames

    def read_into(self, out: np.ndarray, frames: int) -> int:
        """The reader's: copy up to ``frames`` queued frames into ``out``; how many."""
        frames = min(frames, self.written - self.read)
        start = self.read % self.capacity
        first = min(frames, self.capacity - start)
        out[:first] = self._data[start : start + first]
        out[first:frames] = self._data[: frames - first]
        self.read += frames
        return frames

    def skip(self, frames: int) -> None:
        """The reader's: drop ``frames`` queued frames."""
        self.read += max(0, min(frames, self.written - self.read))


class MicSource:
    """The output callback's reader of one input stream's ring, with drift control."""

    def __init__(self, ring: MicRing) -> None:
        self.ring = ring
        self.live = False  # the engine's thread sets it once the input stream runs
        self.primed = False
        self.underruns = 0
        self.drift_fixes = 0
        self.resyncs = 0
        self.safety = SAFETY_FRAMES  # frames kept after each read (doubles on an underrun)
        self.last_fill = 0  # frames left in the ring after the last read
        self._low = 1 << 30
        self._blocks = 0
        self._adjust = 0  # +1: drop one sample at the next read; -1: repeat one

    def pull(self, out: np.ndarray, frames: int) -> bool:
        """Fill ``out[:frames]``; False (and ``out`` untouched) while there is nothing yet."""
        ring = self.ring
        filled = ring.filled
        if not self.primed:
            if filled < frames + self.safety:
                return False
            ring.skip(filled - frames - self.safety)  # start at the target
            self.primed, self._low, self._blocks = True, 1 << 30, 0
            filled = ring.filled
        self._low = min(self._low, filled - frames)
        self._blocks += 1
        if self._blocks >= WINDOW_BLOCKS:
            self._steer(frames)
        if self._adjust > 0 and filled > frames:
            ring.skip(1)
            self._adjust = 0
        elif self._adjust < 0 and filled >= frames - 1 and frames > 1:
            got = ring.read_into(out, frames - 1)
            out[got] = out[got - 1]
            self._adjust = 0
            self.last_fill = ring.filled
            return True
        got = ring.read_into(out, frames)
        if got < frames:
            out[got:frames] = 0.0
            self.underruns += 1
            self.primed = False
            self.safety = min(self.ring.capacity // 2 - frames, 2 * self.safety)
        self.last_fill = ring.filled
        return True

    def _steer(self, frames: int) -> None:
        """At a window's end: compare the lowest fill left after a read with the target."""
        low, self._low, self._blocks = self._low, 1 << 30, 0
        safety = self.safety
        excess = low - safety
        if excess > frames + safety:  # far off (a stall): back to the target at once
            self.ring.skip(excess)
            self.resyncs += 1
        elif excess > safety // 2:
            self._adjust, self.drift_fixes = 1, self.drift_fixes + 1
        elif low < safety // 4:
            self._adjust, self.drift_fixes = -1, self.drift_fixes + 1

    def restart(self) -> None:
        """The stream was reopened: prime again from what comes."""
        self.primed = False
        self.ring.skip(self.ring.filled)


class DirectSource:
    """A mic on the output device itself: the duplex stream's input block, no ring."""

    def __init__(self, channels: int) -> None:
        self.block: np.ndarray | None = None  # the duplex callback's indata, this block
        self.live = True
        self.underruns = self.drift_fixes = self.resyncs = self.last_fill = 0
        self.channels = channels

    def pull(self, out: np.ndarray, frames: int) -> bool:
        """Copy this block's input."""
        block = self.block
        if block is None:
            return False
        out[:frames] = block[:frames, : out.shape[1]]
        return True
