"""Keeping the ring full, on the producer thread: one chunk at a time, whole chunks only, a
pre-roll when a song starts, and a live settings change spliced into the queued audio.

The producer (:mod:`appliance.audio.engine.producer`) decides what plays and calls these; a render
error comes out of them as SongLoadError for it to handle::

    >>> feeder = RingFeeder(status, now)                   # doctest: +SKIP
    >>> feeder.attach(Routing("stereo", 2), capacity=7200) # doctest: +SKIP
    >>> wait_s = feeder.produce()  # s until there is room; 0.0; None: song over  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import numpy as np

from appliance.audio.dsp.routing import Routing
from appliance.audio.engine import status as slots
from appliance.audio.engine.device import SAMPLE_RATE
from appliance.audio.engine.output import NowPlaying
from appliance.audio.engine.ring import Ring
from appliance.core.errors import SongLoadError
from appliance.core.models import MixSettings

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

WAIT_S = (0.001, 0.02)  # the producer sleeps between chunks this long at least and at most
IDLE_WAIT_S = 0.05  # with no song (a command wakes it at once)
PREROLL_FRAMES = 4096  # queued at once when a song starts, so the ring never starts dry
CROSSFADE_FRAMES = 480  # 10 ms: a live change crossfades from the queued audio into the new
SPLICE_GUARD_FRAMES = 512  # two callback blocks: the callback never reads what is spliced
SPLICE_TIME_S = (0.002, 0.015, 0.05)  # a splice's render time: lowest, first guess, highest

Chunk = tuple[np.ndarray, np.ndarray]  # frames, and the song position of each


class RingFeeder:
    """Renders :attr:`NowPlaying.renderer` into the ring (producer thread only)."""

    def __init__(self, status: slots.EngineStatus, now: NowPlaying) -> None:
        self.status, self.now = status, now
        self.ring: Ring | None = None
        self.routing = Routing("stereo", 2)
        self.pending: Chunk | None = None  # rendered, waiting for room in the ring
        self.new_settings: MixSettings | None = None  # waiting to be spliced in
        self.splice_time_s = SPLICE_TIME_S[1]
        self.ending_song_id = ""  # all of this song is queued: it ends when the ring plays out

    def attach(self, routing: Routing, capacity: int) -> Ring:
        """A new ring (a stream opened) of ``capacity`` frames."""
        self.routing = routing
        self.ring = Ring(capacity, routing.channels)
        return self.ring

    def produce(self) -> float | None:
        """Render and queue one chunk when it fits in the ring; returns how long to wait (s)
        before there is something to do again, 0.0 when something was done, None when the
        renderer has nothing more (SongLoadError when it cannot render)."""
        ring, renderer = self.ring, self.now.renderer
        if ring is None or renderer is None:
            return IDLE_WAIT_S
        if self.ending_song_id:  # all rendered: wake when the ring has played out
            return _clamp_wait((ring.end_at - ring.read) / SAMPLE_RATE)
        if self.pending is None:
            started = time.perf_counter()
            self.pending = renderer.render()
            elapsed = time.perf_counter() - started
            if elapsed > self.status.read(slots.WORST_PRODUCER_S):
                self.status.write(slots.WORST_PRODUCER_S, elapsed)
            if self.pending is None:
                return None
        frames, positions = self.pending
        room = min(ring.space, len(frames))
        if room < min(len(frames), ring.capacity // 2):  # write whole chunks, not slivers
            return WAIT_S[0] if ring.flushing else _clamp_wait((len(frames) - room) / SAMPLE_RATE)
        ring.write(frames[:room], positions[:room])
        self.pending = None if room == len(frames) else (frames[room:], positions[room:])
        return 0.0

    def mark_end(self, song_id: str) -> None:
        """Everything of ``song_id`` is queued: it ends where the queue does."""
        if self.ring is not None:
            self.ring.end_at = self.ring.written
            self.ending_song_id = song_id

    def take_ended(self) -> str:
        """The song id whose last frame has been played (once), else ""."""
        ring = self.ring
        if not self.ending_song_id or ring is None or ring.read < ring.end_at:
            return ""
        song_id, self.ending_song_id = self.ending_song_id, ""
        ring.end_at = -1
        return song_id

    def flush(self, fade_frames: int) -> None:
        """Drop what is queued and pending (the ring fades it out over ``fade_frames``)."""
        self.pending = None
        self.new_settings = None
        self.ending_song_id = ""
        if self.ring is not None:
            self.ring.end_at = -1
            self.ring.flush(fade_frames)

    def preroll(self) -> None:
        """Render the first PREROLL_FRAMES now; :meth:`produce` queues them in one go.

        Raises SongLoadError when the stems cannot be decoded."""
        frames, positions = self.render_at_least(PREROLL_FRAMES)
        if len(frames):
            self.pending = (frames, positions)

    def render_at_least(self, count: int) -> Chunk:
        """``count`` frames of the current song or fewer at its end (SongLoadError)."""
        frames, positions, total = [], [], 0
        while self.now.renderer is not None and total < count:
            chunk = self.now.renderer.render()
            if chunk is None:
                break
            frames.append(chunk[0])
            positions.append(chunk[1])
            total += len(chunk[0])
        if not frames:
            return np.zeros((0, self.routing.channels), np.float32), np.zeros(0)
        return np.concatenate(frames), np.concatenate(positions)

    def mark_start(self) -> None:
        """The song starts at the next frame queued (underflows count from there)."""
        if self.ring is not None:
            self.now.song_start_frame = self.ring.written

    def splice_new_settings(self) -> None:
        """Apply new settings to what is queued, not after it: the part of the ring not yet
        played is rendered again with them and crossfaded in, a little ahead of the callback,
        and the ring is filled again at once (its depth is logged and kept in the status).

        The margin ahead covers the render time (measured, doubled) plus two callback blocks.
        Near the end of a song, with nothing left to replace, the settings simply apply.
        SongLoadError when the song cannot be rendered again (the queue plays on)."""
        settings, ring, renderer = self.new_settings, self.ring, self.now.renderer
        if settings is None or ring is None or renderer is None:
            return
        render_frames = int(2 * self.splice_time_s * SAMPLE_RATE)
        at = ring.reserve(SPLICE_GUARD_FRAMES + render_frames, CROSSFADE_FRAMES)
        if at is None:
            if self.ending_song_id or (renderer.finished and self.pending is None):
                renderer.apply_settings(settings)
                self.new_settings, self.now.tempo = None, settings.tempo_ratio
            return
        started = time.perf_counter()
        try:
            renderer.restart_at(ring.position_at(at), settings)
            frames, positions = self.render_at_least(CROSSFADE_FRAMES)
        except SongLoadError:
            ring.release()
            raise
        self.new_settings, self.now.tempo = None, settings.tempo_ratio
        self.ending_song_id, ring.end_at = "", -1
        taken = ring.splice(at, frames, positions, CROSSFADE_FRAMES)
        self.pending = (frames[taken:], positions[taken:]) if taken < len(frames) else None
        elapsed = time.perf_counter() - started
        low, _, high = SPLICE_TIME_S
        self.splice_time_s = min(high, max(low, elapsed, 0.8 * self.splice_time_s))
        self._refill(ring)

    def _refill(self, ring: Ring) -> None:
        """After a splice the ring holds only the margin and the crossfade: render until it is
        full again, now (the callback plays the spliced frames meanwhile), and log its depth."""
        renderer, spliced = self.now.renderer, ring.filled
        while renderer is not None and ring.space > 0:
            if self.pending is None:
                self.pending = renderer.render()
                if self.pending is None:
                    break
            frames, positions = self.pending
            room = min(ring.space, len(frames))
            ring.write(frames[:room], positions[:room])
            self.pending = None if room == len(frames) else (frames[room:], positions[room:])
        depth = ring.filled
        self.status.write(slots.RING_AFTER_CHANGE, depth)
        lowest = self.status.read(slots.RING_AFTER_CHANGE_MIN)
        if lowest <= 0 or depth < lowest:
            self.status.write(slots.RING_AFTER_CHANGE_MIN, depth)
        self.status.write(slots.CHANGES_SPLICED, self.status.read(slots.CHANGES_SPLICED) + 1)
        log.info(
            "change spliced: %.1f ms queued, %.1f ms after the refill (ring %.0f ms)",
            *(1000 * frames / SAMPLE_RATE for frames in (spliced, depth, ring.capacity)),
        )


def _clamp_wait(seconds: float) -> float:
    low, high = WAIT_S
    return min(high, max(low, seconds))
