"""The singer's pitch, streamed: aubio's YIN (``yinfast``) on 10 ms hops of a 43 ms window.

Fed mono float32 blocks of any size, :class:`PitchTracker` returns one estimate per hop: the
time of the estimate's centre since the first sample fed, and the pitch as a MIDI number (None
when nothing voiced was heard: silence, noise, breath). The same tracker serves the engine's
live tracking thread (one per mic) and ``karaoke score`` on a recorded voice::

    >>> import numpy as np
    >>> tracker = PitchTracker(48000)
    >>> tone = (0.3 * np.sin(2 * np.pi * 220.0 * np.arange(24000) / 48000)).astype(np.float32)
    >>> estimates = tracker.feed(tone[:1000]) + tracker.feed(tone[1000:])
    >>> time_s, midi = estimates[20]
    >>> round(time_s, 3), round(midi, 1)  # A3
    (0.2, 57.0)

Why aubio's ``yinfast`` (measured in docs/engine.md, "Pitch tracking"; bench
tests/bench/bench_pitch.py): YIN's difference function computed by FFT, exact like YIN, ~360x
real time on one core here. aubio's default ``yinfft`` is faster still but reads low voices
sharp (a pure 110 Hz tone 90 cents sharp, 82 Hz 172 cents: its spectral weighting), which would
rob a bass of his notes. A frame is voiced when YIN's confidence (1 - the dip) reaches
:data:`CONFIDENCE`: white noise stays under 0.17, sung notes above 0.79 99% of the time.
"""

from __future__ import annotations

import math

import aubio
import numpy as np

from appliance.audio.sources.decode import open_audio
from appliance.audio.sources.locate import SourceRef

HOP_S = 0.01
"""One estimate every 10 ms: the note lane's pitch line is smooth and a 50 ms note is caught."""
WINDOW_S = 2048 / 48000
"""43 ms: two periods of a low bass voice (47 Hz) fit, yet a 100 ms note is resolved."""
CONFIDENCE = 0.6
"""A frame whose YIN confidence is below this is unvoiced (noise, breath, a chord)."""
SILENCE_DB = -50.0
"""Below this level (dBFS) a frame is silent, whatever its shape."""
TYPICAL_HZ = 200.0
"""A voice's typical pitch, for :attr:`PitchTracker.delay_s` (each estimate's own time uses
its own period)."""
MIDI_RANGE = (28.0, 100.0)
"""What a voice sings (E1 to E7): anything outside is a tracking error, reported unvoiced."""


class PitchTracker:
    """Streaming pitch of one mono signal; not thread-safe (one per mic, fed by one thread)."""

    def __init__(self, sample_rate: int = 48000) -> None:
        self.sample_rate = sample_rate
        self.hop_frames = max(1, round(sample_rate * HOP_S))
        self._window = 1 << max(8, round(math.log2(sample_rate * WINDOW_S)))
        self.delay_s = self._centre_behind(sample_rate / TYPICAL_HZ) / sample_rate
        self._pitch = aubio.pitch("yinfast", self._window, self.hop_frames, sample_rate)
        self._pitch.set_unit("midi")
        self._pitch.set_silence(SILENCE_DB)
        self._pending = np.zeros(0, dtype=np.float32)
        self._consumed = 0  # frames handed to aubio so far

    def feed(self, mono: np.ndarray) -> list[tuple[float, float | None]]:
        """Estimates for every whole hop now available: (centre time in s, MIDI or None).

        ``delay_s`` is how far behind the end of the audio fed an estimate's centre lies for a
        200 Hz voice (the window's first half and one period after it are what YIN compares:
        29.5 ms at 48 kHz; each estimate's time is exact for its own pitch). Estimates whose
        centre would lie before the first sample are not given.
        """
        block = np.asarray(mono, dtype=np.float32).reshape(-1)
        if self._pending.size:
            block = np.concatenate((self._pending, block))
        hop = self.hop_frames
        whole = block.size // hop
        estimates: list[tuple[float, float | None]] = []
        for index in range(whole):
            chunk = np.ascontiguousarray(block[index * hop : (index + 1) * hop])
            midi = float(self._pitch(chunk)[0])
            confident = self._pitch.get_confidence() >= CONFIDENCE
            self._consumed += hop
            voiced = _voiced(midi) if confident else None
            period = 0.0 if voiced is None else self.sample_rate / _hz(voiced)
            centre = (self._consumed - self._centre_behind(period)) / self.sample_rate
            if centre >= 0:
                estimates.append((centre, voiced))
        self._pending = block[whole * hop :].copy()
        return estimates

    def _centre_behind(self, period: float) -> float:
        """Frames from the middle of what YIN compared to the end of its window: it compares
        the window's first half with itself one period later."""
        return self._window - (self._window / 2 + period) / 2


def _hz(midi: float) -> float:
    return 440.0 * 2.0 ** ((midi - 69.0) / 12.0)


def _voiced(midi: float) -> float | None:
    low, high = MIDI_RANGE
    return midi if low <= midi <= high else None


def track_pitch(
    mono: np.ndarray, sample_rate: int, block_frames: int = 4096
) -> list[tuple[float, float | None]]:
    """A whole signal's estimates, fed as a stream would be (a recorded voice, an offline
    melody)."""
    tracker = PitchTracker(sample_rate)
    estimates: list[tuple[float, float | None]] = []
    for start in range(0, len(mono), block_frames):
        estimates.extend(tracker.feed(mono[start : start + block_frames]))
    return estimates


def track_file(path: str) -> list[tuple[float, float | None]]:
    """The estimates of a recorded voice (any format the box decodes; stereo is averaged),
    at the file's own rate. SongLoadError when it cannot be decoded."""
    with open_audio(SourceRef(path), "voice") as audio:
        tracker = PitchTracker(audio.rate)
        estimates: list[tuple[float, float | None]] = []
        for block in audio.blocks():
            estimates.extend(tracker.feed(block.mean(axis=1)))
    return estimates
