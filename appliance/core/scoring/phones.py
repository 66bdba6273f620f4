"""Pitch from a phone that listens: a batch of frames as the page sends it, checked, and
stamped in song seconds.

A phone tracks pitch itself (the page's Web Audio) and sends what it heard, never the sound,
every ~150 ms. Each frame carries its **age**: how long before the request left the phone the
sound reached the page's tracker. The page also says how long its requests take to arrive
(``one_way_ms``: half the shortest recent round trip, less the server's own time), how long the
sound took from the microphone to the tracker (``input_ms``: the track's reported latency plus
the audio context's), and the singer's own nudge (``nudge_ms``, kept on the phone). The frame
was sung ``delay = age + one_way + input + nudge`` ms before the box handled the request, so
its song time is the position then, less that delay at the song's tempo::

    >>> batch = PhoneBatch.from_dict({"frames": [[120, 60.2], [110, None]],
    ...                               "one_way_ms": 15, "input_ms": 10, "nudge_ms": 5})
    >>> [(round(f.time_s, 3), f.midi, f.mic) for f in batch.stamped(10.0, 1.0, mic=3)]
    [(9.85, 60.2, 3), (9.86, None, 3)]

Everything is bounded here (this is a phone: untrusted): at most :data:`MAX_FRAMES` frames a
batch, ages within :data:`MAX_AGE_MS`, finite numbers in range, frames in time order (ages
decreasing). A bad batch raises :class:`~appliance.core.errors.InvalidRequest` naming the
field, before anything reaches the scorer. A phone can still lie about what it heard: a score
from a phone is as honest as the phone (it can only raise its own singer's score).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from appliance.core.errors import InvalidRequest
from appliance.core.scoring.model import PitchFrame

MAX_FRAMES = 64
"""Frames in one batch (0.64 s at the page's 10 ms hop; it sends every ~150 ms)."""
MAX_AGE_MS = 3000.0
"""A frame older than this when sent is stale (a phone that stalled): refused."""
MIDI_RANGE = (12.0, 120.0)
"""Pitches a voice can have, and some (C0 to C9)."""
LATENCY_RANGES = {"one_way_ms": (0.0, 2000.0), "input_ms": (0.0, 1000.0),
                  "nudge_ms": (-1000.0, 1000.0)}  # fmt: skip
FIELDS = frozenset({"frames", "part", *LATENCY_RANGES})
PHONE_MICS = {0: 3, 1: 3, 2: 4}
"""The mic number a phone's frames carry, by the part it sings (mic 1 and 2 are the box's)."""


@dataclass(frozen=True)
class PhoneBatch:
    """One request's frames ``(age_ms, midi or None)``, oldest first, and the page's latency
    figures; ``part`` is the duet part the phone sings (None: the song decides)."""

    frames: tuple[tuple[float, float | None], ...]
    one_way_ms: float = 0.0
    input_ms: float = 0.0
    nudge_ms: float = 0.0
    part: int | None = None

    @classmethod
    def from_dict(cls, body: Any) -> PhoneBatch:
        """The batch in ``body`` (JSON as parsed), or InvalidRequest with the field and why."""
        if not isinstance(body, dict):
            raise InvalidRequest("body", "must be a JSON object")
        unknown = sorted(set(body) - FIELDS)
        if unknown:
            raise InvalidRequest(str(unknown[0])[:40], "unknown field")
        latency = {name: _number(body, name, *bounds) for name, bounds in LATENCY_RANGES.items()}
        part = body.get("part")
        if part is not None and (isinstance(part, bool) or part not in (1, 2)):
            raise InvalidRequest("part", "must be 1 or 2 (a duet part), or absent")
        return cls(frames=_frames(body.get("frames")), part=part, **latency)

    def delay_ms(self, age_ms: float) -> float:
        """How long before the request was handled a frame of this age was sung (never after:
        a nudge below the rest stops at 0)."""
        return max(0.0, age_ms + self.one_way_ms + self.input_ms + self.nudge_ms)

    def stamped(self, position_s: float, tempo_ratio: float, mic: int) -> tuple[PitchFrame, ...]:
        """The frames in song seconds, given the song's position when the request was handled
        and its tempo (song seconds per second); frames before the song's start are dropped."""
        stamped = []
        for age_ms, midi in self.frames:
            time_s = position_s - tempo_ratio * self.delay_ms(age_ms) / 1000.0
            if time_s >= 0.0:
                stamped.append(PitchFrame(time_s, midi, mic))
        return tuple(stamped)


def _number(body: dict[str, Any], name: str, low: float, high: float) -> float:
    value = body.get(name, 0.0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidRequest(name, "must be a finite number")
    if not low <= value <= high:
        raise InvalidRequest(name, f"must be between {low:g} and {high:g}")
    return float(value)


def _frames(raw: Any) -> tuple[tuple[float, float | None], ...]:
    if not isinstance(raw, list) or not raw:
        raise InvalidRequest("frames", "must be a non-empty list of [age_ms, midi or null]")
    if len(raw) > MAX_FRAMES:
        raise InvalidRequest("frames", f"at most {MAX_FRAMES} frames a request")
    frames: list[tuple[float, float | None]] = []
    for frame in raw:
        if not isinstance(frame, list) or len(frame) != 2:
            raise InvalidRequest("frames", "each frame must be [age_ms, midi or null]")
        age, midi = frame
        if isinstance(age, bool) or not isinstance(age, int | float) or not math.isfinite(age):
            raise InvalidRequest("frames", "age_ms must be a finite number")
        if not 0.0 <= age <= MAX_AGE_MS:
            raise InvalidRequest("frames", f"age_ms must be between 0 and {MAX_AGE_MS:g}")
        if midi is not None:
            if isinstance(midi, bool) or not isinstance(midi, int | float):
                raise InvalidRequest("frames", "midi must be a number or null")
            if not (math.isfinite(midi) and MIDI_RANGE[0] <= midi <= MIDI_RANGE[1]):
                raise InvalidRequest("frames", "midi must be between 12 and 120")
            midi = float(midi)
        if frames and age >= frames[-1][0]:
            raise InvalidRequest("frames", "frames must be oldest first (ages decreasing)")
        frames.append((float(age), midi))
    return tuple(frames)
