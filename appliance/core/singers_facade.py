"""The :class:`~appliance.core.service.Core`'s singer commands, kept beside it (the facade's file
stays small): joining (from a phone, a name held by that phone), renaming, bumping, pausing and
removing singers. Rights are checked here, the work is
:class:`~appliance.core.queue_commands.QueueCommands`'.
"""

from __future__ import annotations

import threading

from appliance.core.actor import Actor
from appliance.core.models import Singer, SingerId
from appliance.core.night import NightState
from appliance.core.queue_commands import QueueCommands


class SingersFacade:
    """Mixed into the Core: it provides ``_lock``, ``_queue`` and ``_night``."""

    _lock: threading.RLock
    _queue: QueueCommands
    _night: NightState

    def join(self, name: object) -> Singer:
        """The singer with this name, created at the end of the arrival order if new (the name
        comes from a phone: anything but 1-40 printable characters is an InvalidRequest)."""
        with self._lock:
            return self._queue.join(name)

    def join_from_phone(
        self, name: object, holder: str, *, may_create: bool = True
    ) -> tuple[Singer, bool]:
        """A phone joins: a new name becomes ``holder``'s (a device id), an existing name only
        comes back to the phone holding it (Conflict otherwise, also for look-alike names);
        past the night's ``max_singers``, or when not ``may_create``, no new name is made
        (LimitReached). Returns the singer and whether it was made now."""
        with self._lock:
            before = len(self._night.singers)
            singer = self._queue.join(name, holder, may_create=may_create)
            return singer, len(self._night.singers) > before

    def holder_of(self, singer_id: int) -> str | None:
        """Who holds this singer's name: a phone's device id, 'host', or None (no such singer
        or none recorded)."""
        with self._lock:
            return self._night.holders.get(SingerId(singer_id))

    def hold(self, singer_id: int, holder: str) -> None:
        """Record ``holder`` for an existing singer (claims kept elsewhere before)."""
        with self._lock:
            self._night.hold(self._night.singer(singer_id).singer_id, holder)

    def rename_singer(self, actor: Actor, singer_id: int, name: object) -> Singer:
        """A singer's new name (yourself, or the host); Conflict if another singer has it."""
        actor.require_self_or_host(singer_id, "rename")
        with self._lock:
            return self._queue.rename_singer(singer_id, name)

    def bump_singer(self, actor: Actor, singer_id: int) -> Singer:
        """Host: make this singer the next one (unpausing them)."""
        actor.require_host("bump a singer")
        with self._lock:
            return self._queue.bump_singer(singer_id)

    def pause_singer(self, actor: Actor, singer_id: int, paused: bool = True) -> Singer:
        """Pause (skipped in the rotation, keeping their place) or unpause a singer."""
        actor.require_self_or_host(singer_id, "pause")
        with self._lock:
            return self._queue.pause_singer(singer_id, paused)

    def remove_singer(self, actor: Actor, singer_id: int) -> None:
        """Remove a singer and their queued songs (a song they are singing plays on)."""
        actor.require_self_or_host(singer_id, "remove")
        with self._lock:
            self._queue.remove_singer(singer_id)
