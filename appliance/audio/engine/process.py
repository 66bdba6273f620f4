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
from collections.abc import Callable
from typing import Any

from appliance.audio.engine import status as slots
from appliance.audio.engine.device import (
    EngineOptions,
    find_device,
    find_input_device,
    open_output_stream,
)
from appliance.audio.engine.mic_inputs import MicInputs, sane_latency
from appliance.audio.engine.mic_ring import MicSource
from appliance.audio.engine.mics import MicMixer, mic_specs
from appliance.audio.engine.producer import Producer
from appliance.audio.engine.protocol import (
    Close,
    Command,
    DeviceNotice,
    Event,
    MicNotice,
    PriorityNotice,
    ProducerCommand,
    Ready,
)
from appliance.audio.engine.status import EngineStatus, write_status_file
from appliance.audio.engine.tracking import Tracking

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
        self.mixer: MicMixer | None = None
        self.mic_inputs: MicInputs | None = None
        self.tracking: Tracking | None = None
        if options.mics:
            self.mixer = MicMixer(mic_specs(options.mics), (0, 1), options.blocksize)
            self.producer.output.mics = self.mixer
            self.mixer.heard = self.producer.output.heard_now
            self.mic_inputs = MicInputs(options, self.mixer, self.send)
            self.tracking = Tracking(self.mixer, self.send)

    def send(self, event: Event) -> None:
        """An event to the client (any thread)."""
        with self._send_lock, contextlib.suppress(OSError, ValueError, EOFError):
            self.conn.send(event)

    def run(self) -> None:
        """Open the device, start the producer, serve commands until told to close."""
        self._open_device()
        self.producer.start()
        if self.tracking is not None:
            self.tracking.start()
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
            if self.mic_inputs is not None and self.stream is not None:
                self.mic_inputs.watch()
            self._report_priority()
            if time.monotonic() >= next_status:
                next_status = time.monotonic() + STATUS_FILE_PERIOD_S
                self._write_status_file()

    def _open_device(self) -> bool:
        callback: Callable[..., None] = self.producer.output.callback
        capture = 0
        try:
            duplex_device = self._duplex_device()
            if duplex_device and self.mixer is not None:
                source = self.mixer.use_direct(duplex_device)
                capture, output = source.channels, self.producer.output.callback

                mixer = self.mixer

                def duplex(indata: Any, outdata: Any, frames: int, when: Any, why: Any) -> None:
                    source.block = indata
                    mixer.capture(duplex_device, indata, frames, when)
                    output(outdata, frames, when, why)

                callback = duplex

            self.stream, self.device_name, routing = open_output_stream(
                self.options, callback, self._stream_finished, capture
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
        latency = self.stream.latency
        output_latency = sane_latency(latency[1] if capture else latency, self.options.blocksize)
        self.producer.attach_ring(routing, output_latency)
        if self.mixer is not None:
            self._attach_mics(routing.layout, capture, latency)
        self._stream_broken.clear()
        self.producer.output.stream_starting()
        self.stream.start()
        self._missing_message = ""
        self.send(DeviceNotice(""))  # the device is there (the client passes on changes only)
        log.info("playing on %s (%s)", self.device_name, routing.layout)
        return True

    def _duplex_device(self) -> str:
        """The mic device that is also the output device ('' if none): one duplex stream."""
        if self.mixer is None:
            return ""
        output = find_device(self.options.device)["index"]
        for device in self.mixer.devices:
            try:
                if find_input_device(device)["index"] == output:
                    return device
            except Exception:
                continue
        return ""

    def _attach_mics(self, layout: str, capture: int, latency: Any) -> None:
        """The mics into the main outputs of ``layout``; those not on the output device get
        their own stream."""
        assert self.mixer is not None and self.mic_inputs is not None
        self.mixer.main_channels = (1,) if layout == "split" else (0, 1)
        for device, source in self.mixer.sources.items():
            if capture and not isinstance(source, MicSource):
                self.mixer.input_latency_s[device] = sane_latency(
                    latency[0], self.options.blocksize
                )
                for spec in self.mixer.specs:
                    if spec.device == device:
                        self.send(MicNotice(spec.mic, ""))  # there: the core knows of it
            elif device not in {c.device for c in self.mic_inputs.captures}:
                self.mic_inputs.add(device)

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
        if self.tracking is not None:
            self.tracking.stop()
        if self.mic_inputs is not None:
            self.mic_inputs.close()
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
