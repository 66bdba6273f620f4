"""The engine process: owns the sound device; a producer thread renders into a ring, the
PortAudio callback only copies from it.

Started by :class:`~appliance.audio.engine.client.EngineClient` with multiprocessing's spawn::

    process = ctx.Process(target=engine_main, args=(child_conn, status.name, options))

Commands arrive over the pipe as the messages of :mod:`appliance.audio.engine.protocol` and are
applied by the producer at chunk boundaries; events go back the same way. Position, levels and the
underflow count are written into the shared :class:`~appliance.audio.engine.status.EngineStatus`.

The device: while it is missing the engine retries every 2 s, re-initialising PortAudio so a
card plugged in later is found. When it is lost while open (a USB card unplugged: the stream
stops or its callback no longer comes), the engine reports it and exits with
``DEVICE_LOST_EXIT``; the client starts a fresh engine, which waits for the device and resumes
the song where it was heard. A fresh process, because PortAudio cannot be re-initialised in a
process whose stream died under it (its JACK host API asserts in ``Pa_Terminate``). Device
notices go to the client as ``DeviceNotice(message)``, and ``DeviceNotice("")`` once the
device is open.
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

from appliance.audio.engine import status as slots
from appliance.audio.engine.device import EngineOptions, open_output_stream
from appliance.audio.engine.producer import Producer
from appliance.audio.engine.protocol import (
    Close,
    Command,
    DeviceNotice,
    Event,
    PriorityNotice,
    ProducerCommand,
    Ready,
)
from appliance.audio.engine.status import EngineStatus, write_status_file

log = logging.getLogger(__name__)

DEVICE_RETRY_S = 2.0
DEVICE_LOST_EXIT = 75  # the engine's exit code when the open device went away
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
    if engine.device_lost:
        logging.shutdown()
        os._exit(DEVICE_LOST_EXIT)  # no atexit: Pa_Terminate would abort on the dead stream


class Engine:
    """The device, the producer and the command pipe."""

    def __init__(self, conn: Any, status: EngineStatus, options: EngineOptions) -> None:
        self.conn, self.status, self.options = conn, status, options
        self._send_lock = threading.Lock()
        self.commands: queue.Queue[ProducerCommand] = queue.Queue()
        self.producer = Producer(self.commands, status, options, self.send)
        self.stream: Any = None
        self.device_name = ""
        self._stream_broken = threading.Event()
        self._closing = False
        self._missing_message = ""  # the last "no sound device" notice sent
        self._priority_reported = False
        self._next_retry = 0.0
        self.device_lost = False

    def send(self, event: Event) -> None:
        """An event to the client (any thread)."""
        with self._send_lock, contextlib.suppress(OSError, ValueError, EOFError):
            self.conn.send(event)

    def run(self) -> None:
        """Open the device, start the producer, serve commands until told to close."""
        self._open_device()
        self.producer.start()
        self.send(Ready(os.getpid()))
        next_status = 0.0
        while not self._closing and not self.device_lost:
            if self.conn.poll(WATCH_PERIOD_S):
                try:
                    command: Command = self.conn.recv()
                except (EOFError, OSError):
                    break
                match command:
                    case Close():
                        break
                    case _:
                        self.commands.put(command)
            self._watch_device()
            self._report_priority()
            if time.monotonic() >= next_status:
                next_status = time.monotonic() + STATUS_FILE_PERIOD_S
                self._write_status_file()

    def _open_device(self) -> bool:
        try:
            self.stream, self.device_name, routing = open_output_stream(
                self.options, self.producer.output.callback, self._stream_finished
            )
        except Exception as error:
            self._next_retry = time.monotonic() + DEVICE_RETRY_S
            self.status.write(slots.STATE, slots.NO_DEVICE)
            message = f"no sound device: {error}; retrying every {DEVICE_RETRY_S:.0f} s"
            if message != self._missing_message:
                self.send(DeviceNotice(message))
                log.warning("%s", message)
                self._missing_message = message
            return False
        self.producer.attach_ring(routing, self.stream.latency)
        self._stream_broken.clear()
        self.producer.output.stream_starting()
        self.stream.start()
        self._missing_message = ""
        self.send(DeviceNotice(""))  # the device is there (the client passes on changes only)
        log.info("playing on %s (%s)", self.device_name, routing.layout)
        return True

    def _stream_finished(self) -> None:
        if not self._closing:
            self._stream_broken.set()

    def _watch_device(self) -> None:
        """Retry a missing device every DEVICE_RETRY_S; notice an open one that went away."""
        if self.stream is None:
            if time.monotonic() >= self._next_retry:
                if self._missing_message:
                    _reinitialise_portaudio()  # PortAudio lists devices only when it starts
                self._open_device()
            return
        if self._stream_broken.is_set() or self.producer.output.callback_stale(DEVICE_RETRY_S):
            self.send(
                DeviceNotice(f"the sound device {self.device_name!r} stopped; waiting for it")
            )
            log.warning("the sound device %s stopped; restarting the engine", self.device_name)
            self.device_lost = True

    def _report_priority(self) -> None:
        """Once the callback has asked for real-time priority: log and send what it got."""
        grant = self.producer.output.realtime
        if grant is None or self._priority_reported:
            return
        self._priority_reported = True
        self.status.write(slots.REALTIME_PRIORITY, grant.priority if grant.granted else -1)
        level = logging.INFO if grant.granted else logging.WARNING
        log.log(level, "audio callback thread: %s", grant.describe())
        self.send(PriorityNotice(grant.describe(), grant.granted))

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
        data: dict[str, object] = dict(self.status.snapshot())
        data.update(device=self.device_name, quality=self.options.quality)
        grant = self.producer.output.realtime
        data.update(realtime=grant.describe() if grant else "")
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
