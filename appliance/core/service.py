"""The core's public API: every frontend (phones, buttons, CLI, TV) talks only to this.

Every call validates its input (phones are untrusted) and checks the actor's rights: a guest
may change only their own entries and their own live song; the rest needs the host. Every
change is written to the store before the call returns, then announced as an event::

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

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from appliance.core import events
from appliance.core.catalog import Catalog
from appliance.core.config import RotationConfig
from appliance.core.errors import Conflict, InvalidRequest, LimitReached, PermissionDenied
from appliance.core.history import History
from appliance.core.models import MixSettings, QueueEntry, Singer, Song, clean_name
from appliance.core.night import NightState
from appliance.core.playback import PlaybackMachine, PlayerEvents
from appliance.core.ports import Clock, Player, SystemClock
from appliance.core.queue_commands import QueueCommands
from appliance.core.snapshot import NightSettings, PlaybackState, Snapshot
from appliance.core.snapshot_builder import build_snapshot
from appliance.core.store import Store, set_value
from appliance.core.transport import TransportCommands


@dataclass(frozen=True)
class Actor:
    """Who asks: the host (PIN, buttons, CLI) or a guest singer (a phone's own token)."""

    is_host: bool
    singer_id: int | None = None

    @classmethod
    def host(cls) -> Actor:
        """The host: may do anything."""
        return cls(is_host=True)

    @classmethod
    def guest(cls, singer_id: int | None) -> Actor:
        """A guest acting as singer ``singer_id`` (None: not joined yet)."""
        return cls(is_host=False, singer_id=singer_id)

    def require_host(self, action: str) -> None:
        """Raise PermissionDenied unless this is the host."""
        if not self.is_host:
            raise PermissionDenied(f"only the host may {action}")

    def require_self_or_host(self, singer_id: int, action: str) -> None:
        """Raise PermissionDenied unless this is the host or singer ``singer_id``."""
        if not self.is_host and self.singer_id != singer_id:
            raise PermissionDenied(f"you may only {action} your own songs")


class Core(QueueCommands, TransportCommands, PlaybackMachine):
    """Singers, queue, rotation, playback and the catalog, behind one lock."""

    def __init__(
        self,
        store: Store,
        player: Player,
        *,
        clock: Clock | None = None,
        rotation: RotationConfig | None = None,
        bus: events.EventBus | None = None,
        volume: float = 0.8,
    ) -> None:
        self.store = store
        self.catalog = Catalog(store)
        self.night = NightState(store)
        self.clock = clock or SystemClock()
        self.history = History(store, self.clock.wall)
        self.bus = bus or events.EventBus()
        self.player = player
        self._lock = threading.RLock()
        self._inbox: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._version = 0
        self._state, self._current, self._deadline = PlaybackState.IDLE, None, None
        self._last_failure = ""
        self._device_status = ""
        self._settings = self._load_settings(rotation or RotationConfig())
        self._volume: float = float(store.get_value("volume", volume))
        self._muted = False
        player.set_listener(PlayerEvents(self))
        with self._lock:
            self._restore_after_restart()
            self._state = PlaybackState.IDLE
            if self._locked is not None:
                self._enter_up_next()
            else:
                self._enter_idle()

    # --- reading ---------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """Everything frontends show, consistent and immutable."""
        with self._lock:
            return build_snapshot(self)

    @property
    def version(self) -> int:
        """Increases with every change; events carry it."""
        return self._version

    def settings(self) -> NightSettings:
        """The night's settings."""
        return self._settings

    def search(self, query: str, limit: int = 50) -> list[Song]:
        """Search the catalog (title, artist, language, tags; prefix, accent-insensitive)."""
        return self.catalog.search(query, limit)

    def song(self, song_id: str) -> Song:
        """A song by id (NotFound otherwise)."""
        return self.catalog.get(song_id)

    def singer(self, singer_id: int) -> Singer:
        """A singer by id (NotFound otherwise)."""
        with self._lock:
            return self.night.singer(singer_id)

    def default_settings(self, singer_id: int, song_id: str) -> MixSettings:
        """What this singer used last time for this song, else the night's defaults."""
        with self._lock:
            singer = self.night.singer(singer_id)
            remembered = self.night.remembered(singer.name, song_id)
            if remembered:
                return remembered
            multiplex = "multiplex" in self.catalog.get(song_id).tags  # left only: no guide
            return MixSettings(guide_level=0.0 if multiplex else self._settings.default_guide_level)

    # --- singers ---------------------------------------------------------------------------

    def join(self, name: str) -> Singer:
        """The singer with this name, created at the end of the arrival order if new."""
        name = clean_name(name)
        with self._lock:
            existing = self.night.singer_by_name(name)
            if existing is not None:
                return existing
            singer = self.night.add_singer(name, self.clock.wall())
            self._changed(events.QueueChanged)
            return singer

    # --- settings --------------------------------------------------------------------------

    def update_settings(self, actor: Actor, changes: dict[str, Any]) -> NightSettings:
        """Host: change rotation mode, per-singer limit, countdown, gap, default guide level."""
        actor.require_host("change the settings")
        validated = _validated_settings(self._settings, changes)
        with self._lock:
            self._settings = validated
            with self.store.transaction() as db:
                set_value(db, "night_settings", validated.__dict__)
            self._set_lock(self._locked)
            self._after_queue_change()
            self._changed(events.SettingsChanged)
        return validated

    def _load_settings(self, rotation: RotationConfig) -> NightSettings:
        saved = self.store.get_value("night_settings")
        base = NightSettings(
            rotation.mode,
            rotation.per_singer_limit,
            rotation.countdown_s,
            rotation.gap_s,
            rotation.default_guide_level,
        )
        return _validated_settings(base, saved) if saved else base

    def _mode(self) -> str:
        return self._settings.mode

    # --- machinery -------------------------------------------------------------------------

    def post(self, work: Callable[[], None]) -> None:
        """Run ``work`` on the core's thread at the next tick (player callbacks use this)."""
        self._inbox.put(work)
        self._wake.set()

    def tick(self) -> None:
        """Run posted work and timers (countdown). Called by :meth:`run_forever` or tests."""
        while True:
            try:
                work = self._inbox.get_nowait()
            except queue.Empty:
                break
            with self._lock:
                work()
        with self._lock:
            due = self._deadline is not None and self.clock.monotonic() >= self._deadline
            if self._state is PlaybackState.UP_NEXT and due:
                self._start_locked()

    def run_forever(self, stop: threading.Event, period_s: float = 0.1) -> None:
        """The core's thread: tick until ``stop`` is set."""
        while not stop.is_set():
            self._wake.wait(period_s)
            self._wake.clear()
            self.tick()

    def _changed(self, event_type: type[events.Event], **fields: Any) -> None:
        self._version += 1
        self.bus.publish(event_type(version=self._version, **fields))

    def _check_limit(self, actor: Actor, singer: Singer) -> None:
        if actor.is_host:
            return
        if len(self.night.entries_of(singer.singer_id)) >= self._settings.per_singer_limit:
            raise LimitReached(
                f"{singer.name} already has {self._settings.per_singer_limit} songs queued"
            )

    def _require_entry_owner(self, actor: Actor, entry: QueueEntry, action: str) -> None:
        actor.require_self_or_host(entry.singer_id, action)

    def _require_playing(self) -> None:
        if self._current is None or self._state not in (
            PlaybackState.PLAYING,
            PlaybackState.PAUSED,
        ):
            raise Conflict("no song is playing")


def _validated_settings(base: NightSettings, changes: dict[str, Any]) -> NightSettings:
    if not isinstance(changes, dict):
        raise InvalidRequest("settings", "must be an object")
    allowed = set(base.__dict__)
    for key, value in changes.items():
        if key not in allowed:
            raise InvalidRequest(key, "unknown setting")
        if isinstance(value, bool):
            raise InvalidRequest(key, "wrong type")
    merged = {**base.__dict__, **changes}
    if merged["mode"] not in ("fair", "fifo"):
        raise InvalidRequest("mode", "must be 'fair' or 'fifo'")
    checks = {
        "per_singer_limit": (int, 1, 100),
        "countdown_s": ((int, float), 0, 600),
        "gap_s": ((int, float), 0, 600),
        "default_guide_level": ((int, float), 0, 1),
    }
    for key, (types, low, high) in checks.items():
        if not isinstance(merged[key], types) or not low <= merged[key] <= high:
            raise InvalidRequest(key, f"must be a number from {low} to {high}")
    return replace(base, **merged)
