"""The producer thread of the engine process: commands applied at chunk boundaries, the ring
kept full.

Commands (the messages of :mod:`appliance.audio.engine.protocol`) go to the
:class:`~appliance.audio.engine.song_control.SongControl` (what plays); between them the
:class:`~appliance.audio.engine.feeder.RingFeeder` renders into the ring, and the PortAudio callback
(:class:`~appliance.audio.engine.output.OutputCallback`) plays from it::

    >>> producer = Producer(commands, status, options, send)   # doctest: +SKIP
    >>> stream = open_stream(callback=producer.output.callback) # doctest: +SKIP
    >>> producer.attach_ring(routing, stream.latency)          # doctest: +SKIP
    >>> producer.start()                                       # doctest: +SKIP
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import assert_never

from appliance.audio.dsp.routing import Routing
from appliance.audio.engine import status as slots
from appliance.audio.engine.device import SAMPLE_RATE, EngineOptions
from appliance.audio.engine.feeder import RingFeeder
from appliance.audio.engine.output import NowPlaying, OutputCallback
from appliance.audio.engine.protocol import (
    ApplySettings,
    Ended,
    Event,
    Pause,
    Play,
    PlayBreakMusic,
    Prepare,
    ProducerCommand,
    Reattached,
    Reply,
    Resume,
    Seek,
    SetVoice,
    SetVolume,
    Stop,
)
from appliance.audio.engine.song_control import SongControl
from appliance.core.errors import SongLoadError

log = logging.getLogger(__name__)


class Producer:
    """Renders into the ring on its own thread; :attr:`output` holds PortAudio's callback."""

    def __init__(
        self,
        commands: queue.Queue[ProducerCommand],
        status: slots.EngineStatus,
        options: EngineOptions,
        send: Callable[[Event], None],
    ) -> None:
        self.commands, self.status, self.options, self.send = commands, status, options, send
        self.now = NowPlaying()
        self.output = OutputCallback(status, self.now)
        self.feeder = RingFeeder(status, self.now)
        self.songs = SongControl(status, options, send, self.now, self.feeder)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="producer", daemon=True)

    # --- the thread --------------------------------------------------------------------------

    def attach_ring(self, routing: Routing, output_latency_s: float) -> None:
        """A ring for a (re)opened stream; the song goes on where it was."""
        if self.feeder.ring is not None and self.feeder.routing == routing:
            return
        capacity = int(self.options.ring_s * SAMPLE_RATE)
        self.output.ring = self.feeder.attach(routing, capacity)
        self.output.output_latency_s = float(output_latency_s)
        self.status.write(slots.OUTPUT_LATENCY_S, self.output.output_latency_s)
        self.status.write(slots.CHANNELS, routing.channels)
        self.status.write(slots.RING_FRAMES, capacity)
        self.commands.put(Reattached())  # the producer thread restarts the song in it

    def start(self) -> None:
        """Start the thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread and close renderers."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        self.songs.close()

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
                self.songs.play(request, song, settings, start_s)
            case Prepare(song, settings):
                self.songs.prepare(song, settings)
            case Pause():
                self.songs.pause()
            case Resume():
                self.songs.resume()
            case Stop():
                self.songs.stop()
            case Seek(position_s):
                self.songs.seek(position_s)
            case ApplySettings(settings):
                self.songs.apply_settings(settings)
            case SetVolume(volume, muted):
                self.songs.set_volume(volume, muted)
            case SetVoice(mic, level_db, echo):
                self._set_voice(mic, level_db, echo)
            case PlayBreakMusic(songs, level):
                self.songs.play_break_music(songs, level)
            case Reattached():
                self.songs.reattached()
            case _:
                assert_never(command)

    def _set_voice(self, mic: int, level_db: float, echo: float) -> None:
        if self.output.mics is not None:
            self.output.mics.set_voice(mic, level_db, echo)

    def _produce(self) -> float:
        """Queue a chunk; how long to wait (s) before there is something to do again."""
        try:
            wait_s = self.feeder.produce()
        except SongLoadError as error:
            self.songs.fail(error.reason)
            return 0.0  # something was done: the next break song's pre-roll is pending
        if wait_s is None:
            self._source_finished()
            return 0.0
        return wait_s

    def _splice_new_settings(self) -> None:
        try:
            self.feeder.splice_new_settings()
        except SongLoadError as error:
            self.songs.fail(error.reason)

    def _source_finished(self) -> None:
        renderer = self.now.renderer
        if self.now.is_break and renderer is not None:
            self.songs.break_music.advance()
            self.songs.start_break_song()
        elif renderer is not None:
            self.feeder.mark_end(renderer.song.song_id)

    def _check_song_end(self) -> None:
        song_id = self.feeder.take_ended()
        if not song_id:
            return
        self.songs.close_song()
        self.status.write(slots.STATE, slots.IDLE)
        self.send(Ended(song_id))
