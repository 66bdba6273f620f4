"""Queue commands of the core: queue, change, move and remove entries; bump, pause, remove
singers. A mixin of :class:`appliance.core.service.Core`; see there for an example.

Rules: a guest touches only their own entries; the host may do anything, including queueing
on someone's behalf past the per-singer limit. Bumping is a host override: the bumped singer
becomes the locked next singer at once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from appliance.core import events
from appliance.core.errors import InvalidRequest
from appliance.core.models import MixSettings, QueueEntry, Singer, SingerId
from appliance.core.rotation import FIFO
from appliance.core.snapshot import PlaybackState

if TYPE_CHECKING:
    from appliance.core.service import Actor, Core


class QueueCommands:
    """Changes to singers and their lists."""

    def queue_song(
        self: Core,
        actor: Actor,
        singer_id: int,
        song_id: str,
        settings: MixSettings | None = None,
    ) -> QueueEntry:
        """Queue ``song_id`` at the end of the singer's list. Settings default to what this
        singer used last time for this song."""
        actor.require_self_or_host(singer_id, "queue")
        song = self.catalog.get(song_id)
        with self._lock:
            singer = self.night.singer(singer_id)
            self._check_limit(actor, singer)
            if settings is None:
                settings = self.default_settings(singer_id, song.song_id)
            settings = settings.validated()
            entry = self.night.add_entry(
                singer.singer_id, song.song_id, settings, self.clock.wall()
            )
            self.night.remember(singer.name, song.song_id, settings, self.clock.wall())
            self._after_queue_change()
            return entry

    def update_entry(self: Core, actor: Actor, entry_id: int, settings: MixSettings) -> QueueEntry:
        """Change a queued entry's key, tempo, guide level or stem gains."""
        settings = settings.validated()
        with self._lock:
            entry = self.night.entry(entry_id)
            self._require_entry_owner(actor, entry, "change")
            updated = self.night.update_settings(entry, settings)
            singer = self.night.singer(entry.singer_id)
            self.night.remember(singer.name, entry.song_id, settings, self.clock.wall())
            self._changed(events.QueueChanged)
            return updated

    def move_entry(self: Core, actor: Actor, entry_id: int, index: int) -> None:
        """Move an entry to ``index`` in its singer's list (the host in FIFO mode: in the
        whole queue)."""
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise InvalidRequest("index", "must be a whole number >= 0")
        with self._lock:
            entry = self.night.entry(entry_id)
            self._require_entry_owner(actor, entry, "move")
            if actor.is_host and self._mode() == FIFO:
                ordered = sorted(self.night.entries.values(), key=lambda e: e.position)
            else:
                ordered = self.night.entries_of(entry.singer_id)
            ordered.remove(entry)
            ordered.insert(min(index, len(ordered)), entry)
            self.night.reorder(ordered)
            self._after_queue_change()

    def remove_entry(self: Core, actor: Actor, entry_id: int) -> None:
        """Take an entry out of the queue."""
        with self._lock:
            entry = self.night.entry(entry_id)
            self._require_entry_owner(actor, entry, "remove")
            self.night.remove_entry(entry.entry_id)
            singer = self.night.singers.get(entry.singer_id)
            if (
                singer
                and singer.bump_order is not None
                and not self.night.entries_of(singer.singer_id)
            ):
                self.night.update_singer(replace(singer, bump_order=None))  # no stale bumps
            self._after_queue_change()

    def bump_singer(self: Core, actor: Actor, singer_id: int) -> Singer:
        """Host: make this singer the next one (unpausing them)."""
        actor.require_host("bump a singer")
        with self._lock:
            singer = self.night.singer(singer_id)
            if not self.night.entries_of(singer.singer_id):
                raise InvalidRequest("singer_id", f"{singer.name} has no song queued")
            with self.store.transaction() as db:
                bump = self.night.next_counter(db, "bump_counter")
            singer = self.night.update_singer(replace(singer, bump_order=bump, paused=False))
            self._set_lock(singer.singer_id)
            if self._state is PlaybackState.UP_NEXT:
                self._enter_up_next()
            self._after_queue_change()
            return singer

    def pause_singer(self: Core, actor: Actor, singer_id: int, paused: bool = True) -> Singer:
        """Pause (skipped in the rotation, keeping their place) or unpause a singer."""
        actor.require_self_or_host(singer_id, "pause")
        with self._lock:
            singer = self.night.update_singer(
                replace(self.night.singer(singer_id), paused=bool(paused))
            )
            if paused and self._locked == singer.singer_id:
                self._set_lock(None)
                if self._state is PlaybackState.UP_NEXT:
                    self._enter_up_next()
            self._after_queue_change()
            return singer

    def remove_singer(self: Core, actor: Actor, singer_id: int) -> None:
        """Remove a singer and their queued songs (a song they are singing plays on)."""
        actor.require_self_or_host(singer_id, "remove")
        with self._lock:
            singer = self.night.singer(singer_id)
            self.night.remove_singer(SingerId(singer.singer_id))
            if self._locked == singer.singer_id:
                self._set_lock(None)
                if self._state is PlaybackState.UP_NEXT:
                    self._enter_up_next()
            self._after_queue_change()
