"""Ports: what the core needs from the outside world, as Protocols adapters implement.

The engine client (``appliance.audio``) implements :class:`Player`; tests and a box without a
sound device use :class:`~appliance.core.silent_player.SilentPlayer`, which honours the same
contract (tests/support/player_contract.py, run against both). Time comes from a
:class:`Clock` so tests can step it::

    >>> clock = ManualClock(start=100.0)
    >>> clock.advance(2.5)
    >>> clock.monotonic()
    102.5
"""

from __future__ import annotations

import threading
import time
from typing import Protocol, runtime_checkable

from appliance.core.models import MixSettings, Song
from appliance.core.scoring.model import PitchFrame
from appliance.core.voice import VoiceSettings


@runtime_checkable
class PlayerListener(Protocol):
    """What a Player tells the core. Called from the player's own thread: hand off, return."""

    def on_song_ended(self, song_id: str) -> None:
        """The song reached its end."""

    def on_song_failed(self, song_id: str, reason: str) -> None:
        """The song stopped with an error after it had started (e.g. a corrupt stem)."""

    def on_device_problem(self, message: str) -> None:
        """The sound device has a problem (``message`` says what, for the TV), or is fine
        again (``message`` is empty). The core keeps the latest in ``Snapshot.device_problem``."""

    def on_audio_priority(self, description: str) -> None:
        """The scheduling the player's audio thread got: policy and priority, or why real-time
        was refused. The core keeps the latest in ``Snapshot.audio_priority``."""

    def on_pitch_frames(self, frames: tuple[PitchFrame, ...]) -> None:
        """What the microphones' pitch trackers heard since the last call (song seconds,
        the mic's latency taken off), a few times a second."""

    def on_mic_notice(self, mic: int, message: str) -> None:
        """Mic ``mic`` changed: plugged, unplugged, a howl caught and ducked (``message`` says
        what, for the host), or fine again (``message`` is empty)."""


@runtime_checkable
class Player(Protocol):
    """The audio engine as the core sees it. Positions are song seconds (source time)."""

    def set_listener(self, listener: PlayerListener) -> None:
        """Where to report ends and failures."""

    def prepare(self, song: Song, settings: MixSettings) -> None:
        """Open the next song ahead of time so it starts fast. Never raises for bad songs."""

    def play(self, song: Song, settings: MixSettings, start_s: float = 0.0) -> None:
        """Start ``song`` (stopping break music). Raises SongLoadError if it cannot be played."""

    def pause(self) -> None:
        """Pause with a short fade."""

    def resume(self) -> None:
        """Resume with a short fade."""

    def stop(self) -> None:
        """Stop the song (no end event follows)."""

    def seek(self, position_s: float) -> None:
        """Jump to a song position."""

    def apply_settings(self, settings: MixSettings) -> None:
        """Change key, tempo, guide level and stem gains live."""

    def set_volume(self, volume: float, muted: bool = False) -> None:
        """Master volume 0..1."""

    def set_voice(self, mic: int, voice: VoiceSettings) -> None:
        """Level and echo of microphone ``mic`` (1 or 2), applied at once, song or not."""

    def play_break_music(self) -> None:
        """Play background music between singers (fades out when a song starts)."""

    def position_s(self) -> float:
        """Where the current song is, in song seconds (0.0 when nothing plays)."""

    def close(self) -> None:
        """Release the device and any process."""


class Clock(Protocol):
    """Time for the core: ``monotonic`` for durations, ``wall`` for history timestamps."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary start, never going back."""

    def wall(self) -> float:
        """Unix time in seconds."""


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        """time.monotonic()."""
        return time.monotonic()

    def wall(self) -> float:
        """time.time()."""
        return time.time()


class ManualClock:
    """A clock tests move by hand. Thread-safe."""

    def __init__(self, start: float = 0.0, wall_start: float = 1_700_000_000.0) -> None:
        self._now = start
        self._wall_offset = wall_start - start
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        """The current manual time."""
        with self._lock:
            return self._now

    def wall(self) -> float:
        """Manual time shifted to a fixed Unix epoch."""
        with self._lock:
            return self._now + self._wall_offset

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        with self._lock:
            self._now += seconds
