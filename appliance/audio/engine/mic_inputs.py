"""The microphones' capture streams, opened, watched and reopened by the engine's main thread.

Each mic device of ``[audio] mics`` that is not the output device gets an input stream whose
callback only writes into its :class:`~appliance.audio.engine.mic_ring.MicRing`; the output
callback reads it (:class:`~appliance.audio.engine.mics.MicMixer`). A device missing at start,
or lost mid-song (a USB mic unplugged: its stream stops, or its callback no longer comes), is
retried every ``RETRY_S`` from :meth:`MicInputs.watch`, never in a callback, and the output
stream and the music are never touched. The host hears of each change once per mic
(``MicNotice``: the problem, then ``""`` when the mic is back).

PortAudio lists devices only when it starts, and re-initialising it would close the output
stream; so a mic is reopened when it comes back under a name PortAudio listed at the engine's
start (an ALSA card by its name, as ``karaoke devices`` shows it). A mic first plugged in
after the engine started is found at the engine's next start.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from appliance.audio.engine.device import EngineOptions, find_input_device
from appliance.audio.engine.mic_ring import MicSource
from appliance.audio.engine.mics import MicMixer
from appliance.audio.engine.protocol import Event, MicNotice
from appliance.audio.sources.locate import SAMPLE_RATE

log = logging.getLogger(__name__)

RETRY_S = 2.0
STALE_S = 1.0


def sane_latency(reported: float, blocksize: int) -> float:
    """PortAudio's input latency, or one block when it reports nonsense (its JACK host API
    gave 89,478 s here: an unset port latency)."""
    if 0.0 <= reported < 1.0:
        return float(reported)
    return blocksize / SAMPLE_RATE


class CaptureStream:
    """One mic device's input stream and the state the engine watches."""

    def __init__(self, device: str, source: MicSource, channels: int, mixer: MicMixer) -> None:
        self.device, self.source, self.channels, self.mixer = device, source, channels, mixer
        self.stream: Any = None
        self.broken = threading.Event()
        self.last_callback = 0.0
        self.next_retry = 0.0
        self.problem: str | None = None  # None: nothing told yet (the first notice always goes)

    def callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio's (input): queue the block."""
        self.last_callback = time.monotonic()
        self.source.ring.write(indata, self.last_callback)
        self.mixer.capture(self.device, indata, frames, time_info)

    def finished(self) -> None:
        """PortAudio's: the stream stopped."""
        self.broken.set()


class MicInputs:
    """Every mic device that needs its own input stream."""

    def __init__(
        self, options: EngineOptions, mixer: MicMixer, send: Callable[[Event], None]
    ) -> None:
        self.options, self.mixer, self.send = options, mixer, send
        self.captures: list[CaptureStream] = []
        self._closing = False

    def add(self, device: str) -> None:
        """``device`` gets its own stream (it is not the output device)."""
        source = self.mixer.sources[device]
        assert isinstance(source, MicSource)
        channels = self.mixer.channels_of(device)
        self.captures.append(CaptureStream(device, source, channels, self.mixer))

    def watch(self) -> None:
        """Open what is missing (every RETRY_S), notice what went away (the engine's loop)."""
        now = time.monotonic()
        for capture in self.captures:
            if capture.stream is None:
                if now >= capture.next_retry:
                    self._open(capture)
            elif capture.broken.is_set() or now - capture.last_callback > STALE_S:
                self._lost(capture)

    def _open(self, capture: CaptureStream) -> None:
        import sounddevice

        try:
            device = find_input_device(capture.device)
            stream = sounddevice.InputStream(
                device=device["index"],
                samplerate=SAMPLE_RATE,
                channels=capture.channels,
                dtype="float32",
                blocksize=self.options.blocksize,
                latency=self.options.stream_latency_s,
                callback=capture.callback,
                finished_callback=capture.finished,
            )
        except Exception as error:
            capture.next_retry = time.monotonic() + RETRY_S
            self._notice(capture, f"no microphone {capture.device!r} ({error}); retrying")
            return
        capture.broken.clear()
        capture.source.restart()
        self.mixer.input_latency_s[capture.device] = sane_latency(stream.latency, stream.blocksize)
        capture.last_callback = time.monotonic()
        stream.start()
        capture.stream = stream
        capture.source.live = True
        latency_ms = self.mixer.input_latency_s[capture.device] * 1e3
        log.info("mic %s open (input latency %.1f ms)", capture.device, latency_ms)
        self._notice(capture, "")

    def _lost(self, capture: CaptureStream) -> None:
        capture.source.live = False
        stream, capture.stream = capture.stream, None
        try:
            stream.abort()
            stream.close()
        except Exception as error:
            log.info("closing mic %s: %s", capture.device, error)
        capture.next_retry = time.monotonic() + RETRY_S
        self._notice(capture, f"microphone {capture.device!r} stopped (unplugged?); waiting")

    def _notice(self, capture: CaptureStream, message: str) -> None:
        if message == capture.problem:
            return
        capture.problem = message
        if message:
            log.warning("%s", message)
        for spec in self.mixer.specs:
            if spec.device == capture.device:
                self.send(MicNotice(spec.mic, message))

    def close(self) -> None:
        """Stop every capture stream."""
        for capture in self.captures:
            capture.source.live = False
            stream, capture.stream = capture.stream, None
            if stream is not None:
                try:
                    stream.abort()
                    stream.close()
                except Exception as error:
                    log.info("closing mic %s: %s", capture.device, error)
