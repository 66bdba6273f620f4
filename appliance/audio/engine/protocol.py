"""The messages between the engine client (main process) and the engine process, over a pipe.

Each message is a frozen dataclass (picklable: the pipe pickles it); both sides dispatch on the
type with ``match``::

    >>> command = Seek(position_s=12.5)
    >>> match command:
    ...     case Seek(position_s):
    ...         position_s
    12.5

Commands go to the engine; the producer applies them at chunk boundaries, except ``Close``,
which the engine's pipe loop handles. Only ``Play`` is answered: a ``Reply`` with the same
``request`` number, ``error`` None or the reason the song cannot start. Events come back on
their own: ``Ready`` once the engine serves commands, ``Ended`` and ``Failed`` for the song
playing, ``DeviceNotice`` for the device (``""`` when it is open and fine), ``MicNotice``
likewise for each microphone, ``PitchFrames`` with what the mics' pitch trackers heard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from appliance.core.models import MixSettings, Song
from appliance.core.scoring.model import PitchFrame

# --- commands: client -> engine ------------------------------------------------------------


@dataclass(frozen=True)
class Play:
    """Start ``song`` at ``start_s``; answered by ``Reply(request, error)``."""

    request: int
    song: Song
    settings: MixSettings
    start_s: float


@dataclass(frozen=True)
class Prepare:
    """Open ``song`` now, so a ``Play`` of it at 0 s starts without opening its files."""

    song: Song
    settings: MixSettings


@dataclass(frozen=True)
class Pause:
    """Fade out and hold the song (break music does not pause)."""


@dataclass(frozen=True)
class Resume:
    """Fade back in."""


@dataclass(frozen=True)
class Stop:
    """Stop the song (break music goes on); no ``Ended`` follows."""


@dataclass(frozen=True)
class Seek:
    """Jump to a song position."""

    position_s: float


@dataclass(frozen=True)
class ApplySettings:
    """Key, tempo, guide, stem gains: spliced into the queued audio."""

    settings: MixSettings


@dataclass(frozen=True)
class SetVolume:
    """Master volume 0..1, or silence while ``muted``."""

    volume: float
    muted: bool


@dataclass(frozen=True)
class SetVoice:
    """Level (dB) and echo (0..1) of microphone ``mic``."""

    mic: int
    level_db: float
    echo: float


@dataclass(frozen=True)
class PlayBreakMusic:
    """Play ``songs`` in turn at ``level`` until the next song (now if none plays)."""

    songs: tuple[Song, ...]
    level: float


@dataclass(frozen=True)
class Close:
    """Stop the engine process."""


@dataclass(frozen=True)
class Reattached:
    """Not sent over the pipe: the engine tells its producer a new ring is there (the device
    opened late, or again), so the song goes on in it."""


_SongCommand: TypeAlias = (
    Play
    | Prepare
    | Pause
    | Resume
    | Stop
    | Seek
    | ApplySettings
    | SetVolume
    | SetVoice
    | PlayBreakMusic
)
Command: TypeAlias = _SongCommand | Close  # what the client sends
ProducerCommand: TypeAlias = _SongCommand | Reattached  # what the producer applies

# --- events: engine -> client --------------------------------------------------------------


@dataclass(frozen=True)
class Ready:
    """The engine process serves commands."""

    pid: int


@dataclass(frozen=True)
class Reply:
    """The answer to ``Play`` number ``request``: None, or why the song cannot start."""

    request: int
    error: str | None


@dataclass(frozen=True)
class Ended:
    """The song played to its end."""

    song_id: str


@dataclass(frozen=True)
class Failed:
    """The song stopped: its audio could not be read (``reason`` says why)."""

    song_id: str
    reason: str


@dataclass(frozen=True)
class DeviceNotice:
    """The device's state: a problem, or ``""`` once it is open."""

    message: str


@dataclass(frozen=True)
class PriorityNotice:
    """The scheduling the callback thread got (``RealtimeGrant.describe()``), sent once."""

    description: str
    granted: bool


@dataclass(frozen=True)
class PitchFrames:
    """What the mics' pitch trackers heard since the last batch (about ten a second)."""

    frames: tuple[PitchFrame, ...]


@dataclass(frozen=True)
class MicNotice:
    """Mic ``mic``'s state for the host: a problem (missing, unplugged, a howl ducked), or
    ``""`` once it is fine again."""

    mic: int
    message: str


Event: TypeAlias = (
    Ready | Reply | Ended | Failed | DeviceNotice | PriorityNotice | PitchFrames | MicNotice
)
