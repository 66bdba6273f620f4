"""Builds the :class:`~appliance.core.snapshot.Snapshot` of a core: the upcoming order with
ETAs (remaining time of the current song at its tempo, then each song at its tempo plus the
between-song gap: countdown + transition)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from appliance.core.models import Singer, Song, SongId
from appliance.core.rotation import upcoming
from appliance.core.snapshot import (
    NowPlaying,
    PlaybackState,
    QueueItem,
    Snapshot,
    estimate_etas,
    song_seconds,
)

if TYPE_CHECKING:
    from appliance.core.service import Core


def _song_or_placeholder(core: Core, song_id: SongId) -> Song:
    song = core.catalog.find(song_id)
    return song or Song(song_id, "(song missing from the library)", "", 0.0, "")


def build_snapshot(core: Core) -> Snapshot:
    """A consistent view of ``core`` (call under its lock)."""
    night, settings = core.night, core.settings()
    between = settings.countdown_s + settings.gap_s
    now = _now_playing(core)
    order = upcoming(
        list(night.singers.values()), list(night.entries.values()), settings.mode, core._locked
    )
    rows = [(e, night.singers[e.singer_id], _song_or_placeholder(core, e.song_id)) for e in order]
    countdown = None
    if core._state is PlaybackState.UP_NEXT and core._deadline is not None:
        countdown = max(0.0, core._deadline - core.clock.monotonic())
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
        QueueItem(entry, singer, song, eta, locked=(i == 0 and singer.singer_id == core._locked))
        for i, ((entry, singer, song), eta) in enumerate(zip(rows, etas, strict=True))
    )
    volume, muted = core.volume()
    return Snapshot(
        version=core.version,
        state=core._state,
        now=now,
        countdown_s=countdown,
        upcoming=items,
        singers=tuple(sorted(night.singers.values(), key=lambda s: s.joined_order)),
        settings=settings,
        volume=volume,
        muted=muted,
        last_failure=core._last_failure,
        device_problem=core._device_status,
    )


def _now_playing(core: Core) -> NowPlaying | None:
    current = core._current
    if current is None:
        return None
    entry = current.entry
    singer = core.night.singers.get(entry.singer_id) or Singer(entry.singer_id, "(gone)", 0)
    try:
        position = float(core.player.position_s())
    except Exception:
        position = 0.0
    return NowPlaying(
        entry, singer, _song_or_placeholder(core, entry.song_id), entry.settings, position
    )
