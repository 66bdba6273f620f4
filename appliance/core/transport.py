"""Transport commands of the core: start now, pause, resume, skip, restart, seek, live mix and
volume. A mixin of :class:`appliance.core.service.Core`.

The current singer may change the key, tempo and mix of their own song live; everything else
here needs the host (physical buttons count as the host).
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

from appliance.core import events
from appliance.core.errors import Conflict, InvalidRequest
from appliance.core.models import MixSettings
from appliance.core.snapshot import PlaybackState
from appliance.core.store import set_value

if TYPE_CHECKING:
    from appliance.core.service import Actor, Core


class TransportCommands:
    """What the host (and the current singer, for their mix) can do to the song playing."""

    def start_next_now(self: Core, actor: Actor) -> None:
        """Host: end the countdown and start the next singer's song now."""
        actor.require_host("start the next singer")
        with self._lock:
            if self._state not in (PlaybackState.UP_NEXT, PlaybackState.IDLE):
                raise Conflict("a song is already playing")
            if self._locked is None:
                raise Conflict("nobody has a song queued")
            self._start_locked()

    def pause(self: Core, actor: Actor) -> None:
        """Host: pause the song (short fade)."""
        actor.require_host("pause")
        with self._lock:
            self._require_playing()
            if self._state is PlaybackState.PLAYING:
                self.player.pause()
                self._state = PlaybackState.PAUSED
                self._changed(events.PlaybackStateChanged, state=self._state.value)

    def resume(self: Core, actor: Actor) -> None:
        """Host: resume a paused song."""
        actor.require_host("resume")
        with self._lock:
            self._require_playing()
            if self._state is PlaybackState.PAUSED:
                self.player.resume()
                self._state = PlaybackState.PLAYING
                self._changed(events.PlaybackStateChanged, state=self._state.value)

    def toggle_pause(self: Core, actor: Actor) -> None:
        """Host: pause if playing, resume if paused, start the next singer if counting down."""
        with self._lock:
            if self._state is PlaybackState.PLAYING:
                self.pause(actor)
            elif self._state is PlaybackState.PAUSED:
                self.resume(actor)
            else:
                self.start_next_now(actor)

    def skip(self: Core, actor: Actor) -> None:
        """Host: stop the current song (recorded as skipped) and go to the next singer."""
        actor.require_host("skip")
        with self._lock:
            self._require_playing()
            self._call_player(self.player.stop)
            self._finish_current("skipped")

    def restart(self: Core, actor: Actor) -> None:
        """Host: start the current song again from the beginning."""
        self.seek(actor, 0.0)

    def seek(self: Core, actor: Actor, position_s: float) -> None:
        """Host: jump to ``position_s`` in the current song."""
        actor.require_host("seek")
        if isinstance(position_s, bool) or not isinstance(position_s, int | float):
            raise InvalidRequest("position_s", "must be a number")
        with self._lock:
            self._require_playing()
            song = self.catalog.find(self._current.entry.song_id)  # type: ignore[union-attr]
            limit = song.duration_s if song else 0.0
            if not math.isfinite(position_s) or not 0 <= position_s <= limit:
                raise InvalidRequest("position_s", f"must be between 0 and {limit:.1f}")
            self.player.seek(float(position_s))
            self._changed(events.PlaybackStateChanged, state=self._state.value)

    def set_live_settings(self: Core, actor: Actor, settings: MixSettings) -> MixSettings:
        """Change key, tempo, guide level or stem gains of the song playing, heard at once."""
        settings = settings.validated()
        with self._lock:
            self._require_playing()
            current = self._current
            assert current is not None
            actor.require_self_or_host(current.entry.singer_id, "change")
            current.entry = replace(current.entry, settings=settings)
            self._save_current()
            self.player.apply_settings(settings)
            singer = self.night.singers.get(current.entry.singer_id)
            if singer:
                self.night.remember(singer.name, current.entry.song_id, settings, self.clock.wall())
            self._changed(
                events.MixChanged,
                key_semitones=settings.key_semitones,
                tempo_ratio=settings.tempo_ratio,
                guide_level=settings.guide_level,
            )
            return settings

    def current_settings(self: Core) -> MixSettings | None:
        """The live settings of the song playing, or None."""
        with self._lock:
            return self._current.entry.settings if self._current else None

    def set_volume(self: Core, actor: Actor, volume: float, muted: bool | None = None) -> None:
        """Host: master volume 0..1 and mute."""
        actor.require_host("change the volume")
        if isinstance(volume, bool) or not isinstance(volume, int | float):
            raise InvalidRequest("volume", "must be a number")
        if not math.isfinite(volume) or not 0 <= volume <= 1:
            raise InvalidRequest("volume", "must be between 0 and 1")
        with self._lock:
            self._volume = float(volume)
            if muted is not None:
                self._muted = bool(muted)
            with self.store.transaction() as db:
                set_value(db, "volume", self._volume)
            self._call_player(self.player.set_volume, self._volume, self._muted)
            self._changed(events.VolumeChanged, volume=self._volume, muted=self._muted)

    def volume(self: Core) -> tuple[float, bool]:
        """Master volume and mute."""
        return self._volume, self._muted
