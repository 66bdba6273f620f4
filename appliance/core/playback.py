"""The playback state machine, driven through the ``Player`` port.

idle (break music) -> up next (countdown; the host may start at once) -> playing <-> paused ->
ended, skipped or failed -> up next for the next singer, or idle. A song that fails to load is
recorded with its reason, announced with a ``SongFailed`` event, and the night goes on.

:class:`PlaybackMachine` gets everything it needs in its constructor and writes the one
:class:`~appliance.core.live_state.LiveState`; the :class:`~appliance.core.service.Core` calls
it under its lock. Player callbacks arrive on the player's thread: :class:`PlayerEvents` posts
them to the core's inbox, so they too run under the lock, on the core's thread.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from appliance.core.catalog import Catalog
from appliance.core.errors import KaraokeError, SongLoadError
from appliance.core.events import (
    Announcer,
    HostInfoChanged,
    Notice,
    PlaybackStateChanged,
    QueueChanged,
    SongFailed,
)
from appliance.core.history import History
from appliance.core.live_state import CURRENT_KEY, LOCKED_KEY, CurrentSong, LiveState
from appliance.core.models import SingerId
from appliance.core.night import NightState
from appliance.core.night_settings import NightSettings
from appliance.core.ports import Clock, Player
from appliance.core.rotation import next_singer
from appliance.core.scoring.model import PitchFrame
from appliance.core.singing import Singing
from appliance.core.snapshot import PlaybackState
from appliance.core.store import Store, set_value

log = logging.getLogger(__name__)


class PlaybackMachine:
    """State, transitions and the rules of who is locked next."""

    def __init__(
        self,
        *,
        store: Store,
        night: NightState,
        catalog: Catalog,
        history: History,
        clock: Clock,
        player: Player,
        live: LiveState,
        announcer: Announcer,
        settings: Callable[[], NightSettings],
        singing: Singing,
    ) -> None:
        self.store, self.night, self.catalog, self.history = store, night, catalog, history
        self.clock, self.player, self.live, self.announcer = clock, player, live, announcer
        self.settings, self.singing = settings, singing

    # --- the lock ------------------------------------------------------------------------

    def lock_is_valid(self) -> bool:
        """The locked singer exists, is not paused and has a song queued."""
        locked = self.live.locked
        singer = self.night.singers.get(locked) if locked is not None else None
        return bool(singer and not singer.paused and self.night.entries_of(singer.singer_id))

    def ensure_lock(self) -> None:
        """Lock the next singer if nobody valid is locked (never replaces a valid lock)."""
        if self.lock_is_valid():
            return
        locked = next_singer(
            list(self.night.singers.values()),
            list(self.night.entries.values()),
            self.settings().mode,
        )
        self.set_lock(locked)

    def set_lock(self, singer_id: SingerId | None) -> None:
        """Lock ``singer_id`` as next (None: nobody), saved at once."""
        self.live.locked = singer_id
        with self.store.transaction() as db:
            set_value(db, LOCKED_KEY, singer_id)

    def change_lock(self, singer_id: SingerId | None) -> None:
        """Lock ``singer_id`` (None: let the rotation choose) and restart a running countdown
        for whoever is next now."""
        self.set_lock(singer_id)
        if self.live.state is PlaybackState.UP_NEXT:
            self.enter_up_next()

    # --- transitions -----------------------------------------------------------------------

    def resume_night(self) -> None:
        """At start-up: put back a song cut by a restart, then count down or play break music."""
        self._restore_after_restart()
        self.singing.apply_voices(singer_on=False)
        self.live.state = PlaybackState.IDLE
        if self.live.locked is not None:
            self.enter_up_next()
        else:
            self.enter_idle()

    def after_queue_change(self) -> None:
        """Keep the lock and state right after singers or entries changed."""
        self.ensure_lock()
        if self.live.state is PlaybackState.IDLE and self.live.locked is not None:
            self.enter_up_next()
        elif self.live.state is PlaybackState.UP_NEXT and self.live.locked is None:
            self.enter_idle()
        self.announcer.changed(QueueChanged)

    def enter_idle(self) -> None:
        """Nobody is next: break music."""
        self.live.state, self.live.deadline = PlaybackState.IDLE, None
        self.call_player(self.player.play_break_music)
        self._state_changed()

    def enter_up_next(self) -> None:
        """Count down to the locked singer's song and let the player open it."""
        self.ensure_lock()
        if self.live.locked is None:
            self.enter_idle()
            return
        entry = self.night.entries_of(self.live.locked)[0]
        self.live.state = PlaybackState.UP_NEXT
        self.live.deadline = self.clock.monotonic() + self.settings().countdown_s
        song = self.catalog.find(entry.song_id)
        if song is not None:
            self.call_player(self.player.prepare, song, entry.settings)
        self._state_changed()

    def countdown_over(self) -> bool:
        """The up-next countdown has run out."""
        due = self.live.deadline is not None and self.clock.monotonic() >= self.live.deadline
        return self.live.state is PlaybackState.UP_NEXT and due

    def start_locked(self) -> None:
        """Start the locked singer's first song, and lock whoever comes after."""
        self.ensure_lock()
        if self.live.locked is None:
            self.enter_idle()
            return
        entry = self.night.entries_of(self.live.locked)[0]
        singer = self.night.singers[self.live.locked]
        self.night.remove_entry(entry.entry_id)
        turn = self._next_turn()
        self.night.update_singer(replace(singer, last_sang_order=turn, bump_order=None))
        history_id = self.history.begin(singer.name, entry, self.catalog.find(entry.song_id))
        self.live.current = CurrentSong(entry, history_id)
        self.save_current()
        self.set_lock(None)
        self.ensure_lock()
        song = self.catalog.find(entry.song_id)
        self.singing.song_started(self.live.current, song)
        try:
            if song is None:
                raise SongLoadError(entry.song_id, "the song is no longer in the library")
            self.player.play(song, entry.settings)
        except SongLoadError as error:
            self.finish_current("failed", error.reason)
            return
        except Exception as error:
            log.exception("the player failed to start %s", entry.song_id)
            self.finish_current("failed", f"the player failed: {error}")
            return
        self.live.state, self.live.deadline = PlaybackState.PLAYING, None
        self.live.last_failure = ""
        self._state_changed()

    def finish_current(self, outcome: str, reason: str = "") -> None:
        """End the current song with ``outcome`` and move on to the next singer."""
        current = self.live.current
        if current is None:
            return
        self.history.finish(current.history_id, outcome, reason)
        self.singing.song_finished(current, outcome)
        self.live.current = None
        self.save_current()
        if outcome == "failed":
            song = self.catalog.find(current.entry.song_id)
            title = song.label if song else current.entry.song_id
            self.live.last_failure = f"Song skipped: {title}: {reason}"
            self.announcer.changed(SongFailed, title=title, reason=reason)
        self._advance()

    def _advance(self) -> None:
        self.ensure_lock()
        if self.live.locked is None:
            self.enter_idle()
        else:
            self.enter_up_next()
        self.announcer.changed(QueueChanged)

    def _state_changed(self) -> None:
        self.announcer.changed(PlaybackStateChanged, state=self.live.state.value)

    # --- player callbacks (run from the inbox) -----------------------------------------------

    def song_ended(self, song_id: str) -> None:
        """The player says ``song_id`` reached its end."""
        if self.live.current and self.live.current.entry.song_id == song_id:
            self.finish_current("completed")

    def song_failed(self, song_id: str, reason: str) -> None:
        """The player says ``song_id`` broke while playing."""
        if self.live.current and self.live.current.entry.song_id == song_id:
            self.finish_current("failed", reason)

    def device_problem(self, message: str) -> None:
        """The sound device went away (message) or came back ('')."""
        self.live.device_problem = message
        level = "warning" if message else "info"
        self.announcer.changed(Notice, message=message or "Sound device is back", level=level)

    def mic_notice(self, mic: int, message: str) -> None:
        """Mic ``mic`` has a problem (a howl ducked, unplugged) or is fine (''): kept per mic;
        a problem, and the end of one, is announced to the host."""
        before = self.live.mics.get(mic)
        self.live.mics[mic] = message
        if message and message != before:
            self.announcer.changed(Notice, message=f"Mic {mic}: {message}", level="warning")
        elif not message and before:
            self.announcer.changed(Notice, message=f"Mic {mic} is fine again", level="info")
        else:
            self.announcer.changed(HostInfoChanged)

    def audio_priority(self, description: str) -> None:
        """The player's audio thread got this scheduling (policy and priority, or refused)."""
        if description != self.live.audio_priority:
            self.live.audio_priority = description
            self.announcer.changed(HostInfoChanged)

    def position_s(self) -> float:
        """How far the current song is (0.0 without one, or when the player cannot say)."""
        if self.live.current is None:
            return 0.0
        try:
            return float(self.player.position_s())
        except Exception:
            return 0.0

    # --- persistence -------------------------------------------------------------------------

    def save_current(self) -> None:
        """Save the current song (or its absence) for a restart."""
        current = self.live.current
        with self.store.transaction() as db:
            set_value(db, CURRENT_KEY, current.to_json() if current else None)

    def _next_turn(self) -> int:
        with self.store.transaction() as db:
            return self.night.next_counter(db, "turn_counter")

    def _restore_after_restart(self) -> None:
        """A song interrupted by a restart or power cut goes back to the front of the line."""
        self.live.locked = self.store.get_value(LOCKED_KEY)
        saved = self.store.get_value(CURRENT_KEY)
        if saved:
            current = CurrentSong.from_json(json.loads(json.dumps(saved)))
            self.history.finish(current.history_id, "interrupted", "the box restarted")
            if current.entry.singer_id in self.night.singers:
                self.night.restore_entry(current.entry)
                self.set_lock(current.entry.singer_id)
            with self.store.transaction() as db:
                set_value(db, CURRENT_KEY, None)
        self.ensure_lock()

    def call_player(self, method: Callable[..., Any], *args: Any) -> None:
        """Call the player for something that must not stop the night if it fails."""
        try:
            method(*args)
        except KaraokeError as error:
            log.warning("player: %s", error)
        except Exception:
            log.exception("player call %s failed", getattr(method, "__name__", method))


class PlayerEvents:
    """The core's PlayerListener: posts what the player says onto the core's inbox."""

    def __init__(self, post: Callable[[Callable[[], None]], None], machine: PlaybackMachine):
        self._post, self._machine, self._singing = post, machine, machine.singing

    def on_song_ended(self, song_id: str) -> None:
        """Posted: :meth:`PlaybackMachine.song_ended`."""
        self._post(lambda: self._machine.song_ended(song_id))

    def on_song_failed(self, song_id: str, reason: str) -> None:
        """Posted: :meth:`PlaybackMachine.song_failed`."""
        self._post(lambda: self._machine.song_failed(song_id, reason))

    def on_device_problem(self, message: str) -> None:
        """Posted: :meth:`PlaybackMachine.device_problem`."""
        self._post(lambda: self._machine.device_problem(message))

    def on_audio_priority(self, description: str) -> None:
        """Posted: :meth:`PlaybackMachine.audio_priority`."""
        self._post(lambda: self._machine.audio_priority(description))

    def on_pitch_frames(self, frames: tuple[PitchFrame, ...]) -> None:
        """Posted: :meth:`~appliance.core.singing.Singing.feed` (scored, kept for the TV)."""
        self._post(lambda: self._singing.feed(frames))

    def on_mic_notice(self, mic: int, message: str) -> None:
        """Posted: :meth:`PlaybackMachine.mic_notice`."""
        self._post(lambda: self._machine.mic_notice(mic, message))
