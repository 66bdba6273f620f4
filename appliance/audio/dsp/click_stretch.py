"""A click track's tempo change without a phase vocoder: each click is moved, not stretched.

A click bus is short sounds (the clicks) separated by silence. At tempo ``r`` the click that
starts at source frame ``p`` must start at output frame ``p / r`` and sound as before, so this
copies every click 1:1 to its new place and makes the silence between them longer (r < 1) or
shorter (r > 1). Timing is exact to the frame, the clicks are bit-identical to the source's, and
it costs a few numpy operations per chunk instead of a Rubber Band stretcher (issue 17)::

    >>> import numpy as np
    >>> stretch = ClickStretch(channels=2)
    >>> stretch.set_tempo(0.5)
    >>> bus = np.zeros((1000, 2), np.float32); bus[500] = 0.5     # one click at frame 500
    >>> stretch.process(bus); stretch.flush()
    >>> out = stretch.retrieve()
    >>> len(out), int(np.flatnonzero(out[:, 0])[0])                # at 500 / 0.5
    (2000, 1000)

A "click" is a run of frames louder than ``QUIET`` with no quiet gap longer than ``HOLD_FRAMES``
(so a ringing blip stays one click, its tail included). Between clicks, the quiet input is
copied while the output is behind the new timing, dropped while it is ahead, and the rest
filled with zeros. Material that never falls silent (not a click track) is cut every
``MAX_DRIFT_FRAMES`` to keep its timing: that is why only a bus of click stems uses this
(cue stems, speech, go through Rubber Band). It has the interface of
:class:`~appliance.audio.dsp.rubberband.Stretcher` the renderer uses.
"""

from __future__ import annotations

import itertools

import numpy as np

QUIET = 10 ** (-60 / 20)  # frames below -60 dBFS (both channels) are silence between clicks
HOLD_FRAMES = 480  # 10 ms of quiet ends a click
MAX_DRIFT_FRAMES = 4800  # 100 ms: a "click" that long is cut to catch its timing up


class ClickStretch:
    """Moves the clicks of a bus to a new tempo; no key change (a click bus has none)."""

    parallel = False  # numpy holding the GIL for microseconds: not worth a thread

    def __init__(self, channels: int = 2) -> None:
        self.channels = channels
        self.tempo_ratio = 1.0
        self.key_semitones = 0.0
        self.reset()

    def reset(self) -> None:
        """Forget all audio; the next output starts at the next input."""
        self._source = 0  # source frames processed since the reset
        self._emitted = 0  # output frames produced since the reset
        self._last_loud = -(10**9)  # source frame of the last loud frame
        self._in_click = False  # the last frame processed was part of a click
        self._parts: list[np.ndarray] = []

    def set_key(self, semitones: float) -> None:
        """Accepted for the interface; a click bus is never pitch-shifted."""
        self.key_semitones = float(semitones)

    def set_tempo(self, ratio: float) -> None:
        """Playback speed: 0.8 plays 1.25x longer."""
        self.tempo_ratio = float(ratio)

    def latency_frames(self) -> int:
        """None: each output frame is known as soon as its source frame is."""
        return 0

    def process(self, frames: np.ndarray, *, final: bool = False) -> None:
        """Feed ``frames`` (n x channels float32)."""
        count = len(frames)
        if count == 0:
            return
        start = self._source
        magnitude = np.abs(frames)
        if not self._in_click and magnitude.max() <= QUIET:  # between clicks: most chunks
            self._quiet(frames, 0, count, start)
            self._source += count
            return
        loud = magnitude.max(axis=1) > QUIET
        index = np.arange(start, start + count)
        recent = np.maximum.accumulate(np.where(loud, index, self._last_loud))
        in_click = index - recent <= HOLD_FRAMES
        if loud.any():
            self._last_loud = int(recent[-1])
        edges = np.flatnonzero(np.diff(in_click)) + 1
        for a, b in itertools.pairwise([0, *edges.tolist(), count]):
            if in_click[a]:
                self._click(frames, a, b, start, new=not (a == 0 and self._in_click))
            else:
                self._quiet(frames, a, b, start)
        self._source += count
        self._in_click = bool(in_click[-1])

    def _click(self, frames: np.ndarray, a: int, b: int, start: int, *, new: bool) -> None:
        if new:
            self._pad_to(round((start + a) / self.tempo_ratio))
        position = a
        while position < b:  # cut a click that runs long, and catch its timing up
            due = (start + position) / self.tempo_ratio
            drift = self._emitted - due
            if abs(drift) > MAX_DRIFT_FRAMES:
                if drift < 0:
                    self._pad_to(round(due))
                else:
                    skip = min(b - position, int(drift))
                    position += skip
                    continue
            end = b
            if self.tempo_ratio != 1.0:  # how far 1:1 copying stays within the drift allowed
                room = MAX_DRIFT_FRAMES / abs(1.0 - 1.0 / self.tempo_ratio)
                end = min(b, position + max(1, int(room)))
            self._emit(frames[position:end])
            position = end

    def _quiet(self, frames: np.ndarray, a: int, b: int, start: int) -> None:
        wanted = round((start + b) / self.tempo_ratio) - self._emitted
        if wanted <= 0:
            return  # ahead of the new timing: this quiet stretch is dropped
        self._emit(frames[a : a + min(wanted, b - a)])
        self._pad_to(self._emitted + max(0, wanted - (b - a)))

    def _pad_to(self, frame: int) -> None:
        if frame > self._emitted:
            self._emit(np.zeros((frame - self._emitted, self.channels), np.float32))

    def _emit(self, block: np.ndarray) -> None:
        if len(block):
            self._parts.append(block)
            self._emitted += len(block)

    def flush(self) -> None:
        """The input has ended: the output is brought to the source's end at the new tempo."""
        self._pad_to(int(np.ceil(self._source / self.tempo_ratio)))

    def retrieve(self) -> np.ndarray:
        """All output ready now (n x channels float32)."""
        if not self._parts:
            return np.zeros((0, self.channels), np.float32)
        out = self._parts[0] if len(self._parts) == 1 else np.concatenate(self._parts)
        self._parts = []
        return np.ascontiguousarray(out, np.float32)

    def close(self) -> None:
        """Nothing to free."""
