"""The microphones in the output callback: each mic's block through its voice chain into the
main outputs, and a raw copy for the tracking thread.

The mics are ``[audio] mics`` in the config, in order: mic 1, mic 2. Entries naming the same
device are its channels 1, 2 (a two-input USB interface). Each device is one *source*
(:mod:`appliance.audio.engine.mic_ring`): its own input stream writing into a ring, or, when it
is the output device, the duplex stream's input block. :meth:`MicMixer.mix` runs inside
:class:`~appliance.audio.engine.output.OutputCallback`, after the master gain (a paused song
does not mute the singers) and before the last clip; it adds each voice to the main outputs
(1-2; in ``split`` the music side, 2) and never to the music ring, so the voice is never
stretched or shifted with the music and waits for no queue::

    >>> import numpy as np
    >>> mixer = MicMixer([MicSpec(1, "USB", 0)], main_channels=(0, 1), blocksize=128)
    >>> out = np.zeros((128, 2), np.float32)
    >>> mixer.mix(out, 128)                                  # nothing captured yet
    >>> float(out.max())
    0.0

:class:`TrackRing` carries each mic's raw samples, stamped per block with the song position
the singer heard when they sang the block's first sample, to the tracking thread
(:mod:`appliance.audio.engine.tracking`); the capture callbacks write it
(:meth:`MicMixer.capture`), at the time the block was captured.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from appliance.audio.dsp.voice import MAX_BLOCK, VoiceChain
from appliance.audio.engine.mic_ring import DirectSource, MicRing, MicSource
from appliance.audio.sources.locate import SAMPLE_RATE

TRACK_RING_S = 2.0
STAMPS = 1024


@dataclass(frozen=True)
class MicSpec:
    """Mic ``mic`` (1, 2) is channel ``channel`` (0-based) of the capture device ``device``."""

    mic: int
    device: str
    channel: int


def mic_specs(names: tuple[str, ...]) -> list[MicSpec]:
    """The config's ``mics`` as mics 1 and 2: a name given twice is a device's channels 1, 2."""
    specs: list[MicSpec] = []
    for index, name in enumerate(names[:2]):
        channel = sum(1 for spec in specs if spec.device == name)
        specs.append(MicSpec(index + 1, name, channel))
    return specs


class TrackRing:
    """A mic's raw samples and, per block, (first sample index, song seconds, tempo, singing)."""

    def __init__(self) -> None:
        self.samples = MicRing(int(TRACK_RING_S * SAMPLE_RATE), 1)
        self.stamps = np.zeros((STAMPS, 4), np.float64)
        self.stamps_written = 0  # the callback's counter

    def write(self, mono: np.ndarray, heard_s: float, tempo: float, singing: bool) -> None:
        """The callback's: one block and its stamp (a full ring drops the block)."""
        if self.samples.filled + len(mono) > self.samples.capacity:
            self.samples.overflows += 1
            return
        row = self.stamps[self.stamps_written % STAMPS]
        row[0], row[1], row[2], row[3] = self.samples.written, heard_s, tempo, float(singing)
        self.samples.write(mono[:, None])
        self.stamps_written += 1


class MicMixer:
    """Every configured mic: sources, voice chains, tracking rings, the howl duck."""

    def __init__(self, specs: list[MicSpec], main_channels: tuple[int, ...], blocksize: int):
        self.specs = specs
        self.input_latency_s: dict[str, float] = {}
        self.devices = list(dict.fromkeys(spec.device for spec in specs))
        self.sources: dict[str, MicSource | DirectSource] = {}
        self._scratch: dict[str, np.ndarray] = {}
        for device in self.devices:
            channels = sum(1 for spec in specs if spec.device == device)
            self.sources[device] = MicSource(MicRing(max(4 * blocksize, 4096), channels))
            self._scratch[device] = np.zeros((MAX_BLOCK, channels), np.float32)
        self.chains = {spec.mic: VoiceChain(SAMPLE_RATE) for spec in specs}
        self._mono = {spec.mic: np.zeros(MAX_BLOCK, np.float32) for spec in specs}
        self.tracks = {spec.mic: TrackRing() for spec in specs}
        # (song seconds heard now, tempo, a song is sung): the output callback's, set by the engine
        self.heard: Callable[[], tuple[float, float, bool]] = lambda: (0.0, 1.0, False)

        self.main_channels = main_channels

    @property
    def main_channels(self) -> tuple[int, ...]:
        """The output channels the voices go to (1-2; in ``split`` the music side, 2)."""
        return self._main_channels

    @main_channels.setter
    def main_channels(self, channels: tuple[int, ...]) -> None:
        self._main_channels = channels
        self._main = slice(channels[0], channels[-1] + 1)

    def channels_of(self, device: str) -> int:
        """How many capture channels ``device`` is opened with."""
        return sum(1 for spec in self.specs if spec.device == device)

    def use_direct(self, device: str) -> DirectSource:
        """``device`` is the output device: its mics come from the duplex stream."""
        source = DirectSource(self.channels_of(device))
        self.sources[device] = source
        return source

    def set_voice(self, mic: int, level_db: float, echo: float) -> None:
        """Any thread: mic ``mic``'s level and echo (ignored for a mic not configured)."""
        chain = self.chains.get(mic)
        if chain is not None:
            chain.set(level_db, echo)

    def capture(self, device: str, block: np.ndarray, frames: int, time_info: Any) -> None:
        """An input callback's (or the duplex callback's): copy ``device``'s block of each mic
        into its tracking ring, stamped with the song position the singer heard when its first
        sample was sung: the position heard now (as published: accurate whenever it is read,
        where the output callback's own view runs ahead in a burst of callbacks) minus the
        block's age (PortAudio's capture time of its first sample, else the stream's latency)."""
        heard, tempo, singing = self.heard()
        age_s = self.input_latency_s.get(device, 0.0)
        adc, current = (
            getattr(time_info, "inputBufferAdcTime", 0),
            getattr(time_info, "currentTime", 0),
        )
        if adc > 0 and 0.0 < current - adc < 1.0:  # JACK's host API gives the two equal
            age_s = current - adc
        for spec in self.specs:
            if spec.device == device:
                mono = block[:frames, spec.channel]
                self.tracks[spec.mic].write(mono, heard - age_s * tempo, tempo, singing)

    def mix(self, outdata: np.ndarray, frames: int) -> None:
        """The output callback's: add every live mic's treated voice to the main outputs."""
        got: dict[str, bool] = {}
        now = time.monotonic()
        for device, source in self.sources.items():
            got[device] = source.live and source.pull(self._scratch[device], frames, now)
        for spec in self.specs:
            if not got[spec.device]:
                continue
            raw = self._mono[spec.mic][:frames]
            raw[:] = self._scratch[spec.device][:frames, spec.channel]  # contiguous for pedalboard
            voice = self.chains[spec.mic].process(raw)
            outdata[:frames, self._main] += voice[:, None]

    def underruns(self) -> int:
        """Mic blocks whose ring ran dry, all sources."""
        return sum(source.underruns for source in self.sources.values())

    def drift_fixes(self) -> int:
        """Samples dropped or repeated for clock drift, all sources."""
        return sum(source.drift_fixes for source in self.sources.values())

    def first_fill(self) -> int:
        """Frames left in mic 1's ring after its last read."""
        return self.sources[self.devices[0]].last_fill if self.devices else 0
