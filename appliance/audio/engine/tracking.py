"""The tracking thread of the engine process: each mic's pitch, and the howl guard.

It reads what the output callback copied into each mic's
:class:`~appliance.audio.engine.mics.TrackRing` every ``PERIOD_S``, never in the callback:

- the **howl guard** (:class:`~appliance.audio.dsp.howl.HowlDetector`) on the raw samples;
  a howl ducks that mic by ``DUCK_DB`` (the voice chain's ``duck``, ramped by the callback),
  by ``DUCK_DB`` more if it howls again while ducked, and the host is told
  (``MicNotice(mic, "...")``); after ``HOLD_S`` without a howl the mic comes back and the
  notice is cleared (``MicNotice(mic, "")``).
- the **pitch tracker** (:class:`~appliance.audio.dsp.pitch.PitchTracker`), while a song is
  sung: each estimate's time is the tracker's (the centre of what it analysed, in seconds from
  the first sample it was fed) mapped through the ring's stamps to the song seconds the singer
  heard then (the mic's input latency and the ring's age already off; past the block's stamp
  song time runs at the tempo). The tracker's ``delay_s`` (how long after the sound an
  estimate comes: 29.5 ms) is not taken off again: the centre stamp already places it. The
  frames go to the client as ``PitchFrames`` every ``SEND_S``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from appliance.audio.dsp.howl import HowlDetector
from appliance.audio.dsp.voice import db_to_gain
from appliance.audio.engine.mics import STAMPS, MicMixer, TrackRing
from appliance.audio.engine.protocol import Event, MicNotice, PitchFrames
from appliance.audio.sources.locate import SAMPLE_RATE
from appliance.core.scoring.model import PitchFrame

log = logging.getLogger(__name__)

PERIOD_S = 0.05
SEND_S = 0.1
DUCK_DB = -12.0
MAX_DUCK_DB = -36.0
HOLD_S = 3.0


def default_tracker(sample_rate: int) -> Any:
    """The project's pitch tracker (aubio, imported here: only an engine with mics loads it)."""
    from appliance.audio.dsp.pitch import PitchTracker

    return PitchTracker(sample_rate)


class MicTracker:
    """One mic: its ring's reader, its howl detector, its pitch tracker and duck."""

    def __init__(self, mic: int, ring: TrackRing, tracker: Any) -> None:
        self.mic, self.ring, self.tracker = mic, ring, tracker
        self.howl = HowlDetector(SAMPLE_RATE)
        self.duck_db = 0.0
        self.ducked_until = 0.0
        self.howls = 0
        self._stamps_read = 0
        self._stamp = np.zeros(4)  # the stamp of the block being read
        self._block = np.zeros((int(SAMPLE_RATE), 1), np.float32)
        self._fed = 0  # samples fed to the tracker
        self._stamp_rows: list[tuple[float, float, float, float]] = []

    def take(self) -> tuple[np.ndarray, int]:
        """The samples queued since last time and the ring index of the first."""
        ring = self.ring
        while self._stamps_read < ring.stamps_written:
            if ring.stamps_written - self._stamps_read >= STAMPS:
                self._stamps_read = ring.stamps_written - STAMPS + 1  # fell behind
            row = ring.stamps[self._stamps_read % STAMPS]
            self._stamp_rows.append((row[0], row[1], row[2], row[3]))
            self._stamps_read += 1
        first = ring.samples.read
        got = ring.samples.read_into(self._block, min(len(self._block), ring.samples.filled))
        return self._block[:got, 0].copy(), first

    def song_time(self, index: float) -> tuple[float, bool] | None:
        """Song seconds heard when ring sample ``index`` was sung, and whether a song was."""
        rows = self._stamp_rows
        while len(rows) > 1 and rows[1][0] <= index:
            rows.pop(0)
        if not rows or rows[0][0] > index:
            return None
        start, heard, tempo, singing = rows[0]
        return heard + (index - start) / SAMPLE_RATE * tempo, singing > 0.5

    def pitch(self, mono: np.ndarray, first: int) -> list[PitchFrame]:
        """Feed the tracker; its estimates stamped in song seconds (while a song is sung)."""
        if self.tracker is None or len(mono) == 0:
            return []
        base = first - self._fed  # ring index of the tracker's sample 0
        self._fed += len(mono)
        frames = []
        for time_s, midi in self.tracker.feed(mono):
            stamped = self.song_time(base + time_s * SAMPLE_RATE)
            if stamped is None or not stamped[1]:
                continue
            frames.append(PitchFrame(stamped[0], None if midi is None else float(midi), self.mic))
        return frames


class Tracking:
    """The thread: every mic's tracker, the howl guard, frames and notices to the client."""

    def __init__(
        self,
        mixer: MicMixer,
        send: Callable[[Event], None],
        tracker_factory: Callable[[int], Any] = default_tracker,
        clock: Callable[[], float] | None = None,
    ) -> None:
        import time

        self.mixer, self.send = mixer, send
        self.clock = clock or time.monotonic
        self.mics = [
            MicTracker(spec.mic, mixer.tracks[spec.mic], tracker_factory(SAMPLE_RATE))
            for spec in mixer.specs
        ]
        self.frames_sent = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mic-tracking", daemon=True)

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop it."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _run(self) -> None:
        pending: list[PitchFrame] = []
        next_send = self.clock() + SEND_S
        while not self._stop.wait(PERIOD_S):
            for mic in self.mics:
                mono, first = mic.take()
                self._guard(mic, mono)
                pending.extend(mic.pitch(mono, first))
            if self.clock() >= next_send:
                next_send = self.clock() + SEND_S
                if pending:
                    self.send(PitchFrames(tuple(pending)))
                    self.frames_sent += len(pending)
                    pending = []

    def _guard(self, mic: MicTracker, mono: np.ndarray) -> None:
        """Duck on a howl, deeper if it howls again while ducked; recover after HOLD_S."""
        now = self.clock()
        howls = mic.howl.feed(mono) if len(mono) else []
        chain = self.mixer.chains[mic.mic]
        if howls:
            mic.howls += 1
            mic.duck_db = max(MAX_DUCK_DB, mic.duck_db + DUCK_DB)
            mic.ducked_until = now + HOLD_S
            chain.duck = db_to_gain(mic.duck_db)
            mic.howl.reset()  # a howl still growing once ducked is declared again
            message = (
                f"feedback (howl) at {howls[-1]:.0f} Hz caught: mic {mic.mic} turned down "
                f"{-mic.duck_db:.0f} dB; move it away from the speakers or lower it"
            )
            log.warning("mic %d: %s", mic.mic, message)
            self.send(MicNotice(mic.mic, message))
        elif mic.duck_db < 0 and now >= mic.ducked_until:
            mic.duck_db = 0.0
            chain.duck = 1.0
            mic.howl.reset()
            self.send(MicNotice(mic.mic, ""))
