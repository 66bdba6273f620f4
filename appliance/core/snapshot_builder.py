"""Builds the :class:`~appliance.core.snapshot.Snapshot` from explicit inputs: the live state,
the night's singers and entries, the settings and how to find a song. ETAs: the remaining time
of the current song at its tempo, then each song at its tempo plus the between-song gap
(countdown + transition)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from appliance.core.live_state import LiveState
from appliance.core.models import Singer, Song, SongId
from appliance.core.night import NightState
from appliance.core.night_settings import NightSettings
from appliance.core.rotation import upcoming
from appliance.core.singing import SingingSummary
from appliance.core.snapshot import (
    NowPlaying,
    PlaybackState,
    QueueItem,
    Snapshot,
    estimate_etas,
    song_seconds,
)


@dataclass(frozen=True)
class SnapshotInputs:
    """Everything a snapshot is made of, read under the core's lock."""

    version: int
    live: LiveState
    night: NightState
    settings: NightSettings
    find_song: Callable[[SongId], Song | None]
    position_s: float
    """How far the current song is (0.0 without one)."""
    now: float
    """The clock's monotonic seconds (for the countdown)."""
    singing: SingingSummary = field(default_factory=SingingSummary)
    """Scores and voices (:meth:`appliance.core.singing.Singing.summary`)."""


def build_snapshot(inputs: SnapshotInputs) -> Snapshot:
    """A consistent view of the night (call under the core's lock)."""
    live, night, settings = inputs.live, inputs.night, inputs.settings
    between = settings.countdown_s + settings.gap_s
    now = _now_playing(inputs)
    order = upcoming(
        list(night.singers.values()), list(night.entries.values()), settings.mode, live.locked
    )
    rows = [(e, night.singers[e.singer_id], _song_or_placeholder(inputs, e.song_id)) for e in order]
    countdown = None
    if live.state is PlaybackState.UP_NEXT and live.deadline is not None:
        countdown = max(0.0, live.deadline - inputs.now)
        first = countdown
    elif now is not None:
        remaining = max(
            0.0, song_seconds(now.song, now.settings) - now.position_s / now.settings.tempo_ratio
        )
        first = remaining + between
    else:
        first = 0.0
    etas = estimate_etas(first, rows, between)
    items = tuple(
        QueueItem(entry, singer, song, eta, locked=(i == 0 and singer.singer_id == live.locked))
        for i, ((entry, singer, song), eta) in enumerate(zip(rows, etas, strict=True))
    )
    return Snapshot(
        version=inputs.version,
        state=live.state,
        now=now,
        countdown_s=countdown,
        upcoming=items,
        singers=tuple(sorted(night.singers.values(), key=lambda s: s.joined_order)),
        settings=settings,
        volume=live.volume,
        muted=live.muted,
        last_failure=live.last_failure,
        device_problem=live.device_problem,
        held=_held(inputs),
        audio_priority=live.audio_priority,
        mics=tuple(sorted(live.mics.items())),
        final_score=inputs.singing.final_score,
        leaderboard=inputs.singing.leaderboard,
        no_score_reason=inputs.singing.no_score_reason,
        voice=inputs.singing.voice,
        default_voice=inputs.singing.default_voice,
    )


def _held(inputs: SnapshotInputs) -> tuple[QueueItem, ...]:
    """The entries of paused singers, each singer's in their own order."""
    night = inputs.night
    paused = [s for s in sorted(night.singers.values(), key=lambda s: s.joined_order) if s.paused]
    return tuple(
        QueueItem(entry, singer, _song_or_placeholder(inputs, entry.song_id), 0.0)
        for singer in paused
        for entry in night.entries_of(singer.singer_id)
    )


def _song_or_placeholder(inputs: SnapshotInputs, song_id: SongId) -> Song:
    song = inputs.find_song(song_id)
    return song or Song(song_id, "(song missing from the library)", "", 0.0, "")


def _now_playing(inputs: SnapshotInputs) -> NowPlaying | None:
    current = inputs.live.current
    if current is None:
        return None
    entry = current.entry
    singer = inputs.night.singers.get(entry.singer_id) or Singer(entry.singer_id, "(gone)", 0)
    song = _song_or_placeholder(inputs, entry.song_id)
    return NowPlaying(entry, singer, song, entry.settings, inputs.position_s)
