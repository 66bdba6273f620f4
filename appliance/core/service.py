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
from appliance.core.config import RotationConfig
from appliance.core.errors import InvalidRequest
from appliance.core.inbox import Inbox
from appliance.core.models import MixSettings, QueueEntry, Singer, SingerId, Song
from appliance.core.night_settings import NightSettings
from appliance.core.phone_pitch import PhonePitchFacade
from appliance.core.playback import PlayerEvents
from appliance.core.ports import Clock, Player, SystemClock
from appliance.core.scanlog import ProblemPage
from appliance.core.singing import SheetSource
from appliance.core.singing_facade import SingingFacade
from appliance.core.snapshot import HistoryItem, PlaybackState, Snapshot
from appliance.core.snapshot_builder import SnapshotInputs, build_snapshot
from appliance.core.store import Store
from appliance.core.undo import UndoBook
from appliance.core.wiring import wire_core

__all__ = ["Actor", "Core"]

PIN_SHOWN_S = 10.0
"""How long the TV shows the host PIN when a box button asks for it."""


class Core(SingingFacade, PhonePitchFacade):
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

    # --- the catalog and the history -------------------------------------------------------

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[Song]:
        """Search the catalog (title, artist, language, tags; prefix, accent-insensitive);
        an empty query lists songs by artist. ``offset`` pages on."""
        return self._catalog.search(query, limit, offset)

    def song(self, song_id: str) -> Song:
        """A song by id (NotFound otherwise)."""
        return self._catalog.get(song_id)

    def find_song(self, song_id: str) -> Song | None:
        """A song by id, or None."""
        return self._catalog.find(song_id)

    def artists(self) -> list[tuple[str, int]]:
        """Every artist with their number of songs, alphabetically."""
        return self._catalog.artists()

    def songs_by_artist(self, artist: str) -> list[Song]:
        """Songs of one artist (case-insensitive), by title."""
        return self._catalog.by_artist(artist)

    def recent_songs(self, limit: int = 20) -> list[Song]:
        """Songs sung to the end, latest first (songs gone from the library left out)."""
        found = (self._catalog.find(i) for i in self._history.recently_sung_song_ids(limit))
        return [song for song in found if song is not None]

    def history(self, limit: int = 50) -> list[HistoryItem]:
        """The latest songs sung, skipped or failed, latest first."""
        return self._history.recent(limit)

    def library_problems(self, offset: int = 0, limit: int = 50) -> ProblemPage:
        """What the last scans could not index (path and reason), a page at a time."""
        return self._catalog.scan_log.page(offset, limit)

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

    # --- singers and their lists -----------------------------------------------------------

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
