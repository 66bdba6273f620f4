"""The playback state machine, driven through the ``Player`` port.

idle (break music) -> up next (countdown; the host may start at once) -> playing <-> paused ->
ended, skipped or failed -> up next for the next singer, or idle. A song that fails to load is
recorded with its reason, announced with a ``SongFailed`` event, and the night goes on.

This is a mixin of :class:`appliance.core.service.Core`; every method runs under the core's
lock. Player callbacks arrive on the player's thread and are posted to the core's inbox.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from appliance.core import events
from appliance.core.errors import KaraokeError, SongLoadError
from appliance.core.models import EntryId, MixSettings, QueueEntry, SingerId, SongId
from appliance.core.rotation import next_singer
from appliance.core.snapshot import PlaybackState
from appliance.core.store import set_value

if TYPE_CHECKING:
    from appliance.core.service import Core

log = logging.getLogger(__name__)


class CurrentSong:
    """The entry being sung, its history row and its live settings."""

    def __init__(self, entry: QueueEntry, history_id: int) -> None:
        self.entry = entry
        self.history_id = history_id

    def to_json(self) -> dict[str, object]:
        e = self.entry
        return {
            "entry_id": e.entry_id, "singer_id": e.singer_id, "song_id": e.song_id,
            "settings": e.settings.to_dict(), "position": e.position, "added_at": e.added_at,
            "history_id": self.history_id,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, object]) -> CurrentSong:
        entry = QueueEntry(
            EntryId(int(data["entry_id"])),  # type: ignore[arg-type]
            SingerId(int(data["singer_id"])),  # type: ignore[arg-type]
            SongId(str(data["song_id"])),
            MixSettings.from_dict(data["settings"]),  # type: ignore[arg-type]
            int(data["position"]),  # type: ignore[arg-type]
            float(data["added_at"]),  # type: ignore[arg-type]
        )
        return cls(entry, int(data["history_id"]))  # type: ignore[arg-type]


class PlayerEvents:
    """The core's PlayerListener: posts what the player says onto the core's inbox."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def on_song_ended(self, song_id: str) -> None:
        self._core.post(lambda: self._core._on_song_ended(song_id))

    def on_song_failed(self, song_id: str, reason: str) -> None:
        self._core.post(lambda: self._core._on_song_failed(song_id, reason))

    def on_device_problem(self, message: str) -> None:
        self._core.post(lambda: self._core._device_problem(message))


class PlaybackMachine:
    """State, transitions and the rules of who is locked next."""

    _state: PlaybackState
    _current: CurrentSong | None
    _locked: SingerId | None
    _deadline: float | None

    # --- the lock ------------------------------------------------------------------------

    def _lock_is_valid(self: Core) -> bool:
        singer = self.night.singers.get(self._locked) if self._locked is not None else None
        return bool(singer and not singer.paused and self.night.entries_of(singer.singer_id))

    def _ensure_lock(self: Core) -> None:
        """Lock the next singer if nobody valid is locked (never replaces a valid lock)."""
        if self._lock_is_valid():
            return
        locked = next_singer(
            list(self.night.singers.values()), list(self.night.entries.values()), self._mode()
        )
        self._set_lock(locked)

    def _set_lock(self: Core, singer_id: SingerId | None) -> None:
        self._locked = singer_id
        with self.store.transaction() as db:
            set_value(db, "locked_singer", singer_id)

    # --- transitions -----------------------------------------------------------------------

    def _after_queue_change(self: Core) -> None:
        """Keep the lock and state right after singers or entries changed."""
        self._ensure_lock()
        if self._state is PlaybackState.IDLE and self._locked is not None:
            self._enter_up_next()
        elif self._state is PlaybackState.UP_NEXT and self._locked is None:
            self._enter_idle()
        self._changed(events.QueueChanged)

    def _enter_idle(self: Core) -> None:
        self._state, self._deadline = PlaybackState.IDLE, None
        self._call_player(self.player.play_break_music)
        self._changed(events.PlaybackStateChanged, state=self._state.value)

    def _enter_up_next(self: Core) -> None:
        self._ensure_lock()
        if self._locked is None:
            self._enter_idle()
            return
        entry = self.night.entries_of(self._locked)[0]
        self._state = PlaybackState.UP_NEXT
        self._deadline = self.clock.monotonic() + self._settings.countdown_s
        song = self.catalog.find(entry.song_id)
        if song is not None:
            self._call_player(self.player.prepare, song, entry.settings)
        self._changed(events.PlaybackStateChanged, state=self._state.value)

    def _start_locked(self: Core) -> None:
        """Start the locked singer's first song, and lock whoever comes after."""
        self._ensure_lock()
        if self._locked is None:
            self._enter_idle()
            return
        entry = self.night.entries_of(self._locked)[0]
        singer = self.night.singers[self._locked]
        self.night.remove_entry(entry.entry_id)
        turn = self._next_turn()
        self.night.update_singer(replace(singer, last_sang_order=turn, bump_order=None))
        history_id = self.history.begin(singer.name, entry, self.catalog.find(entry.song_id))
        self._current = CurrentSong(entry, history_id)
        self._save_current()
        self._set_lock(None)
        self._ensure_lock()
        song = self.catalog.find(entry.song_id)
        try:
            if song is None:
                raise SongLoadError(entry.song_id, "the song is no longer in the library")
            self.player.play(song, entry.settings)
        except SongLoadError as error:
            self._finish_current("failed", error.reason)
            return
        except Exception as error:
            log.exception("the player failed to start %s", entry.song_id)
            self._finish_current("failed", f"the player failed: {error}")
            return
        self._state, self._deadline = PlaybackState.PLAYING, None
        self._last_failure = ""
        self._changed(events.PlaybackStateChanged, state=self._state.value)

    def _finish_current(self: Core, outcome: str, reason: str = "") -> None:
        """End the current song with ``outcome`` and move on to the next singer."""
        current = self._current
        if current is None:
            return
        self.history.finish(current.history_id, outcome, reason)
        self._current = None
        self._save_current()
        if outcome == "failed":
            song = self.catalog.find(current.entry.song_id)
            title = song.label if song else current.entry.song_id
            self._last_failure = f"Song skipped: {title}: {reason}"
            self._changed(events.SongFailed, title=title, reason=reason)
        self._advance()

    def _advance(self: Core) -> None:
        self._ensure_lock()
        if self._locked is None:
            self._enter_idle()
        else:
            self._enter_up_next()
        self._changed(events.QueueChanged)

    # --- player callbacks (run from the inbox) -----------------------------------------------

    def _on_song_ended(self: Core, song_id: str) -> None:
        if self._current and self._current.entry.song_id == song_id:
            self._finish_current("completed")

    def _on_song_failed(self: Core, song_id: str, reason: str) -> None:
        if self._current and self._current.entry.song_id == song_id:
            self._finish_current("failed", reason)

    def _notice(self: Core, message: str, level: str = "info") -> None:
        self._changed(events.Notice, message=message, level=level)

    def _device_problem(self: Core, message: str) -> None:
        """The sound device went away (message) or came back ('')."""
        self._device_status = message
        self._notice(message or "Sound device is back", "warning" if message else "info")

    # --- persistence -------------------------------------------------------------------------

    def _save_current(self: Core) -> None:
        with self.store.transaction() as db:
            set_value(db, "current", self._current.to_json() if self._current else None)

    def _next_turn(self: Core) -> int:
        with self.store.transaction() as db:
            return self.night.next_counter(db, "turn_counter")

    def _restore_after_restart(self: Core) -> None:
        """A song interrupted by a restart or power cut goes back to the front of the line."""
        self._locked = self.store.get_value("locked_singer")
        saved = self.store.get_value("current")
        if saved:
            current = CurrentSong.from_json(json.loads(json.dumps(saved)))
            self.history.finish(current.history_id, "interrupted", "the box restarted")
            if current.entry.singer_id in self.night.singers:
                self.night.restore_entry(current.entry)
                self._set_lock(current.entry.singer_id)
            with self.store.transaction() as db:
                set_value(db, "current", None)
        self._ensure_lock()

    def _call_player(self: Core, method, *args) -> None:  # type: ignore[no-untyped-def]
        """Call the player for something that must not stop the night if it fails."""
        try:
            method(*args)
        except KaraokeError as error:
            log.warning("player: %s", error)
        except Exception:
            log.exception("player call %s failed", getattr(method, "__name__", method))
