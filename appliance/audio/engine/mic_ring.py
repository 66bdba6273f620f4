"""The rings of the microphone path (one writer, one reader, no lock: each counter is a plain
int written by one side only; the GIL makes its assignment atomic).

- :class:`MicRing`: capture frames from a mic's own input stream to the output callback.
- :class:`MicSource`: the output callback's side of a :class:`MicRing`, keeping the ring's
  fill near its target: a mic on another card runs on another clock, so once the ring has
  settled the fill drifts by its ppm. The reader measures the frames captured but not yet
  played (the ring's fill plus what the input device has gathered since its last block, from
  the block's time stamp: continuous, where the fill alone jumps by whole blocks) and holds
  its average where it was just after priming, dropping or repeating one sample when the
  average strays ``STEER_BAND`` frames (counted in ``drift_fixes``). The frames kept after
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
WINDOW_BLOCKS = 16  # the fill is averaged over this many output blocks (43 ms at 128)
STEER_BAND = 2.0  # frames the average may stray from its reference before a sample is fixed
SAMPLE_RATE = 48_000


class MicRing:
    """``capacity`` frames of ``channels`` float32 capture."""

    def __init__(self, capacity: int, channels: int) -> None:
        self.capacity, self.channels = capacity, channels
        self._data = np.zeros((capacity, channels), np.float32)
        self.written = 0  # the input callback's counter
        self.read = 0  # the output callback's counter
        self.overflows = 0  # blocks the writer dropped because the reader stopped reading
        self.stamp: tuple[int, float] = (0, 0.0)  # (written, time.monotonic()) of the last write

    @property
    def filled(self) -> int:
        """Frames queued."""
        return self.written - self.read

    def write(self, block: np.ndarray, now: float = 0.0) -> None:
        """The input callback's: queue ``block`` (frames x channels), or drop it when full;
        ``now`` (time.monotonic()) stamps it for the reader's drift control."""
        frames = len(block)
        if self.written - self.read + frames > self.capacity:
            self.overflows += 1
            return
        start = self.written % self.capacity
        first = min(frames, self.capacity - start)
        self._data[start : start + first] = block[:first]
        self._data[: frames - first] = block[first:]
        self.written += frames
        self.stamp = (self.written, now)

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
        self.safety = SAFETY_FRAMES  # frames kept after each read (doubles on an underrun)
        self.last_fill = 0  # frames left in the ring after the last read
        self._sum = 0.0
        self._blocks = 0
        self._reference = -1.0  # the captured-but-unplayed average the ring is held at
        self._adjust = 0  # +1: drop one sample at the next read; -1: repeat one

    def pull(self, out: np.ndarray, frames: int, now: float) -> bool:
        """Fill ``out[:frames]``; False (and ``out`` untouched) while there is nothing yet.
        ``now`` is time.monotonic(), the clock the writer stamps its blocks with."""
        ring = self.ring
        filled = ring.filled
        if not self.primed:
            if filled < frames + self.safety:
                return False
            ring.skip(filled - frames - self.safety)  # start at the target
            self.primed, self._reference, self._sum, self._blocks = True, -1.0, 0.0, 0
        self._measure(frames, now)
        if self._adjust > 0 and ring.filled > frames:
            ring.skip(1)
            self._adjust, self.drift_fixes = 0, self.drift_fixes + 1
        elif self._adjust < 0 and ring.filled >= frames - 1 and frames > 1:
            got = ring.read_into(out, frames - 1)
            out[got] = out[got - 1]
            self._adjust, self.drift_fixes = 0, self.drift_fixes + 1
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

    def _measure(self, frames: int, now: float) -> None:
        """Frames captured but not yet played, counting those the input device holds since
        its last block (continuous: a block's arrival does not make it jump); its average over
        a window is held where it was in the first window after priming."""
        written, stamped = self.ring.stamp
        since = min(max(0.0, now - stamped) * SAMPLE_RATE, 2.0 * frames)
        self._sum += written - self.ring.read + since
        self._blocks += 1
        if self._blocks < WINDOW_BLOCKS:
            return
        average = self._sum / self._blocks
        self._sum, self._blocks = 0.0, 0
        if self._reference < 0:
            self._reference = average
        elif average > self._reference + STEER_BAND:
            self._adjust = 1  # done at the first read that leaves a frame to spare
        elif average < self._reference - STEER_BAND:
            self._adjust = -1

    def restart(self) -> None:
        """The stream was reopened: prime again from what comes."""
        self.primed = False
        self.ring.skip(self.ring.filled)


class DirectSource:
    """A mic on the output device itself: the duplex stream's input block, no ring."""

    def __init__(self, channels: int) -> None:
        self.block: np.ndarray | None = None  # the duplex callback's indata, this block
        self.live = True
        self.underruns = self.drift_fixes = self.last_fill = 0
        self.channels = channels

    def pull(self, out: np.ndarray, frames: int, now: float) -> bool:
        """Copy this block's input."""
        block = self.block
        if block is None:
            return False
        out[:frames] = block[:frames, : out.shape[1]]
        return True
