"""The core's public API: every frontend (phones, buttons, CLI, TV) talks only to this.

:class:`Core` is a facade: it holds the lock, checks the actor's rights (a guest may change
only their own entries and their own live song; the rest needs the host), and hands the work
to its collaborators: :class:`~appliance.core.queue_commands.QueueCommands`,
:class:`~appliance.core.transport.Transport` and
:class:`~appliance.core.playback.PlaybackMachine`. Every change is written to the store before
the call returns, then announced as an event::

    >>> from appliance.core.store import Store
    >>> from appliance.core.ports import ManualClock
    >>> from appliance.core.silent_player import SilentPlayer
    >>> clock = ManualClock()
    >>> core = Core(Store.open_memory(), SilentPlayer(clock), clock=clock)
    >>> ada = core.join("Ada")
    >>> core.snapshot().state.value
    'idle'
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from appliance.core import events
from appliance.core.actor import Actor
from appliance.core.catalog_facade import CatalogFacade
from appliance.core.config import RotationConfig
from appliance.core.errors import InvalidRequest
from appliance.core.inbox import Inbox
from appliance.core.models import MixSettings, QueueEntry, Singer
from appliance.core.night_settings import NightSettings
from appliance.core.phone_pitch import PhonePitchFacade
from appliance.core.playback import PlayerEvents
from appliance.core.ports import Clock, Player, SystemClock
from appliance.core.singers_facade import SingersFacade
from appliance.core.singing import SheetSource
from appliance.core.singing_facade import SingingFacade
from appliance.core.snapshot import PlaybackState, Snapshot
from appliance.core.snapshot_builder import SnapshotInputs, build_snapshot
from appliance.core.store import Store
from appliance.core.undo import UndoBook
from appliance.core.wiring import wire_core

__all__ = ["Actor", "Core"]

PIN_SHOWN_S = 10.0
"""How long the TV shows the host PIN when a box button asks for it."""


class Core(CatalogFacade, SingersFacade, SingingFacade, PhonePitchFacade):
    """Singers, queue, rotation, playback and the catalog, behind one lock (+ voices, scores)."""

    def __init__(
        self,
        store: Store,
        player: Player,
        *,
        clock: Clock | None = None,
        rotation: RotationConfig | None = None,
        bus: events.EventBus | None = None,
        volume: float = 0.8,
        sheets: SheetSource | None = None,
    ) -> None:
        self._lock = threading.RLock()
        self._inbox = Inbox(self._lock)
        parts = wire_core(
            store, player, clock=clock or SystemClock(), rotation=rotation or RotationConfig(),
            bus=bus or events.EventBus(), volume=volume, sheets=sheets,
        )  # fmt: skip
        self._catalog, self._history, self._bus = parts.catalog, parts.history, parts.bus
        self._night, self._live, self._clock = parts.night, parts.live, parts.clock
        self._announcer, self._settings_book = parts.announcer, parts.settings
        self._playback, self._queue, self._transport = parts.playback, parts.queue, parts.transport
        self._singing = parts.singing
        self._undo = UndoBook(
            night=self._night, machine=self._playback, transport=self._transport, clock=self._clock
        )
        player.set_listener(PlayerEvents(self.post, self._playback))
        with self._lock:
            self._playback.resume_night()

    # --- reading ---------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Everything frontends show, consistent and immutable."""
        with self._lock:
            inputs = SnapshotInputs(
                version=self.version,
                live=self._live,
                night=self._night,
                settings=self._settings_book.current,
                find_song=self._catalog.find,
                position_s=self._playback.position_s(),
                now=self._clock.monotonic(),
                singing=self._singing.summary(),
            )
            return build_snapshot(inputs)

    @property
    def version(self) -> int:
        """Increases with every change; events carry it."""
        return self._announcer.version

    def settings(self) -> NightSettings:
        """The night's settings."""
        return self._settings_book.current

    def singer(self, singer_id: int) -> Singer:
        """A singer by id (NotFound otherwise)."""
        with self._lock:
            return self._night.singer(singer_id)

    def default_settings(self, singer_id: int, song_id: str) -> MixSettings:
        """What this singer used last time for this song, else the night's defaults."""
        with self._lock:
            return self._queue.default_settings(singer_id, song_id)

    def current_settings(self) -> MixSettings | None:
        """The live settings of the song playing, or None."""
        with self._lock:
            return self._transport.current_settings()

    def volume(self) -> tuple[float, bool]:
        """Master volume and mute."""
        return self._live.volume, self._live.muted

    # --- events ----------------------------------------------------------------------------

    def subscribe(self, name: str, listener: events.Listener) -> None:
        """Deliver every later event to ``listener`` on its own thread (see EventBus)."""
        self._bus.subscribe(name, listener)

    def unsubscribe(self, name: str) -> None:
        """Stop delivering events to ``name``."""
        self._bus.unsubscribe(name)

    def notify(self, message: str, level: str = "info") -> None:
        """Show a short message on the TV and phones (it changes nothing in the night)."""
        self._announcer.notify(message, level)

    def show_pin_on_tv(self, actor: Actor, seconds: float = PIN_SHOWN_S) -> None:
        """Show the host PIN on the TV for ``seconds`` (a box button held: physical access is
        host rights). The PIN itself is the web remote's; the TV asks it."""
        actor.require_host("show the PIN")
        self._announcer.show_pin(seconds)

    def close(self) -> None:
        """Stop every event listener."""
        self._bus.close()

    # --- queued songs ----------------------------------------------------------------------

    def queue_song(
        self, actor: Actor, singer_id: int, song_id: str, settings: MixSettings | None = None
    ) -> QueueEntry:
        """Queue ``song_id`` at the end of the singer's list. Settings default to what this
        singer used last time for this song. Only the host may go past the per-singer limit."""
        actor.require_self_or_host(singer_id, "queue")
        song = self._catalog.get(song_id)
        with self._lock:
            return self._queue.queue_song(singer_id, song, settings, past_limit_ok=actor.is_host)

    def update_entry(self, actor: Actor, entry_id: int, settings: MixSettings) -> QueueEntry:
        """Change a queued entry's key, tempo, guide level or stem gains."""
        settings = settings.validated()
        with self._lock:
            actor.require_self_or_host(self._queue.owner_of(entry_id), "change")
            return self._queue.update_entry(entry_id, settings)

    def move_entry(self, actor: Actor, entry_id: int, index: int) -> None:
        """Move an entry to ``index`` in its singer's list (the host in FIFO mode: in the
        whole queue)."""
        if isinstance(index, bool) or not isinstance(index, int) or index < 0:
            raise InvalidRequest("index", "must be a whole number >= 0")
        with self._lock:
            actor.require_self_or_host(self._queue.owner_of(entry_id), "move")
            self._queue.move_entry(entry_id, index, whole_queue_ok=actor.is_host)

    def remove_entry(self, actor: Actor, entry_id: int) -> None:
        """Take an entry out of the queue (undoable for a few seconds: :meth:`undo_remove`);
        its singer's phone is told when someone else (the host) removed it."""
        with self._lock:
            entry = self._night.entry(entry_id)
            actor.require_self_or_host(entry.singer_id, "remove")
            self._queue.remove_entry(entry_id)
            self._undo.removed(entry)
            self._tell_singer(actor, entry, "removed")

    def undo_remove(self, actor: Actor, entry_id: int) -> QueueEntry:
        """Put a just-removed entry back (Conflict once the undo window has passed)."""
        with self._lock:
            actor.require_self_or_host(self._undo.owner_of_removed(entry_id), "restore")
            entry = self._undo.undo_remove(entry_id)
            self._tell_singer(actor, entry, "put back")
            return entry

    def _tell_singer(self, actor: Actor, entry: QueueEntry, what: str) -> None:
        if actor.singer_id == entry.singer_id:
            return
        song = self._catalog.find(entry.song_id)
        title = song.title if song else "your song"
        self._announcer.tell(entry.singer_id, f"The host {what} {title}.", "warning")

    # --- the song playing ------------------------------------------------------------------

    def start_next_now(self, actor: Actor) -> None:
        """Host: end the countdown and start the next singer's song now."""
        self._as_host(actor, "start the next singer", self._transport.start_next_now)

    def pause(self, actor: Actor) -> None:
        """Host: pause the song (short fade)."""
        self._as_host(actor, "pause", self._transport.pause)

    def resume(self, actor: Actor) -> None:
        """Host: resume a paused song."""
        self._as_host(actor, "resume", self._transport.resume)

    def toggle_pause(self, actor: Actor) -> None:
        """Host: pause if playing, resume if paused, start the next singer if counting down."""
        with self._lock:
            if self._live.state is PlaybackState.PLAYING:
                self.pause(actor)
            elif self._live.state is PlaybackState.PAUSED:
                self.resume(actor)
            else:
                self.start_next_now(actor)

    def skip(self, actor: Actor) -> None:
        """Host: stop the current song (recorded as skipped) and go to the next singer
        (undoable for a few seconds: :meth:`undo_skip`); the singer's phone is told."""
        actor.require_host("skip")
        with self._lock:
            current = self._transport.playing().entry
            position = self._playback.position_s()
            self._transport.skip()
            self._undo.skipped(current, position)
            self._tell_singer(actor, current, "skipped")

    def undo_skip(self, actor: Actor) -> bool:
        """Host: the song just skipped back: resumed where it was (True) if the next one has
        not started, else first in the queue (False). Conflict once the window has passed."""
        actor.require_host("undo a skip")
        with self._lock:
            entry, resumed = self._undo.undo_skip()
            self._tell_singer(actor, entry, "brought back")
            return resumed

    def restart(self, actor: Actor) -> None:
        """Host: start the current song again from the beginning."""
        self.seek(actor, 0.0)

    def seek(self, actor: Actor, position_s: object) -> None:
        """Host: jump to ``position_s`` in the current song (anything but a number within the
        song is an InvalidRequest)."""
        self._as_host(actor, "seek", lambda: self._transport.seek(position_s))

    def set_live_settings(self, actor: Actor, settings: MixSettings) -> MixSettings:
        """Change key, tempo, guide level or stem gains of the song playing, heard at once
        (the host, or the singer of that song)."""
        settings = settings.validated()
        with self._lock:
            actor.require_self_or_host(self._transport.current_singer(), "change")
            return self._transport.set_live_settings(settings)

    def set_volume(self, actor: Actor, volume: object, muted: bool | None = None) -> None:
        """Host: master volume 0..1 (anything else is an InvalidRequest) and mute."""
        self._as_host(actor, "change the volume", lambda: self._transport.set_volume(volume, muted))

    def _as_host(self, actor: Actor, action: str, command: Callable[[], None]) -> None:
        actor.require_host(action)
        with self._lock:
            command()

    # --- the night's settings --------------------------------------------------------------

    def update_settings(self, actor: Actor, changes: dict[str, Any]) -> NightSettings:
        """Host: change rotation mode, per-singer limit, countdown, gap, default guide level."""
        actor.require_host("change the settings")
        validated = self._settings_book.validated(changes)
        if validated == self._settings_book.current:
            return validated  # nothing changes: no event for every phone
        with self._lock:
            self._settings_book.save(validated)
            self._playback.set_lock(self._live.locked)
            self._playback.after_queue_change()
            self._announcer.changed(events.SettingsChanged)
        return validated

    # --- machinery -------------------------------------------------------------------------

    def post(self, work: Callable[[], None]) -> None:
        """Run ``work`` on the core's thread at the next tick (player callbacks use this)."""
        self._inbox.post(work)

    def tick(self) -> None:
        """Run posted work and timers (countdown). Called by :meth:`run_forever` or tests."""
        self._inbox.run_posted()
        with self._lock:
            if self._playback.countdown_over():
                self._playback.start_locked()

    def run_forever(self, stop: threading.Event, period_s: float = 0.1) -> None:
        """The core's thread: tick until ``stop`` is set."""
        while not stop.is_set():
            self._inbox.wait(period_s)
            self.tick()
