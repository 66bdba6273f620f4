"""The engine process: owns the sound device; a producer thread renders into a ring, the
PortAudio callback only copies from it.

Started by :class:`~appliance.audio.client.EngineClient` with multiprocessing's spawn::

    process = ctx.Process(target=engine_main, args=(child_conn, status.name, options))

Commands arrive over the pipe as tuples (see :mod:`appliance.audio.protocol`) and are applied
by the producer at chunk boundaries; events go back the same way. Position, levels and the
underflow count are written into the shared :class:`~appliance.audio.status.EngineStatus`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import signal
import threading
import time
from typing import Any

from appliance.audio import status as slots
from appliance.audio.device import EngineOptions, open_output_stream
from appliance.audio.producer import Producer
from appliance.audio.status import EngineStatus, write_status_file

log = logging.getLogger(__name__)

DEVICE_RETRY_S = 2.0
WATCH_PERIOD_S = 0.2
STATUS_FILE_PERIOD_S = 2.0


def engine_main(conn: Any, status_name: str, options: EngineOptions) -> None:
    """Entry point of the engine process (environment first: ALSA reads HOME at init)."""
    os.environ.update(options.env)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    logging.basicConfig(level=logging.INFO, format="engine %(levelname)s: %(message)s")
    status = EngineStatus.attach(status_name)
    engine = Engine(conn, status, options)
    try:
        engine.run()
    finally:
        engine.shutdown()
        status.close()


class Engine:
    """The device, the producer and the command pipe."""

    def __init__(self, conn: Any, status: EngineStatus, options: EngineOptions) -> None:
        self.conn, self.status, self.options = conn, status, options
        self._send_lock = threading.Lock()
        self.commands: queue.Queue[tuple] = queue.Queue()
        self.producer = Producer(self.commands, status, options, self.send)
        self.stream: Any = None
        self.device_name = ""
        self._stream_broken = threading.Event()
        self._closing = False
        self._reported_missing = False

    def send(self, *event: Any) -> None:
        """An event to the client (any thread)."""
        with self._send_lock, contextlib.suppress(OSError, ValueError, EOFError):
            self.conn.send(event)

    def run(self) -> None:
        """Open the device, start the producer, serve commands until told to close."""
        self._open_device()
        self.producer.start()
        self.send("ready", os.getpid())
        next_status = 0.0
        while not self._closing:
            if self.conn.poll(WATCH_PERIOD_S):
                try:
                    command = self.conn.recv()
                except (EOFError, OSError):
                    break
                if command[0] == "close":
                    break
                self.commands.put(command)
            self._watch_device()
            if time.monotonic() >= next_status:
                next_status = time.monotonic() + STATUS_FILE_PERIOD_S
                self._write_status_file()

    def _open_device(self) -> bool:
        try:
            self.stream, self.device_name, routing = open_output_stream(
                self.options, self.producer.callback, self._stream_finished
            )
        except Exception as error:
            self.status.write(slots.STATE, slots.NO_DEVICE)
            if not self._reported_missing:
                self.send("device", f"no sound device: {error}; retrying every 2 s")
                log.warning("no sound device: %s", error)
                self._reported_missing = True
            return False
        self.producer.attach_ring(routing, self.stream.latency)
        self._stream_broken.clear()
        self.stream.start()
        if self._reported_missing:
            self.send("device", f"sound device back: {self.device_name}")
            self._reported_missing = False
        log.info("playing on %s (%s)", self.device_name, routing.layout)
        return True

    def _stream_finished(self) -> None:
        if not self._closing:
            self._stream_broken.set()

    def _watch_device(self) -> None:
        stale = self.producer.callback_stale(DEVICE_RETRY_S)
        if self.stream is not None and not self._stream_broken.is_set() and not stale:
            return
        if time.monotonic() < getattr(self, "_next_retry", 0.0):
            return
        self._next_retry = time.monotonic() + DEVICE_RETRY_S
        if self.stream is not None:
            self.send("device", "the sound device stopped; reopening it")
            self._close_stream()
            _reinitialise_portaudio()
        elif self._reported_missing:
            _reinitialise_portaudio()
        self._open_device()

    def _close_stream(self) -> None:
        stream, self.stream = self.stream, None
        if stream is None:
            return
        try:
            stream.abort()
            stream.close()
        except Exception as error:
            log.info("closing the stream: %s", error)

    def _write_status_file(self) -> None:
        data = dict(self.status.snapshot())
        data.update(device=self.device_name, quality=self.options.quality)
        data.update(realtime=self.producer.realtime_priority)
        write_status_file(self.options.state_dir, data)

    def shutdown(self) -> None:
        """Stop producing, close the device."""
        self._closing = True
        self.producer.stop()
        self._close_stream()


def _reinitialise_portaudio() -> None:
    """Let PortAudio rescan devices (a USB card plugged back in)."""
    import sounddevice

    try:
        sounddevice._terminate()
        sounddevice._initialize()
    except Exception as error:
        log.info("PortAudio re-initialisation: %s", error)
