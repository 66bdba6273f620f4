"""The rings of the microphone path (one writer, one reader, no lock: each counter is a plain
int written by one side only; the GIL makes its assignment atomic).

- :class:`MicRing`: capture frames from a mic's own input stream to the output callback.
- :class:`MicSource`: the output callback's side of a :class:`MicRing`, keeping the ring's
  fill near its target: a mic on another card runs on another clock, so once the ring has
  settled the fill drifts by its ppm. The reader measures the frames captured but not yet
  played (the ring's fill plus what the input device has gathered since its last block, from
  the block's time stamp: continuous, where the fill alone jumps by whole blocks) and holds
  its average (over ``WINDOW_S``: the callbacks' wall-clock jitter averages out) where it was
  just after priming; when the average strays more than ``STEER_BAND`` frames, the error is
  dropped or repeated one sample per block (counted in ``drift_fixes``). A jump of half a
  block or more (a block lost or doubled by the device) is taken at once (``resyncs``).
  The frames kept after each read start at ``SAFETY_FRAMES`` (1 ms: two callbacks of one
  clock, as on JACK or one card) and double after each underrun, up to half the ring: an
  output stream whose callbacks come in bursts (PortAudio's JACK host API with an output
  latency of several periods) needs the burst's worth, and gets it after a few underruns
  instead of underrunning forever; after 10 s without one it halves again.

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
WINDOW_S = 0.5  # the captured-but-unplayed frames are averaged over this long
STARTUP_BLOCKS = 200  # underruns in a stream's first blocks re-prime without growing
SHRINK_WINDOWS = 20  # a grown safety halves after this many windows (10 s) without underrun
STEER_BAND = 4.0  # frames the average may stray from its reference before samples are fixed
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
        self.underruns = 0  # blocks the ring ran dry once the stream had settled
        self.startup_underruns = 0  # in a stream's first STARTUP_BLOCKS (not counted above)
        self.drift_fixes = 0  # samples dropped or repeated
        self.resyncs = 0  # jumps (a block lost or doubled) taken at once, not steered
        self.safety = SAFETY_FRAMES  # frames kept after each read (doubles on an underrun)
        self.last_fill = 0  # frames left in the ring after the last read
        self._reference = -1.0  # the captured-but-unplayed average the ring is held at
        self._sum, self._blocks, self._window = 0.0, 0, 0
        self._pending = 0  # samples still to drop (> 0) or repeat (< 0), one per block
        self._started = 0  # blocks read since the stream (re)started
        self._calm = 0  # windows since the last underrun

    def pull(self, out: np.ndarray, frames: int, now: float) -> bool:
        """Fill ``out[:frames]``; False (and ``out`` untouched) while there is nothing yet.
        ``now`` is time.monotonic(), the clock the writer stamps its blocks with."""
        ring = self.ring
        if not self.primed:
            filled = ring.filled
            if filled < frames + self.safety:
                return False
            ring.skip(filled - frames - self.safety)  # start at the target
            self.primed, self._reference, self._sum, self._blocks = True, -1.0, 0.0, 0
        self._started += 1
        self._measure(frames, now)
        pending = self._pending
        if pending > 0 and ring.filled > frames:
            ring.skip(1)
            self._pending, self.drift_fixes = pending - 1, self.drift_fixes + 1
        elif pending < 0 and ring.filled >= frames - 1 and frames > 1:
            got = ring.read_into(out, frames - 1)
            out[got : got + 1] = out[got - 1 : got]
            self._pending, self.drift_fixes = pending + 1, self.drift_fixes + 1
            self.last_fill = ring.filled
            return True
        got = ring.read_into(out, frames)
        if got < frames:
            self._underrun(out, got, frames)
        self.last_fill = ring.filled
        return True

    def _underrun(self, out: np.ndarray, got: int, frames: int) -> None:
        out[got:frames] = 0.0
        self.primed, self._calm = False, 0
        if self._started <= STARTUP_BLOCKS:  # a stream's first blocks may come unevenly
            self.startup_underruns += 1
            return
        self.underruns += 1
        self.safety = min(self.ring.capacity // 2 - frames, 2 * self.safety)

    def _measure(self, frames: int, now: float) -> None:
        """Frames captured but not yet played, counting those the input device holds since
        its last block (continuous: a block's arrival does not make it jump), averaged over a
        window of about WINDOW_S and held where the first window after priming put it: the
        error is dropped or repeated one sample per block over the next window."""
        written, stamped = self.ring.stamp
        since = min(max(0.0, now - stamped) * SAMPLE_RATE, 2.0 * frames)
        self._sum += written - self.ring.read + since
        self._blocks += 1
        if self._blocks * frames < WINDOW_S * SAMPLE_RATE:
            return
        average = self._sum / self._blocks
        self._sum, self._blocks = 0.0, 0
        self._calm += 1
        if self._calm >= SHRINK_WINDOWS and self.safety > SAFETY_FRAMES:
            self._shrink(frames)
            return
        if self._reference < 0:
            self._reference = average
            return
        error = average - self._reference
        if abs(error) > frames / 2:  # a jump (a block lost or doubled), not a drift
            if error > 0:
                self.ring.skip(round(error))
            else:
                self._reference = average
            self.resyncs += 1
        elif abs(error) > STEER_BAND:
            self._pending = round(error)

    def _shrink(self, frames: int) -> None:
        """After SHRINK_WINDOWS without an underrun, a safety grown by underruns halves (it
        grew for a burst that need not come again)."""
        smaller = max(SAFETY_FRAMES, self.safety // 2)
        self.ring.skip(min(self.safety - smaller, max(0, self.ring.filled - frames)))
        self.safety, self._reference, self._calm = smaller, -1.0, 0

    def restart(self) -> None:
        """The stream was reopened: prime again from what comes."""
        self.primed, self._started = False, 0
        self.ring.skip(self.ring.filled)


class DirectSource:
    """A mic on the output device itself: the duplex stream's input block, no ring."""

    def __init__(self, channels: int) -> None:
        self.block: np.ndarray | None = None  # the duplex callback's indata, this block
        self.live = True
        self.underruns = self.drift_fixes = self.last_fill = self.resyncs = 0
        self.channels = channels

    def pull(self, out: np.ndarray, frames: int, now: float) -> bool:
        """Copy this block's input."""
        block = self.block
        if block is None:
            return False
        out[:frames] = block[:frames, : out.shape[1]]
        return True
