"""Rubber Band's real-time stretcher through ctypes on Debian's ``librubberband2``.

One :class:`Stretcher` shifts key and tempo of a stereo bus, block by block, and may be retuned
between blocks without a restart. Output is aligned on the input: the start delay is dropped and
the preferred start pad fed, so output frame 0 is source frame 0::

    >>> import numpy as np
    >>> stretcher = Stretcher(48_000, 2, quality="r2")
    >>> stretcher.set_key(2)
    >>> stretcher.process(np.zeros((4096, 2), np.float32))
    >>> out = stretcher.retrieve()
    >>> out.shape[1]
    2
    >>> stretcher.close()

The library releases the GIL inside its calls (ctypes does), so the producer thread never holds
up the callback thread while it stretches.
"""

from __future__ import annotations

import ctypes
import ctypes.util

import numpy as np

from appliance.core.errors import DeviceError

OPTION_PROCESS_REALTIME = 0x00000001
OPTION_TRANSIENTS_MIXED = 0x00000100
OPTION_WINDOW_SHORT = 0x00100000
OPTION_PITCH_HIGH_CONSISTENCY = 0x04000000
OPTION_CHANNELS_TOGETHER = 0x10000000
OPTION_ENGINE_FINER = 0x20000000

QUALITY_OPTIONS = {
    # R2 ("faster"): cheap enough for a Pi 4 core.
    "r2": OPTION_TRANSIENTS_MIXED,
    # R3 ("finer") with the short window: better sound, still real time on a desktop core.
    "r3": OPTION_ENGINE_FINER | OPTION_WINDOW_SHORT,
}
# The pitch method is the library's default, "high speed" (R2: 3.3% of a desktop core at key +2
# instead of 5.2% with "high consistency"; R3 short: 4.2% instead of 4.7%). That is allowed
# because a stretcher never changes pitch while it runs: the engine restarts it at the new key
# and crossfades (see SongRenderer.restart_at). "High consistency" is only needed for pitch
# that glides during processing.
MAX_PROCESS_FRAMES = 4096
FLUSH_MARGIN_FRAMES = 2048  # silence fed after the end beyond the latency (see flush)

_loaded: dict[str, ctypes.CDLL] = {}


def library() -> ctypes.CDLL:
    """The loaded librubberband (DeviceError with the package to install when it is missing)."""
    if "lib" not in _loaded:
        name = ctypes.util.find_library("rubberband") or "librubberband.so.2"
        try:
            lib = ctypes.CDLL(name)
        except OSError as error:
            message = f"Rubber Band library missing ({error}): apt install librubberband2"
            raise DeviceError(message) from error
        _declare(lib)
        _loaded["lib"] = lib
    return _loaded["lib"]


def _declare(lib: ctypes.CDLL) -> None:
    state, uint, dbl = ctypes.c_void_p, ctypes.c_uint, ctypes.c_double
    floats = ctypes.POINTER(ctypes.POINTER(ctypes.c_float))
    signatures = {
        "rubberband_new": (state, [uint, uint, ctypes.c_int, dbl, dbl]),
        "rubberband_delete": (None, [state]),
        "rubberband_reset": (None, [state]),
        "rubberband_set_time_ratio": (None, [state, dbl]),
        "rubberband_set_pitch_scale": (None, [state, dbl]),
        "rubberband_get_latency": (uint, [state]),
        "rubberband_get_start_delay": (uint, [state]),
        "rubberband_get_preferred_start_pad": (uint, [state]),
        "rubberband_set_max_process_size": (None, [state, uint]),
        "rubberband_process": (None, [state, floats, uint, ctypes.c_int]),
        "rubberband_available": (ctypes.c_int, [state]),
        "rubberband_retrieve": (uint, [state, floats, uint]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype, function.argtypes = restype, argtypes


class Stretcher:
    """A real-time key/tempo stretcher for ``channels`` channels of float32 audio."""

    def __init__(self, rate: int, channels: int, *, quality: str = "r3") -> None:
        self._lib = library()
        self.rate, self.channels = rate, channels
        options = OPTION_PROCESS_REALTIME | OPTION_CHANNELS_TOGETHER | QUALITY_OPTIONS[quality]
        self._state = self._lib.rubberband_new(rate, channels, options, 1.0, 1.0)
        if not self._state:
            raise DeviceError("Rubber Band could not create a stretcher")
        self._lib.rubberband_set_max_process_size(self._state, MAX_PROCESS_FRAMES)
        self._in = np.zeros((channels, MAX_PROCESS_FRAMES), np.float32)
        self._out = np.zeros((channels, MAX_PROCESS_FRAMES), np.float32)
        self._in_pointers, self._out_pointers = _pointers(self._in), _pointers(self._out)
        self.key_semitones, self.tempo_ratio = 0.0, 1.0
        self._to_drop = 0
        self.reset()

    def reset(self) -> None:
        """Forget all audio (after a seek); the next output starts at the next input."""
        self._lib.rubberband_reset(self._state)
        pad = self._lib.rubberband_get_preferred_start_pad(self._state)
        self._to_drop = self._lib.rubberband_get_start_delay(self._state)
        if pad:
            self._feed(np.zeros((pad, self.channels), np.float32), final=False)

    def set_key(self, semitones: float) -> None:
        """Pitch shift in semitones; set it before :meth:`reset`, not while audio runs."""
        self.key_semitones = float(semitones)
        self._lib.rubberband_set_pitch_scale(self._state, 2.0 ** (semitones / 12.0))

    def set_tempo(self, ratio: float) -> None:
        """Playback speed: 0.8 plays 1.25x longer."""
        self.tempo_ratio = float(ratio)
        self._lib.rubberband_set_time_ratio(self._state, 1.0 / ratio)

    def latency_frames(self) -> int:
        """Frames the stretcher holds back (for delay alignment and position)."""
        return int(self._lib.rubberband_get_latency(self._state))

    def process(self, frames: np.ndarray, *, final: bool = False) -> None:
        """Feed ``frames`` (n x channels float32) in blocks the library accepts."""
        total = len(frames)
        if total == 0 and final:
            self._feed(frames, final=True)
        for start in range(0, total, MAX_PROCESS_FRAMES):
            block = frames[start : start + MAX_PROCESS_FRAMES]
            self._feed(block, final=final and start + MAX_PROCESS_FRAMES >= total)

    def flush(self) -> None:
        """The input has ended: feed silence past the stretcher's latency, marked final, so
        every input frame comes out (R2 otherwise keeps the last 4-29 ms back). The caller
        drops what comes out beyond the song's end."""
        pad = self.latency_frames() + FLUSH_MARGIN_FRAMES
        self.process(np.zeros((pad, self.channels), np.float32), final=True)

    def _feed(self, block: np.ndarray, *, final: bool) -> None:
        count = len(block)
        if count:
            self._in[:, :count] = block.T
        self._lib.rubberband_process(self._state, self._in_pointers, count, int(final))

    def retrieve(self) -> np.ndarray:
        """All output ready now, as (n x channels) float32, start delay already removed."""
        parts = []
        while (available := self._lib.rubberband_available(self._state)) > 0:
            count = min(available, MAX_PROCESS_FRAMES)
            got = self._lib.rubberband_retrieve(self._state, self._out_pointers, count)
            dropped = min(self._to_drop, got)
            self._to_drop -= dropped
            if got > dropped:
                parts.append(self._out[:, dropped:got].T.copy())
        if not parts:
            return np.zeros((0, self.channels), np.float32)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def close(self) -> None:
        """Free the native stretcher."""
        if self._state:
            self._lib.rubberband_delete(self._state)
            self._state = None

    def __del__(self) -> None:
        self.close()


def _pointers(planar: np.ndarray) -> ctypes.Array:
    pointer = ctypes.POINTER(ctypes.c_float)
    return (pointer * len(planar))(*(row.ctypes.data_as(pointer) for row in planar))
