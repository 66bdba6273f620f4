"""Queue commands of the core: join, queue, change, move and remove entries; rename, bump,
pause and remove singers. :class:`QueueCommands` gets what it needs in its constructor; the
:class:`~appliance.core.service.Core` checks who asks, takes the lock and calls it.

Rules: a guest touches only their own entries and may queue at most the per-singer limit; the
host may do anything, including queueing on someone's behalf past the limit. Bumping is a host
override: the bumped singer becomes the locked next singer at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from appliance.core.catalog import Catalog
from appliance.core.errors import Conflict, InvalidRequest, LimitReached
from appliance.core.events import Announcer, QueueChanged
from appliance.core.models import MixSettings, QueueEntry, Singer, SingerId, Song, clean_name
from appliance.core.night import HOST_HOLDER, NightState
from appliance.core.night_settings import NightSettings
from appliance.core.playback import PlaybackMachine
from appliance.core.ports import Clock
from appliance.core.rotation import FIFO
from appliance.core.store import Store


class QueueCommands:
    """Changes to singers and their lists (call under the core's lock)."""

    def __init__(
        self,
        *,
        store: Store,
        night: NightState,
        catalog: Catalog,
        clock: Clock,
        machine: PlaybackMachine,
        announcer: Announcer,
        settings: Callable[[], NightSettings],
    ) -> None:
        self.store, self.night, self.catalog, self.clock = store, night, catalog, clock
        self.machine, self.announcer, self.settings = machine, announcer, settings

    # --- reading -------------------------------------------------------------------------

    def owner_of(self, entry_id: int) -> SingerId:
        """Who queued entry ``entry_id`` (NotFound otherwise)."""
        return self.night.entry(entry_id).singer_id

    def default_settings(self, singer_id: int, song_id: str) -> MixSettings:
        """What this singer used last time for this song, else the night's defaults."""
        singer = self.night.singer(singer_id)
        remembered = self.night.remembered(singer.name, song_id)
        if remembered:
            return remembered
        multiplex = "multiplex" in self.catalog.get(song_id).tags  # left only: no guide
        return MixSettings(guide_level=0.0 if multiplex else self.settings().default_guide_level)

    # --- singers ---------------------------------------------------------------------------

    def join(
        self, raw_name: object, holder: str | None = None, *, may_create: bool = True
    ) -> Singer:
        """The singer with this name, created at the end of the arrival order if new.

        ``holder`` None is the host (or the box): any existing singer. Else a phone's device
        id: a new name becomes that phone's; an existing one only if that phone holds it (a
        singer the host made, or another phone's, is never taken over). A name that only looks
        like an existing one (Cyrillic "А" for Latin "A", fullwidth letters) is refused.
        """
        name = clean_name(raw_name)
        existing = self.night.singer_by_name(name)
        if existing is not None:
            if holder is None or self.night.holders.get(existing.singer_id) == holder:
                return existing
            if self.night.holders.get(existing.singer_id, HOST_HOLDER) == HOST_HOLDER:
                raise Conflict(f"the host added {existing.name!r}: pick another name")
            raise Conflict(f"{existing.name!r} is singing from another phone: pick another name")
        like = self.night.singer_like(name)
        if like is not None:
            raise Conflict(f"{name!r} looks too much like {like.name!r}: pick another name")
        limit = self.settings().max_singers
        if len(self.night.singers) >= limit:
            raise LimitReached(f"the night has {limit} singers already: ask the host")
        if not may_create:
            raise LimitReached("this phone has made enough new singers tonight: ask the host")
        singer = self.night.add_singer(name, self.clock.wall(), holder or HOST_HOLDER)
        self.announcer.changed(QueueChanged)
        return singer

    def rename_singer(self, singer_id: int, raw_name: object) -> Singer:
        """A singer's new name (1-40 printable characters, not another singer's)."""
        name = clean_name(raw_name)
        singer = self.night.singer(singer_id)
        other = self.night.singer_by_name(name)
        if other is not None and other.singer_id != singer.singer_id:
            raise Conflict(f"{other.name!r} is already singing tonight: pick another name")
        like = self.night.singer_like(name)
        if like is not None and like.singer_id != singer.singer_id:
            raise Conflict(f"{name!r} looks too much like {like.name!r}: pick another name")
        renamed = self.night.rename_singer(singer, name)
        self.announcer.changed(QueueChanged)
        return renamed

    def bump_singer(self, singer_id: int) -> Singer:
        """Make this singer the next one (unpausing them)."""
        singer = self.night.singer(singer_id)
        if not self.night.entries_of(singer.singer_id):
            raise InvalidRequest("singer_id", f"{singer.name} has no song queued")
        with self.store.transaction() as db:
            bump = self.night.next_counter(db, "bump_counter")
        singer = self.night.update_singer(replace(singer, bump_order=bump, paused=False))
        self.machine.change_lock(singer.singer_id)
        self.machine.after_queue_change()
        return singer

    def pause_singer(self, singer_id: int, paused: bool) -> Singer:
        """Pause (skipped in the rotation, keeping their place) or unpause a singer."""
        singer = self.night.update_singer(
            replace(self.night.singer(singer_id), paused=bool(paused))
        )
        if paused and self.machine.live.locked == singer.singer_id:
            self.machine.change_lock(None)
        self.machine.after_queue_change()
        return singer

    def remove_singer(self, singer_id: int) -> None:
        """Remove a singer and their queued songs (a song they are singing plays on)."""
        singer = self.night.singer(singer_id)
        self.night.remove_singer(SingerId(singer.singer_id))
        if self.machine.live.locked == singer.singer_id:
            self.machine.change_lock(None)
        self.machine.after_queue_change()

    # --- entries ---------------------------------------------------------------------------

    def queue_song(
        self, singer_id: int, song: Song, settings: MixSettings | None, *, past_limit_ok: bool
    ) -> QueueEntry:
        """Queue ``song`` at the end of the singer's list. Settings default to what this
        singer used last time for this song."""
        singer = self.night.singer(singer_id)
        if not past_limit_ok:
            self._check_limit(singer)
        if settings is None:
            settings = self.default_settings(singer_id, song.song_id)
        settings = settings.validated()
        entry = self.night.add_entry(singer.singer_id, song.song_id, settings, self.clock.wall())
        self.night.remember(singer.name, song.song_id, settings, self.clock.wall())
        self.machine.after_queue_change()
        return entry

    def update_entry(self, entry_id: int, settings: MixSettings) -> QueueEntry:
        """Change a queued entry's key, tempo, guide level or stem gains."""
        entry = self.night.entry(entry_id)
        if settings == entry.settings:
            return entry  # nothing changes: no event for every phone
        updated = self.night.update_settings(entry, settings)
        singer = self.night.singer(entry.singer_id)
        self.night.remember(singer.name, entry.song_id, settings, self.clock.wall())
        self.announcer.changed(QueueChanged)
        return updated

    def move_entry(self, entry_id: int, index: int, *, whole_queue_ok: bool) -> None:
        """Move an entry to ``index`` in its singer's list (in the whole queue in FIFO mode,
        when ``whole_queue_ok``: the host)."""
        entry = self.night.entry(entry_id)
        if whole_queue_ok and self.settings().mode == FIFO:
            ordered = sorted(self.night.entries.values(), key=lambda e: e.position)
        else:
            ordered = self.night.entries_of(entry.singer_id)
        ordered.remove(entry)
        ordered.insert(min(index, len(ordered)), entry)
        self.night.reorder(ordered)
        self.machine.after_queue_change()

    def remove_entry(self, entry_id: int) -> None:
        """Take an entry out of the queue."""
        entry = self.night.entry(entry_id)
        self.night.remove_entry(entry.entry_id)
        singer = self.night.singers.get(entry.singer_id)
        if singer and singer.bump_order is not None and not self.night.entries_of(singer.singer_id):
            self.night.update_singer(replace(singer, bump_order=None))  # no stale bumps
        self.machine.after_queue_change()

    def _check_limit(self, singer: Singer) -> None:
        limit = self.settings().per_singer_limit
        if len(self.night.entries_of(singer.singer_id)) >= limit:
            raise LimitReached(f"{singer.name} already has {limit} songs queued")
