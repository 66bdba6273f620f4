"""Sound devices: listing them, choosing one by name, opening the output stream.

sounddevice is imported inside the functions: the engine process sets its environment (HOME,
for a test's .asoundrc) before PortAudio starts, and the main process never loads it::

    >>> options = EngineOptions(device="USB", routing="auto")
    >>> options.quality
    'r3'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from appliance.audio.dsp.routing import Routing, make_routing
from appliance.audio.settings import AudioConfig
from appliance.audio.sources.locate import SAMPLE_RATE
from appliance.core.errors import DeviceError

RING_S = 0.15
MIC_LATENCY_PERIODS = 4
"""With mics, the device's buffer is at most this many periods: the singer hears themselves
through it (4 x 256 frames = 21 ms; 0 underflows in the two-mic soak, where 2 periods were not
always safe), whatever larger ``latency_s`` the config has for music alone."""


_AUDIO = AudioConfig()


@dataclass(frozen=True)
class EngineOptions:
    """What the engine process needs to know (picklable). The fields it shares with the
    ``[audio]`` config section take their defaults from there and are copied by name."""

    device: str = _AUDIO.device
    quality: str = _AUDIO.quality
    blocksize: int = _AUDIO.blocksize
    latency_s: float = _AUDIO.latency_s
    routing: str = _AUDIO.routing
    click: bool = _AUDIO.click
    guide_in_ears: bool = _AUDIO.guide_in_ears
    transcode_cache_mb: int = _AUDIO.transcode_cache_mb
    loudness_target_lufs: float = _AUDIO.loudness_target_lufs
    mics: tuple[str, ...] = _AUDIO.mics
    ring_s: float = RING_S
    click_stretch: str = "move"  # RenderOptions.click_stretch ("rubberband": the bench's A/B)
    state_dir: str = ""
    env: dict[str, str] = field(default_factory=dict)

    @property
    def stream_latency_s(self) -> float:
        """The latency to ask the device for: ``latency_s``, capped with mics (see
        :data:`MIC_LATENCY_PERIODS`)::

            >>> EngineOptions(latency_s=0.05).stream_latency_s
            0.05
            >>> round(EngineOptions(latency_s=0.05, mics=("USB",)).stream_latency_s, 4)
            0.0213
        """
        if not self.mics:
            return self.latency_s
        return min(self.latency_s, MIC_LATENCY_PERIODS * self.blocksize / SAMPLE_RATE)

    @classmethod
    def from_config(cls, audio: AudioConfig, **extra: Any) -> EngineOptions:
        """Options from the ``[audio]`` section: every field both share, plus ``extra``."""
        shared = {f.name for f in fields(cls)} & {f.name for f in fields(AudioConfig)}
        return cls(**{name: getattr(audio, name) for name in shared}, **extra)


def output_devices() -> list[dict[str, Any]]:
    """Every device with outputs: index, name, channels, default rate."""
    return _devices("max_output_channels")


def input_devices() -> list[dict[str, Any]]:
    """Every device with inputs (microphones): index, name, channels, default rate."""
    return _devices("max_input_channels")


def _devices(direction: str) -> list[dict[str, Any]]:
    import sounddevice

    devices = []
    for index, info in enumerate(sounddevice.query_devices()):
        if info[direction] > 0:
            devices.append(
                {
                    "index": index,
                    "name": info["name"],
                    "channels": int(info[direction]),
                    "default_rate": info["default_samplerate"],
                    "hostapi": sounddevice.query_hostapis(info["hostapi"])["name"],
                }
            )
    return devices


def find_device(name: str) -> dict[str, Any]:
    """The output device whose name contains ``name`` ('' = the default one)."""
    import sounddevice

    devices = output_devices()
    if not devices:
        raise DeviceError("no sound output device found (is ALSA set up? try `aplay -l`)")
    if not name:
        default = sounddevice.default.device[1]
        for device in devices:
            if device["index"] == default:
                return device
        return devices[0]
    return _by_name(devices, name)


def find_input_device(name: str) -> dict[str, Any]:
    """The capture device whose name is ``name`` or contains it (DeviceError if none)."""
    devices = input_devices()
    if not devices:
        raise DeviceError("no capture device found (is the mic plugged in? try `arecord -l`)")
    return _by_name(devices, name)


def _by_name(devices: list[dict[str, Any]], name: str) -> dict[str, Any]:
    for device in devices:
        if device["name"] == name:
            return device
    matches = [d for d in devices if name.lower() in d["name"].lower()]
    if not matches:
        names = ", ".join(d["name"] for d in devices)
        raise DeviceError(f"no sound device named {name!r}; there are: {names}")
    return matches[0]


def device_routing(options: EngineOptions, device: dict[str, Any]) -> Routing:
    """The routing for ``device``; ALSA's 'default' and plug devices count as stereo in auto."""
    channels = device["channels"]
    if options.routing == "auto" and device["name"] in ("default", "sysdefault", "pulse"):
        channels = 2
    return make_routing(options.routing, channels, options.click, options.guide_in_ears)


def open_output_stream(
    options: EngineOptions,
    callback: Callable[..., None],
    finished: Callable[[], None],
    capture: int = 0,
) -> tuple[Any, str, Routing]:
    """An unstarted float32 output stream, the device's name and the routing used. With
    ``capture`` channels, a duplex stream (the mics are on the output device): ``callback``
    then takes ``(indata, outdata, frames, time, status)``."""
    import sounddevice

    device = find_device(options.device)
    routing = device_routing(options, device)
    kind = sounddevice.Stream if capture else sounddevice.OutputStream
    try:
        stream = kind(
            device=device["index"],
            samplerate=SAMPLE_RATE,
            channels=(capture, routing.channels) if capture else routing.channels,
            dtype="float32",
            blocksize=options.blocksize,
            latency=options.stream_latency_s,
            callback=callback,
            finished_callback=finished,
        )
    except sounddevice.PortAudioError as error:
        raise DeviceError(f"cannot open {device['name']!r}: {error}") from error
    return stream, device["name"], routing
