"""A few seconds of undo for the host's (or a singer's) two destructive taps: removing a queued
entry and skipping the song playing. :class:`UndoBook` keeps what was taken away for
``window_s`` seconds (10 by default) and puts it back on request; later it is gone for good
(a removal from the store is never delayed: the undo writes the entry back).

- **Undo a removal**: the entry comes back with its old id, settings and place in its singer's
  list (the rotation decides again when it is sung).
- **Undo a skip**: what a host who tapped Skip by mistake expects is the song back, where it
  was. If the next song has not started (the countdown runs), the skipped song starts again
  at once at the position it was skipped at. If another song already plays, the skipped one
  goes to the front of the queue (its singer locked as next) rather than cutting that song off.
  The history keeps the skip; the song resumed is a new row.

The :class:`~appliance.core.service.Core` checks rights and takes its lock around each call.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from appliance.core.errors import Conflict
from appliance.core.models import QueueEntry, SingerId
from appliance.core.night import NightState
from appliance.core.playback import PlaybackMachine
from appliance.core.ports import Clock
from appliance.core.snapshot import PlaybackState
from appliance.core.transport import Transport

UNDO_WINDOW_S = 10.0


@dataclass(frozen=True)
class _Taken:
    entry: QueueEntry
    at: float
    position_s: float = 0.0


class UndoBook:
    """Recently removed entries and the last skipped song, each undoable for ``window_s``."""

    def __init__(
        self,
        *,
        night: NightState,
        machine: PlaybackMachine,
        transport: Transport,
        clock: Clock,
        window_s: float = UNDO_WINDOW_S,
    ) -> None:
        self.night, self.machine, self.transport, self.clock = night, machine, transport, clock
        self.window_s = window_s
        self._removed: dict[int, _Taken] = {}
        self._skipped: _Taken | None = None

    # --- recording -----------------------------------------------------------------------

    def removed(self, entry: QueueEntry) -> None:
        """``entry`` was just taken out of the queue."""
        now = self.clock.monotonic()
        self._removed = {k: t for k, t in self._removed.items() if self._fresh(t, now)}
        self._removed[entry.entry_id] = _Taken(entry, now)

    def skipped(self, entry: QueueEntry, position_s: float) -> None:
        """``entry`` was playing and was skipped at ``position_s``."""
        self._skipped = _Taken(entry, self.clock.monotonic(), position_s)

    # --- undoing ---------------------------------------------------------------------------

    def owner_of_removed(self, entry_id: int) -> SingerId:
        """Whose removed entry ``entry_id`` is (Conflict when it cannot be undone)."""
        return self._removable(entry_id).entry.singer_id

    def undo_remove(self, entry_id: int) -> QueueEntry:
        """Put a removed entry back where it was in its singer's list."""
        taken = self._removable(entry_id)
        del self._removed[entry_id]
        self._require_singer(taken.entry.singer_id)
        restored = self.night.restore_entry(taken.entry)
        self.machine.after_queue_change()
        return restored

    def undo_skip(self) -> tuple[QueueEntry, bool]:
        """The skipped song back: started again where it was (True), or first in the queue
        when another song already plays (False)."""
        taken = self._skipped
        if taken is None or not self._fresh(taken, self.clock.monotonic()):
            raise Conflict("too late to undo the skip")
        self._skipped = None
        singer = taken.entry.singer_id
        self._require_singer(singer)
        own = self.night.entries_of(singer)
        front = min((e.position for e in own), default=taken.entry.position + 1) - 1
        entry = self.night.restore_entry(replace(taken.entry, position=front))
        self.machine.change_lock(singer)
        if self.machine.live.state not in (PlaybackState.UP_NEXT, PlaybackState.IDLE):
            self.machine.after_queue_change()
            return entry, False
        self.machine.start_locked()
        if self.machine.live.state is PlaybackState.PLAYING and taken.position_s > 1.0:
            self.transport.seek(taken.position_s)
        return entry, True

    def _removable(self, entry_id: int) -> _Taken:
        taken = self._removed.get(entry_id)
        if taken is None or not self._fresh(taken, self.clock.monotonic()):
            raise Conflict("too late to undo: the song is gone")
        return taken

    def _require_singer(self, singer_id: SingerId) -> None:
        if singer_id not in self.night.singers:
            raise Conflict("the singer has left the night")

    def _fresh(self, taken: _Taken, now: float) -> bool:
        return now - taken.at <= self.window_s
