"""Typed core events and a fan-out that never blocks the publisher.

Each listener gets its own bounded inbox and thread. A slow listener loses its oldest events
(they are only hints: listeners pull :class:`~appliance.core.snapshot.Snapshot` for state);
a failing listener is logged and keeps receiving::

    >>> import threading
    >>> bus = EventBus()
    >>> seen = threading.Event()
    >>> bus.subscribe("doc", lambda event: seen.set())
    >>> bus.publish(QueueChanged(version=1))
    >>> seen.wait(2.0)
    True
    >>> bus.close()
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from appliance.core.scoring.model import FinalScore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Base of every event. ``version`` is the snapshot version the event belongs to."""

    version: int


@dataclass(frozen=True)
class QueueChanged(Event):
    """Singers, entries or their order changed."""


@dataclass(frozen=True)
class PlaybackStateChanged(Event):
    """The playback state changed (idle, up next, playing, paused...)."""

    state: str = ""


@dataclass(frozen=True)
class MixChanged(Event):
    """Key, tempo, guide level or stem gains of the current song changed."""

    key_semitones: int = 0
    tempo_ratio: float = 1.0
    guide_level: float = 1.0


@dataclass(frozen=True)
class VolumeChanged(Event):
    """Master volume (0..1) or mute changed."""

    volume: float = 1.0
    muted: bool = False


@dataclass(frozen=True)
class SongFailed(Event):
    """A song could not be played and was skipped. ``reason`` is for the TV and phones."""

    title: str = ""
    reason: str = ""


@dataclass(frozen=True)
class SettingsChanged(Event):
    """The night's settings (rotation mode, limits, countdown...) changed."""


@dataclass(frozen=True)
class LibraryChanged(Event):
    """The catalog changed, or a scan made progress. ``message`` is for a notice."""

    message: str = ""
    done: int = 0
    total: int = 0


@dataclass(frozen=True)
class HostInfoChanged(Event):
    """Something only the host's page shows changed (the audio thread's scheduling)."""


@dataclass(frozen=True)
class Notice(Event):
    """A short message for the TV and phones (device problems, host actions)."""

    message: str = ""
    level: str = "info"


@dataclass(frozen=True)
class SingerNotice(Event):
    """A short message for one singer's phone, not the TV ("the host removed your song")."""

    singer_id: int = 0
    message: str = ""
    level: str = "info"


@dataclass(frozen=True)
class LineRated(Event):
    """A lyric line of the song being sung was finished and rated (for the TV's "Perfect!").
    Only a hint: the snapshot does not change (the version stays)."""

    line: int = 0
    part: int = 0
    rating: str = ""
    points: float = 0.0
    max_points: float = 0.0


@dataclass(frozen=True)
class SongScored(Event):
    """A song sung to its end was scored: one result per part someone sang (saved already)."""

    results: tuple[FinalScore, ...] = ()


@dataclass(frozen=True)
class VoiceChanged(Event):
    """A singer's mic level or echo changed (``singer_id`` 0: the night's default)."""

    singer_id: int = 0


Listener = Callable[[Event], None]


class _Inbox:
    """One listener's bounded queue and delivery thread."""

    def __init__(self, name: str, listener: Listener, capacity: int) -> None:
        self.name = name
        self.listener = listener
        self.queue: queue.Queue[Event | None] = queue.Queue(maxsize=capacity)
        self.dropped = 0
        self.thread = threading.Thread(target=self._run, name=f"events-{name}", daemon=True)
        self.thread.start()

    def offer(self, event: Event | None) -> None:
        while True:
            try:
                self.queue.put_nowait(event)
                return
            except queue.Full:
                try:
                    self.queue.get_nowait()
                    self.dropped += 1
                except queue.Empty:
                    pass

    def _run(self) -> None:
        while (event := self.queue.get()) is not None:
            try:
                self.listener(event)
            except Exception:
                log.exception("event listener %r failed on %r; skipped", self.name, event)


class EventBus:
    """Publish/subscribe with one bounded inbox per listener; ``publish`` never blocks."""

    def __init__(self, capacity: int = 256) -> None:
        self._capacity = capacity
        self._inboxes: dict[str, _Inbox] = {}
        self._lock = threading.Lock()

    def subscribe(self, name: str, listener: Listener) -> None:
        """Deliver every later event to ``listener`` on its own thread."""
        with self._lock:
            if name in self._inboxes:
                raise ValueError(f"a listener named {name!r} is already subscribed")
            self._inboxes[name] = _Inbox(name, listener, self._capacity)

    def unsubscribe(self, name: str, timeout_s: float = 2.0) -> None:
        """Stop delivering to ``name`` after the events already queued (waits up to
        ``timeout_s`` for them to be delivered)."""
        with self._lock:
            inbox = self._inboxes.pop(name, None)
        if inbox:
            inbox.offer(None)
            if inbox.thread is not threading.current_thread():
                inbox.thread.join(timeout_s)

    def publish(self, event: Event) -> None:
        """Hand ``event`` to every listener's inbox without waiting for any of them."""
        with self._lock:
            inboxes = list(self._inboxes.values())
        for inbox in inboxes:
            inbox.offer(event)

    def dropped(self) -> dict[str, int]:
        """Events each listener lost because it was too slow."""
        with self._lock:
            return {name: inbox.dropped for name, inbox in self._inboxes.items()}

    def close(self) -> None:
        """Stop every listener thread."""
        with self._lock:
            names = list(self._inboxes)
        for name in names:
            self.unsubscribe(name)


@dataclass(frozen=True)
class PinShown(Event):
    """Someone at the box asked to see the host PIN (physical access is host rights): the TV
    shows it for ``seconds``. The event does not carry the PIN, and the phones show nothing."""

    seconds: float = 10.0


class Announcer:
    """Numbers the core's changes and publishes them: every change gets the next version, the
    version a :class:`~appliance.core.snapshot.Snapshot` carries."""

    def __init__(self, bus: EventBus) -> None:
        self.bus = bus
        self.version = 0

    def changed(self, event_type: type[Event], **fields: object) -> None:
        """Announce a change of the night as ``event_type``."""
        self.version += 1
        self.bus.publish(event_type(version=self.version, **fields))

    def hint(self, event_type: type[Event], **fields: object) -> None:
        """Publish an event that changes nothing in the snapshot (the version stays)."""
        self.bus.publish(event_type(version=self.version, **fields))

    def notify(self, message: str, level: str = "info") -> None:
        """A notice that changes nothing in the night (the version stays)."""
        self.bus.publish(Notice(version=self.version, message=message, level=level))

    def tell(self, singer_id: int, message: str, level: str = "info") -> None:
        """A notice for one singer's phone (the version stays)."""
        self.bus.publish(
            SingerNotice(version=self.version, singer_id=singer_id, message=message, level=level)
        )

    def show_pin(self, seconds: float) -> None:
        """Ask the TV to show the host PIN (nothing in the night changes)."""
        self.bus.publish(PinShown(version=self.version, seconds=seconds))
