"""Transport commands of the core: start now, pause, resume, skip, seek, live mix and volume.

:class:`Transport` gets what it needs in its constructor; the
:class:`~appliance.core.service.Core` checks who asks (the current singer may change the key,
tempo and mix of their own song live; everything else here needs the host, and physical
buttons count as the host), takes the lock and calls it.
"""

from __future__ import annotations

import math
from dataclasses import replace

from appliance.core.catalog import Catalog
from appliance.core.errors import Conflict, InvalidRequest
from appliance.core.events import Announcer, MixChanged, PlaybackStateChanged, VolumeChanged
from appliance.core.live_state import VOLUME_KEY, CurrentSong, LiveState
from appliance.core.models import MixSettings, SingerId
from appliance.core.night import NightState
from appliance.core.playback import PlaybackMachine
from appliance.core.ports import Clock, Player
from appliance.core.snapshot import PlaybackState
from appliance.core.store import Store, set_value


class Transport:
    """What can be done to the song playing, and the master volume (call under the lock)."""

    def __init__(
        self,
        *,
        store: Store,
        night: NightState,
        catalog: Catalog,
        clock: Clock,
        player: Player,
        live: LiveState,
        machine: PlaybackMachine,
        announcer: Announcer,
    ) -> None:
        self.store, self.night, self.catalog, self.clock = store, night, catalog, clock
        self.player, self.live, self.machine, self.announcer = player, live, machine, announcer

    def playing(self) -> CurrentSong:
        """The song on (playing or paused), or Conflict."""
        if not self.live.is_playing() or self.live.current is None:
            raise Conflict("no song is playing")
        return self.live.current

    def current_singer(self) -> SingerId:
        """Who sings the song on (Conflict without one)."""
        return self.playing().entry.singer_id

    def start_next_now(self) -> None:
        """End the countdown and start the next singer's song now."""
        if self.live.state not in (PlaybackState.UP_NEXT, PlaybackState.IDLE):
            raise Conflict("a song is already playing")
        if self.live.locked is None:
            raise Conflict("nobody has a song queued")
        self.machine.start_locked()

    def pause(self) -> None:
        """Pause the song (short fade)."""
        self.playing()
        if self.live.state is PlaybackState.PLAYING:
            self.player.pause()
            self.live.state = PlaybackState.PAUSED
            self._state_changed()

    def resume(self) -> None:
        """Resume a paused song."""
        self.playing()
        if self.live.state is PlaybackState.PAUSED:
            self.player.resume()
            self.live.state = PlaybackState.PLAYING
            self._state_changed()

    def skip(self) -> None:
        """Stop the current song (recorded as skipped) and go to the next singer."""
        self.playing()
        self.machine.call_player(self.player.stop)
        self.machine.finish_current("skipped")

    def seek(self, position_s: object) -> None:
        """Jump to ``position_s`` in the current song."""
        if isinstance(position_s, bool) or not isinstance(position_s, int | float):
            raise InvalidRequest("position_s", "must be a number")
        song = self.catalog.find(self.playing().entry.song_id)
        limit = song.duration_s if song else 0.0
        if not math.isfinite(position_s) or not 0 <= position_s <= limit:
            raise InvalidRequest("position_s", f"must be between 0 and {limit:.1f}")
        self.player.seek(float(position_s))
        self.machine.singing.seeked(float(position_s))
        self._state_changed()

    def set_live_settings(self, settings: MixSettings) -> MixSettings:
        """Change key, tempo, guide level or stem gains of the song playing, heard at once."""
        current = self.playing()
        if settings == current.entry.settings:
            return settings  # nothing changes: nothing to save, hear or tell every phone
        current.entry = replace(current.entry, settings=settings)
        self.machine.save_current()
        self.player.apply_settings(settings)
        self.machine.singing.key_changed(settings.key_semitones)
        singer = self.night.singers.get(current.entry.singer_id)
        if singer:
            self.night.remember(singer.name, current.entry.song_id, settings, self.clock.wall())
        self.announcer.changed(
            MixChanged,
            key_semitones=settings.key_semitones,
            tempo_ratio=settings.tempo_ratio,
            guide_level=settings.guide_level,
        )
        return settings

    def current_settings(self) -> MixSettings | None:
        """The live settings of the song playing, or None."""
        return self.live.current.entry.settings if self.live.current else None

    def set_volume(self, volume: object, muted: bool | None) -> None:
        """Master volume 0..1 and mute (None: unchanged)."""
        if isinstance(volume, bool) or not isinstance(volume, int | float):
            raise InvalidRequest("volume", "must be a number")
        if not math.isfinite(volume) or not 0 <= volume <= 1:
            raise InvalidRequest("volume", "must be between 0 and 1")
        if float(volume) == self.live.volume and muted in (None, self.live.muted):
            return  # nothing changes: no event for every phone
        self.live.volume = float(volume)
        if muted is not None:
            self.live.muted = bool(muted)
        with self.store.transaction() as db:
            set_value(db, VOLUME_KEY, self.live.volume)
        self.machine.call_player(self.player.set_volume, self.live.volume, self.live.muted)
        self.announcer.changed(VolumeChanged, volume=self.live.volume, muted=self.live.muted)

    def _state_changed(self) -> None:
        self.announcer.changed(PlaybackStateChanged, state=self.live.state.value)
