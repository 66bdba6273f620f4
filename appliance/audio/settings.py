"""The ``[audio]`` section of the configuration: the engine's device, quality, routing, volume.

Loaded with every other section by :mod:`appliance.config`; the engine takes it through
:meth:`appliance.audio.device.EngineOptions.from_config`.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass


@dataclass(frozen=True)
class AudioConfig:
    """The engine. ``device``: a name (or part of one) from ``karaoke devices``; '' = default.
    ``mics``: capture devices by name for mic 1 and mic 2 (none: no mic path); a name given
    twice is that device's inputs 1 and 2."""

    device: str = ""
    quality: str = "r3"
    blocksize: int = 256
    latency_s: float = 0.05
    routing: str = "auto"
    click: bool = False
    guide_in_ears: bool = False
    break_music: str = ""
    volume: float = 0.8
    transcode_cache_mb: int = 2048
    loudness_target_lufs: float = -16.0
    mics: tuple[str, ...] = ()
    ring_s: float = 0.15
    """Seconds of rendered audio queued ahead of the device: the safety against a slow chunk
    (a key or tempo change does not wait for it: docs/engine.md)."""

    _choices: typing.ClassVar[dict[str, tuple[str, ...]]] = {
        "quality": ("r2", "r3"),
        "routing": ("auto", "stereo", "split", "four"),
    }
    _ranges: typing.ClassVar[dict[str, tuple[float, float]]] = {
        "blocksize": (32, 8192),
        "latency_s": (0.001, 1.0),
        "volume": (0, 1),
        "transcode_cache_mb": (64, 1 << 20),
        "loudness_target_lufs": (-30, -6),
        "ring_s": (0.05, 2.0),
    }
