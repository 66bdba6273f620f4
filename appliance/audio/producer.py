"""The producer thread and the PortAudio callback of the engine process.

The producer applies commands at chunk boundaries, renders the current song (or break music)
with :class:`~appliance.audio.render.SongRenderer` and keeps the ring full. The callback copies
from the ring, ramps the master gain (volume, pause fades), clips as a last safety, counts and
publishes; it allocates nothing big and takes no lock.

Commands and the events sent back are the messages of :mod:`appliance.audio.protocol`.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from typing import Any, assert_never

import numpy as np

from appliance.audio import status as slots
from appliance.audio.device import SAMPLE_RATE, EngineOptions
from appliance.audio.protocol import (
    ApplySettings,
    Ended,
    Event,
    Failed,
    Pause,
    Play,
    PlayBreakMusic,
    Prepare,
    ProducerCommand,
    Reattached,
    Reply,
    Resume,
    Seek,
    SetVolume,
    Stop,
)
from appliance.audio.render import RenderOptions, SongRenderer
from appliance.audio.ring import Ring
from appliance.audio.routing import Routing
from appliance.core.errors import SongLoadError
from appliance.core.models import MixSettings, Song

log = logging.getLogger(__name__)

GAIN_RAMP_FRAMES = 480  # 10 ms volume and pause fades
SEEK_FADE_FRAMES = 480
BREAK_FADE_FRAMES = 7200  # 150 ms: break music fades out when a song starts
BREAK_LEVEL = 0.5
WAIT_S = (0.001, 0.02)  # the producer sleeps between chunks this long at least and at most
IDLE_WAIT_S = 0.05  # with no song (a command wakes it at once)
NOT_STARTED = 1 << 62  # song start frame while a song is being opened (no underflow counted)
PREROLL_FRAMES = 4096  # queued at once when a song starts, so the ring never starts dry
CROSSFADE_FRAMES = 480  # 10 ms: a live change crossfades from the queued audio into the new
SPLICE_GUARD_FRAMES = 512  # two callback blocks: the callback never reads what is spliced
SPLICE_TIME_S = (0.002, 0.015, 0.05)  # a splice's render time: lowest, first guess, highest


class Producer:
    """Renders into the ring on its own thread; :meth:`callback` is PortAudio's."""

    def __init__(
        self,
        commands: queue.Queue[ProducerCommand],
        status: slots.EngineStatus,
        options: EngineOptions,
        send: Callable[[Event], None],
    ) -> None:
        self.commands, self.status, self.options, self.send = commands, status, options, send
        self.ring: Ring | None = None
        self.routing = Routing("stereo", 2)
        self.song: SongRenderer | None = None
        self.prepared: SongRenderer | None = None
        self.break_songs: list[Song] = []
        self.break_index = 0
        self.break_level = BREAK_LEVEL
        self.is_break = False
        self._pending: tuple[np.ndarray, np.ndarray] | None = None
        self._new_settings: MixSettings | None = None  # waiting to be spliced in
        self.splice_time_s = SPLICE_TIME_S[1]
        self._ending_song_id = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="producer", daemon=True)
        self.realtime_priority: bool | None = None
        self._init_callback_state()

    # --- the producer thread -----------------------------------------------------------------

    def attach_ring(self, routing: Routing, output_latency_s: float) -> None:
        """A ring for a (re)opened stream; the song goes on where it was."""
        if self.ring is not None and self.routing == routing:
            return
        capacity = int(self.options.ring_s * SAMPLE_RATE)
        self.routing = routing
        self.ring = Ring(capacity, routing.channels)
        self.output_latency_s = float(output_latency_s)
        self.status.write(slots.OUTPUT_LATENCY_S, self.output_latency_s)
        self.status.write(slots.CHANNELS, routing.channels)
        self.status.write(slots.RING_FRAMES, capacity)
        self.commands.put(Reattached())  # the producer thread restarts the song in it

    def stream_starting(self) -> None:
        """The stream starts now: its callback is due from here on (see callback_stale)."""
        self._last_callback = time.monotonic()

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread and close renderers."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        for renderer in (self.song, self.prepared):
            if renderer is not None:
                renderer.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._drain_commands()
            self._splice_new_settings()
            self._check_song_end()
            wait_s = self._produce()
            if wait_s > 0:
                self._wait_for_command(wait_s)

    def _drain_commands(self) -> None:
        while True:
            try:
                command = self.commands.get_nowait()
            except queue.Empty:
                return
            self._execute(command)

    def _wait_for_command(self, timeout_s: float) -> None:
        """Sleep until there is room in the ring, or a command comes (run at once)."""
        try:
            command = self.commands.get(timeout=timeout_s)
        except queue.Empty:
            return
        self._execute(command)

    def _execute(self, command: ProducerCommand) -> None:
        try:
            self._apply(command)
        except Exception as error:
            log.exception("command %s failed", type(command).__name__)
            if isinstance(command, Play):
                self.send(Reply(command.request, f"engine error: {error}"))

    def _apply(self, command: ProducerCommand) -> None:
        match command:
            case Play(request, song, settings, start_s):
                self._do_play(request, song, settings, start_s)
            case Prepare(song, settings):
                self._do_prepare(song, settings)
            case Pause():
                self._do_pause()
            case Resume():
                self._do_resume()
            case Stop():
                self._do_stop()
            case Seek(position_s):
                self._do_seek(position_s)
            case ApplySettings(settings):
                self._do_settings(settings)
            case SetVolume(volume, muted):
                self._do_volume(volume, muted)
            case PlayBreakMusic(songs, level):
                self._do_break(songs, level)
            case Reattached():
                self._do_reattached()
            case _:
                assert_never(command)

    def _produce(self) -> float:
        """Render and queue one chunk when it fits in the ring; returns how long to wait (s)
        before there is something to do again, 0 when something was done."""
        ring, source = self.ring, self.song
        if ring is None or source is None:
            return IDLE_WAIT_S
        if self._ending_song_id:  # all rendered: wake when the ring has played out
            return _clamp_wait((ring.end_at - ring.read) / SAMPLE_RATE)
        if self._pending is None:
            started = time.perf_counter()
            try:
                self._pending = source.render()
            except SongLoadError as error:
                self._fail(error.reason)
                return 0.0  # something was done: the next break song's pre-roll is pending
            elapsed = time.perf_counter() - started
            if elapsed > self.status.read(slots.WORST_PRODUCER_S):
                self.status.write(slots.WORST_PRODUCER_S, elapsed)
            if self._pending is None:
                self._source_finished()
                return 0.0
        frames, positions = self._pending
        room = min(ring.space, len(frames))
        if room < min(len(frames), ring.capacity // 2):  # write whole chunks, not slivers
            return WAIT_S[0] if ring.flushing else _clamp_wait((len(frames) - room) / SAMPLE_RATE)
        ring.write(frames[:room], positions[:room])
        self._pending = None if room == len(frames) else (frames[room:], positions[room:])
        return 0.0

    def _source_finished(self) -> None:
        renderer, ring = self.song, self.ring
        if self.is_break and renderer is not None:
            self.break_index += 1
            self._start_break_song()
            return
        if ring is not None and renderer is not None:
            ring.end_at = ring.written
            self._ending_song_id = renderer.song.song_id

    def _check_song_end(self) -> None:
        ring = self.ring
        if not self._ending_song_id or ring is None or ring.read < ring.end_at:
            return
        song_id, self._ending_song_id = self._ending_song_id, ""
        ring.end_at = -1
        self._close_song()
        self.status.write(slots.STATE, slots.IDLE)
        self.send(Ended(song_id))

    def _fail(self, reason: str) -> None:
        renderer, was_break = self.song, self.is_break
        song_id = renderer.song.song_id if renderer is not None else ""
        log.warning("song %s failed: %s", song_id, reason)
        self._flush(SEEK_FADE_FRAMES)
        self._close_song()  # (it clears is_break)
        self.status.write(slots.STATE, slots.IDLE)
        if was_break:
            self.break_songs = [s for s in self.break_songs if s.song_id != song_id]
            self._start_break_song()
        else:
            self.send(Failed(song_id, reason))

    def _flush(self, fade_frames: int) -> None:
        self._pending = None
        self._new_settings = None
        self._ending_song_id = ""
        if self.ring is not None:
            self.ring.end_at = -1
            self.ring.flush(fade_frames)

    def _close_song(self) -> None:
        self._new_settings = None
        if self.song is not None:
            self.song.close()
        self.song, self.is_break = None, False

    def _options(self, level: float = 1.0) -> RenderOptions:
        return RenderOptions(quality=self.options.quality, routing=self.routing, level=level)

    # --- commands ----------------------------------------------------------------------------

    def _do_play(self, request: int, song: Song, settings: MixSettings, start_s: float) -> None:
        try:
            renderer = self._take_prepared(song, settings, start_s)
        except SongLoadError as error:
            self.send(Reply(request, error.reason))
            return
        self._flush(BREAK_FADE_FRAMES if self.is_break else SEEK_FADE_FRAMES)
        self._close_song()
        self._song_start_frame = NOT_STARTED
        self.song, self.paused = renderer, False
        try:
            self._preroll()
        except SongLoadError as error:
            self._close_song()
            self.status.write(slots.STATE, slots.IDLE)
            self.send(Reply(request, error.reason))
            return
        self._mark_start()
        self.tempo = settings.tempo_ratio
        self.status.write(slots.SONG_GENERATION, self.status.read(slots.SONG_GENERATION) + 1)
        self.status.write(slots.POSITION_S, start_s)
        self.status.write(slots.STATE, slots.PLAYING)
        self.send(Reply(request, None))

    def _take_prepared(self, song: Song, settings: MixSettings, start_s: float) -> SongRenderer:
        prepared, self.prepared = self.prepared, None
        if prepared is not None and prepared.song == song and start_s == 0.0:
            prepared.apply_settings(settings)
            return prepared
        if prepared is not None:
            prepared.close()
        return SongRenderer(song, settings, self._options(), start_s)

    def _restart_current(self, song: Song, settings: MixSettings, position_s: float) -> None:
        old = self.song
        self.song = SongRenderer(song, settings, self._options(), position_s)
        self._mark_start()
        if old is not None:
            old.close()

    def _preroll(self) -> None:
        """Render the first PREROLL_FRAMES now; the producer queues them in one go.

        Raises SongLoadError when the stems cannot be decoded."""
        frames, positions = self._render_at_least(PREROLL_FRAMES)
        if len(frames):
            self._pending = (frames, positions)

    def _render_at_least(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """``count`` frames of the current song or fewer at its end (SongLoadError)."""
        frames, positions, total = [], [], 0
        while self.song is not None and total < count:
            chunk = self.song.render()
            if chunk is None:
                break
            frames.append(chunk[0])
            positions.append(chunk[1])
            total += len(chunk[0])
        if not frames:
            return np.zeros((0, self.routing.channels), np.float32), np.zeros(0)
        return np.concatenate(frames), np.concatenate(positions)

    def _mark_start(self) -> None:
        if self.ring is not None:
            self._song_start_frame = self.ring.written

    def _do_reattached(self) -> None:
        """A new ring (the device opened late, or again): the song goes on from the position
        last heard (break music from where it was rendered), pre-rolled as after a seek."""
        if self.song is None:
            return
        settings, self._new_settings = self._new_settings or self.song.settings, None
        position = self.song.position_s if self.is_break else self.status.read(slots.POSITION_S)
        if self.ring is not None and self.ring.written:  # queued before this command ran
            self._flush(SEEK_FADE_FRAMES)
        self._pending, self._ending_song_id = None, ""
        self._song_start_frame = NOT_STARTED
        self._restart_current(self.song.song, settings, position)
        self.tempo = settings.tempo_ratio
        try:
            self._preroll()
        except SongLoadError as error:
            self._fail(error.reason)
            return
        self._mark_start()

    def _do_prepare(self, song: Song, settings: MixSettings) -> None:
        if self.prepared is not None:
            self.prepared.close()
            self.prepared = None
        try:
            self.prepared = SongRenderer(song, settings, self._options())
        except SongLoadError as error:
            log.info("cannot prepare %s: %s", song.song_id, error.reason)

    def _do_pause(self) -> None:
        if self.song is not None and not self.is_break:
            self.paused = True
            self.status.write(slots.STATE, slots.PAUSED)

    def _do_resume(self) -> None:
        if self.paused:
            self.paused = False
            self.status.write(slots.STATE, slots.PLAYING)

    def _do_stop(self) -> None:
        if self.song is not None and not self.is_break:
            self._flush(SEEK_FADE_FRAMES)
            self._close_song()
        self.paused = False
        self.status.write(slots.STATE, slots.IDLE)
        self.status.write(slots.POSITION_S, 0.0)

    def _do_seek(self, position_s: float) -> None:
        if self.song is not None and not self.is_break:
            if self._new_settings is not None:
                self.song.apply_settings(self._new_settings)
                self.tempo = self._new_settings.tempo_ratio
            self._flush(SEEK_FADE_FRAMES)
            self._song_start_frame = NOT_STARTED
            self.song.seek(position_s)
            try:
                self._preroll()
            except SongLoadError as error:
                self._fail(error.reason)
                return
            self._mark_start()

    def _do_settings(self, settings: MixSettings) -> None:
        if self.song is not None and not self.is_break:
            self._new_settings = settings

    def _splice_new_settings(self) -> None:
        """Apply new settings to what is queued, not after it: the part of the ring not yet
        played is rendered again with them and crossfaded in, a little ahead of the callback.

        The margin ahead covers the render time (measured, doubled) plus two callback blocks.
        Near the end of a song, with nothing left to replace, the settings simply apply."""
        settings, ring, renderer = self._new_settings, self.ring, self.song
        if settings is None or ring is None or renderer is None:
            return
        render_frames = int(2 * self.splice_time_s * SAMPLE_RATE)
        at = ring.reserve(SPLICE_GUARD_FRAMES + render_frames, CROSSFADE_FRAMES)
        if at is None:
            if self._ending_song_id or (renderer.finished and self._pending is None):
                renderer.apply_settings(settings)
                self._new_settings, self.tempo = None, settings.tempo_ratio
            return
        started = time.perf_counter()
        try:
            renderer.restart_at(ring.position_at(at), settings)
            frames, positions = self._render_at_least(CROSSFADE_FRAMES)
        except SongLoadError as error:
            ring.release()
            self._fail(error.reason)
            return
        self._new_settings, self.tempo = None, settings.tempo_ratio
        self._ending_song_id, ring.end_at = "", -1
        taken = ring.splice(at, frames, positions, CROSSFADE_FRAMES)
        self._pending = (frames[taken:], positions[taken:]) if taken < len(frames) else None
        elapsed = time.perf_counter() - started
        low, _, high = SPLICE_TIME_S
        self.splice_time_s = min(high, max(low, elapsed, 0.8 * self.splice_time_s))

    def _do_volume(self, volume: float, muted: bool) -> None:
        self.volume = 0.0 if muted else max(0.0, min(1.0, float(volume)))

    def _do_break(self, songs: tuple[Song, ...], level: float) -> None:
        self.break_songs, self.break_level = list(songs), level
        if self.song is None or self.is_break:
            self.break_index = 0
            self._start_break_song()

    def _start_break_song(self) -> None:
        self._song_start_frame = NOT_STARTED
        self._close_song()
        while self.break_songs:
            song = self.break_songs[self.break_index % len(self.break_songs)]
            try:
                self.song = SongRenderer(
                    song, MixSettings(guide_level=0.0), self._options(self.break_level)
                )
            except SongLoadError as error:
                log.info("break music: skipping %s (%s)", song.song_id, error.reason)
                self.break_songs.remove(song)
                continue
            self.is_break, self.paused, self.tempo = True, False, 1.0
            try:
                self._preroll()
            except SongLoadError as error:
                log.info("break music: skipping %s (%s)", song.song_id, error.reason)
                self.break_songs.remove(song)
                self._close_song()
                continue
            self._mark_start()
            self.status.write(slots.STATE, slots.BREAK)
            return

    # --- the PortAudio callback --------------------------------------------------------------

    def _init_callback_state(self) -> None:
        self.volume = 1.0
        self.paused = False
        self.tempo = 1.0
        self.output_latency_s = 0.0
        self._gain = 1.0  # the stream opens on silence: no fade needed
        self._underflows = 0
        self._device_underflows = 0
        self._song_start_frame = 0
        self._frames = 0
        self._ramp = np.arange(1, 8193, dtype=np.float32) / GAIN_RAMP_FRAMES
        self._last_callback = time.monotonic()

    def callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio's: copy, fade, clip, count, publish."""
        if self.realtime_priority is None:
            self.realtime_priority = _raise_priority()
        if status.output_underflow:
            self._underflows += 1
            self._device_underflows += 1
        ring = self.ring
        target = 0.0 if self.paused else self.volume
        got = 0
        if ring is not None and not (self.paused and self._gain == 0.0):
            got = ring.read_into(outdata)
            if got < frames and ring.readable:
                got += ring.read_into(outdata[got:])
            if got < frames and self._starved(ring):
                self._underflows += 1
        outdata[got:] = 0.0
        self._apply_gain(outdata, frames, target)
        np.clip(outdata, -1.0, 1.0, out=outdata)
        self._frames += frames
        self._publish(outdata, ring)

    def _starved(self, ring: Ring) -> bool:
        """The ring ran dry in the middle of a song (not at its start or its end)."""
        playing = self.song is not None and not self.paused and ring.end_at < 0
        return playing and ring.read > self._song_start_frame

    def _apply_gain(self, outdata: np.ndarray, frames: int, target: float) -> None:
        gain = self._gain
        if gain == target:
            if gain != 1.0:
                outdata *= gain
            return
        step = self._ramp[:frames] if gain < target else -self._ramp[:frames]
        ramp = np.clip(gain + step, min(gain, target), max(gain, target))
        outdata *= ramp[:, None]
        self._gain = float(ramp[-1])

    def _publish(self, outdata: np.ndarray, ring: Ring | None) -> None:
        values = self.status.values
        if ring is not None and self.song is not None and not self.is_break:
            heard = ring.last_position - self.output_latency_s * self.tempo
            values[slots.POSITION_S] = max(0.0, heard)
        values[slots.FRAMES_PLAYED] = self._frames
        values[slots.UNDERFLOWS] = self._underflows
        values[slots.DEVICE_UNDERFLOWS] = self._device_underflows
        values[slots.LEVEL_LEFT] = float(np.abs(outdata[:, 0]).max())
        values[slots.LEVEL_RIGHT] = float(np.abs(outdata[:, -1]).max())
        self._last_callback = time.monotonic()
        values[slots.HEARTBEAT] = self._last_callback

    def callback_stale(self, limit_s: float) -> bool:
        """True when the device has not asked for audio for ``limit_s`` (it is gone)."""
        return time.monotonic() - self._last_callback > limit_s


def _clamp_wait(seconds: float) -> float:
    low, high = WAIT_S
    return min(high, max(low, seconds))


def _raise_priority() -> bool:
    """SCHED_FIFO for the callback thread where the system allows it (LimitRTPRIO)."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(70))
        return True
    except (OSError, AttributeError):
        return False
