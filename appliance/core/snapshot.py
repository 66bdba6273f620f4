"""Immutable, versioned views of the night that frontends pull after an event.

A frontend never merges deltas: on any event it asks ``core.snapshot()`` and redraws::

    >>> empty = Snapshot(version=0, state=PlaybackState.IDLE)
    >>> empty.up_next is None, empty.upcoming
    (True, ())
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from appliance.core.models import MixSettings, QueueEntry, Singer, Song
from appliance.core.night_settings import NightSettings
from appliance.core.scoring.model import FinalScore
from appliance.core.voice import VoiceSettings


class PlaybackState(enum.StrEnum):
    """Idle (break music) -> up next (countdown) -> playing <-> paused -> next."""

    IDLE = "idle"
    UP_NEXT = "up_next"
    PLAYING = "playing"
    PAUSED = "paused"


@dataclass(frozen=True)
class QueueItem:
    """An upcoming entry with its singer, song and estimated start (seconds from now)."""

    entry: QueueEntry
    singer: Singer
    song: Song
    eta_s: float
    locked: bool = False


@dataclass(frozen=True)
class NowPlaying:
    """The song being sung (or counted down to) and how far it is."""

    entry: QueueEntry
    singer: Singer
    song: Song
    settings: MixSettings
    position_s: float = 0.0


@dataclass(frozen=True)
class HistoryItem:
    """A song sung (or skipped, or failed) tonight or before."""

    singer_name: str
    song_id: str
    title: str
    artist: str
    started_at: float
    outcome: str
    key_semitones: int
    reason: str = ""
    score: int | None = None  # the singer's score (part 1's in a duet); None: not scored


@dataclass(frozen=True)
class Snapshot:
    """Everything a screen or phone shows, as of ``version``."""

    version: int
    state: PlaybackState
    now: NowPlaying | None = None
    countdown_s: float | None = None
    upcoming: tuple[QueueItem, ...] = ()
    singers: tuple[Singer, ...] = ()
    settings: NightSettings = field(default_factory=NightSettings)
    volume: float = 0.8
    muted: bool = False
    last_failure: str = ""
    device_problem: str = ""
    held: tuple[QueueItem, ...] = ()
    """Entries of paused singers ("taking a break"), in their own order: kept, not sung;
    their ``eta_s`` is 0 (they have no place in the order until their singer is back)."""
    audio_priority: str = ""  # the audio thread's scheduling, for the host ("" = not known yet)
    mics: tuple[tuple[int, str], ...] = ()
    """The box's microphones as (mic, problem or "" when fine), in mic order; empty: none."""
    final_score: FinalScore | None = None
    """The last song's result (part 1's in a duet), for the countdown after it."""
    leaderboard: tuple[FinalScore, ...] = ()
    """The night's best results, best first (empty when the host hides the board)."""
    no_score_reason: str = ""
    """Why the song on is not scored, said plainly ("" when it is, or nothing is on)."""
    voice: VoiceSettings | None = None
    """The singing singer's mic level and echo (None between songs)."""
    default_voice: VoiceSettings = field(default_factory=VoiceSettings)
    """The night's default mic level and echo (the host's)."""

    @property
    def up_next(self) -> QueueItem | None:
        """The first upcoming entry (the locked one while a song plays)."""
        return self.upcoming[0] if self.upcoming else None

    def entries_of(self, singer_id: int) -> tuple[QueueItem, ...]:
        """One singer's upcoming entries with their ETAs."""
        return tuple(item for item in self.upcoming if item.singer.singer_id == singer_id)


def song_seconds(song: Song, settings: MixSettings) -> float:
    """How long a song takes at its tempo."""
    return song.duration_s / settings.tempo_ratio


def estimate_etas(
    first_start_s: float, items: list[tuple[QueueEntry, Singer, Song]], between_s: float
) -> list[float]:
    """Start times (seconds from now) of consecutive songs: each waits for those before it."""
    etas, start = [], first_start_s
    for entry, _singer, song in items:
        etas.append(start)
        start += song_seconds(song, entry.settings) + between_s
    return etas
