"""The PortAudio callback of the engine process, and what it shares with the producer thread.

The callback copies from the ring, ramps the master gain (volume, pause fades), adds the
microphones (:mod:`appliance.audio.engine.mics`, after the gain), clips as a last safety,
counts underflows and publishes position and levels; it allocates nothing big and takes no
lock. Its first call asks for SCHED_FIFO at
:data:`~appliance.audio.engine.realtime.REALTIME_PRIORITY` and keeps the grant in
:attr:`OutputCallback.realtime`. The producer thread (:mod:`appliance.audio.engine.producer`)
writes :class:`NowPlaying`; each field is written by that one thread and read here as it is::

    >>> now = NowPlaying()
    >>> output = OutputCallback(status, now)           # doctest: +SKIP
    >>> stream = sounddevice.OutputStream(callback=output.callback, ...)  # doctest: +SKIP
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from appliance.audio.engine import status as slots
from appliance.audio.engine.realtime import RealtimeGrant, raise_priority
from appliance.audio.engine.ring import Ring

if TYPE_CHECKING:
    from appliance.audio.dsp.song_renderer import SongRenderer
    from appliance.audio.engine.mics import MicMixer

GAIN_RAMP_FRAMES = 480  # 10 ms volume and pause fades


@dataclass
class NowPlaying:
    """What plays: written by the producer thread, read by the callback."""

    renderer: SongRenderer | None = None  # the song or break song rendered into the ring
    is_break: bool = False
    paused: bool = False
    volume: float = 1.0
    tempo: float = 1.0  # of the queued audio: the position heard lags latency * tempo
    song_start_frame: int = 0  # ring frame where the song starts (no underflow before it)


class OutputCallback:
    """PortAudio's callback (:meth:`callback`) over the ring the producer fills."""

    def __init__(self, status: slots.EngineStatus, now: NowPlaying) -> None:
        self.status, self.now = status, now
        self.ring: Ring | None = None
        self.output_latency_s = 0.0
        self.realtime: RealtimeGrant | None = None  # set by the first callback
        self.mics: MicMixer | None = None  # the microphones, mixed after the master gain
        self._gain = 1.0  # the stream opens on silence: no fade needed
        self._underflows = 0
        self._device_underflows = 0
        self._frames = 0
        self._ramp = np.arange(1, 8193, dtype=np.float32) / GAIN_RAMP_FRAMES
        self._last_callback = time.monotonic()

    def stream_starting(self) -> None:
        """The stream starts now: its callback is due from here on (see callback_stale)."""
        self._last_callback = time.monotonic()

    def callback(self, outdata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio's: copy, fade, clip, count, publish."""
        if self.realtime is None:
            self.realtime = raise_priority()
        if status.output_underflow:
            self._underflows += 1
            self._device_underflows += 1
        ring, now = self.ring, self.now
        target = 0.0 if now.paused else now.volume
        got = 0
        if ring is not None and not (now.paused and self._gain == 0.0):
            got = ring.read_into(outdata)
            if got < frames and ring.readable:
                got += ring.read_into(outdata[got:])
            if got < frames and self._starved(ring):
                self._underflows += 1
        outdata[got:] = 0.0
        self._apply_gain(outdata, frames, target)
        if self.mics is not None:
            self._mix_mics(self.mics, outdata, frames)
        np.clip(outdata, -1.0, 1.0, out=outdata)
        self._frames += frames
        self._publish(outdata, ring)

    def _mix_mics(self, mics: MicMixer, outdata: np.ndarray, frames: int) -> None:
        """The voices, and the mic path's counts."""
        mics.mix(outdata, frames)
        values = self.status.values
        values[slots.MIC_UNDERRUNS] = mics.underruns()
        values[slots.MIC_DRIFT_FIXES] = mics.drift_fixes()
        values[slots.MIC_FILL] = mics.first_fill()

    def heard_now(self) -> tuple[float, float, bool]:
        """Any thread: the song position heard now (as published), the tempo, and whether a
        song (not break music, not paused) is being sung to: what the mics' stamps need."""
        now = self.now
        singing = now.renderer is not None and not now.is_break and not now.paused
        return float(self.status.values[slots.POSITION_S]), now.tempo, singing

    def _starved(self, ring: Ring) -> bool:
        """The ring ran dry in the middle of a song (not at its start or its end)."""
        now = self.now
        playing = now.renderer is not None and not now.paused and ring.end_at < 0
        return playing and ring.read > now.song_start_frame

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
        values, now = self.status.values, self.now
        if ring is not None and now.renderer is not None and not now.is_break:
            heard = ring.last_position - self.output_latency_s * now.tempo
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
