"""What the screen shows, kept fresh off the main thread: the frame loop never waits for the core.

A listener on the core's events (``core.subscribe``) turns events into notices and wakes a small
thread that pulls ``core.snapshot()`` and loads the lyrics of the song playing and the one up
next (and, for MP3+G songs, their CD+G graphics, decoded once ahead; for video songs, their
picture feed, opened ahead and closed when the song is neither playing nor next; for the other
songs, the picture behind their lyrics: the UltraStar song's own video or picture, else the
next one from the host's background folder, an unreadable one skipped with a log line). The
frame loop only reads the latest results (a reference swap under a lock held for microseconds)::

    state = DisplayState(core, notices)
    state.start()
    snapshot, age_s, lyrics, graphics = state.current(now_s)
    feed = state.video(snapshot)          # the video song's VideoFeed, or None
    backdrop = state.backdrop(snapshot)   # the picture behind the lyrics, or None
    state.stop()
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

from appliance.core import events
from appliance.core.errors import KaraokeError
from appliance.core.models import EntryId, MixSettings, Song, SongId, SongKind
from appliance.core.service import Core
from appliance.core.snapshot import PlaybackState, Snapshot
from appliance.display.backdrop import Backdrop, BackdropFolder, Layout, open_backdrop
from appliance.display.cdg_picture import is_cdg_song, load_cdg
from appliance.display.notices import Notices, event_notice
from appliance.display.video_feed import VideoFeed
from appliance.library.formats.cdg import CdgDecoder
from appliance.library.formats.lyrics import Lyrics
from appliance.library.formats.songfiles import SongBackdrop, load_lyrics, song_backdrop

log = logging.getLogger(__name__)

REFRESH_S = 2.0
BACKDROP_TRIES = 4  # folder files tried for one song before it keeps the plain background
LISTENER = "display"


class Subscriptions(Protocol):
    """Where the display hears about events: the core by default, a bare bus in some tests."""

    def subscribe(self, name: str, listener: events.Listener) -> None: ...

    def unsubscribe(self, name: str) -> None: ...


class DisplayState:
    """The latest snapshot (and when it was taken) and the lyrics of the songs it names."""

    def __init__(
        self,
        core: Core,
        notices: Notices,
        *,
        events: Subscriptions | None = None,
        lyrics_loader: Callable[[Song], Lyrics] = load_lyrics,
        graphics_loader: Callable[[Song], CdgDecoder] = load_cdg,
        video_loader: Callable[[str], VideoFeed] = VideoFeed,
        backgrounds: str = "",
        backdrop_loader: Callable[[SongBackdrop, Layout | None], Backdrop] = open_backdrop,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.core, self.notices = core, notices
        self.bus: Subscriptions = events or core
        self._load = lyrics_loader
        self._load_graphics = graphics_loader
        self._open_video = video_loader
        self.folder = BackdropFolder(backgrounds)
        self._open_backdrop = backdrop_loader
        self.layout: Layout | None = None  # the screen's backdrop layout (pictures are made for it)
        self._backdrops: dict[EntryId, Backdrop | None] = {}  # by queue entry; None: plain
        self._unreadable: set[str] = set()
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot = Snapshot(version=0, state=PlaybackState.IDLE)
        self._taken_s = clock()
        self._lyrics: dict[SongId, Lyrics] = {}
        self._graphics: dict[SongId, CdgDecoder | None] = {}  # None: could not be read
        self._videos: dict[SongId, VideoFeed | None] = {}  # None: could not be opened
        self._mix: MixSettings | None = None
        self._entry_id: int | None = None
        self.pin_until_s = 0.0  # the clock's time until which the host PIN is shown
        self._refreshing = threading.Lock()  # one refresh at a time (the thread's, a test's)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="display-state", daemon=True)

    def start(self) -> None:
        """Subscribe to the bus and start refreshing."""
        self.bus.subscribe(LISTENER, self.on_event)
        self._thread.start()
        self._wake.set()

    def stop(self) -> None:
        """Unsubscribe and end the refresh thread."""
        self.bus.unsubscribe(LISTENER)
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=2.0)
        with self._lock:
            videos, self._videos = self._videos, {}
            backdrops, self._backdrops = self._backdrops, {}
        for feed in [*videos.values(), *backdrops.values()]:
            if feed is not None:
                feed.close()

    def current(self, now_s: float) -> tuple[Snapshot, float, Lyrics | None, CdgDecoder | None]:
        """(snapshot, its age in seconds, lyrics of the song playing or None if not loaded,
        its CD+G decoder or None: not a CD+G song, not loaded yet, or unreadable)."""
        with self._lock:
            snapshot, taken = self._snapshot, self._taken_s
            song = snapshot.now.song.song_id if snapshot.now else None
            lyrics = self._lyrics.get(song) if song else None
            graphics = self._graphics.get(song) if song else None
        return snapshot, max(0.0, now_s - taken), lyrics, graphics

    def video(self, snapshot: Snapshot) -> VideoFeed | None:
        """The picture feed of the video song ``snapshot`` is playing (None: not a video song,
        not open yet, or unreadable)."""
        with self._lock:
            return self._videos.get(snapshot.now.song.song_id) if snapshot.now else None

    def backdrop(self, snapshot: Snapshot) -> Backdrop | None:
        """The picture behind the lyrics of the song ``snapshot`` is playing (None: none, a
        CD+G or video song, or not open yet)."""
        with self._lock:
            return self._backdrops.get(snapshot.now.entry.entry_id) if snapshot.now else None

    def on_event(self, event: events.Event) -> None:
        """Bus listener (its own thread): a notice if the event calls for one, then a refresh."""
        text, level, key = event_notice(event, self._mix)
        if isinstance(event, events.MixChanged):
            self._mix = MixSettings(event.key_semitones, event.tempo_ratio, event.guide_level)
        if isinstance(event, events.PinShown):
            self.pin_until_s = self._clock() + event.seconds
        self.notices.add(text, level, key)
        self._wake.set()

    def refresh(self) -> None:
        """Pull a snapshot and load the lyrics it needs (call from the refresh thread or tests)."""
        with self._refreshing:
            self._refresh()

    def _refresh(self) -> None:
        snapshot = self.core.snapshot()
        taken = self._clock()
        songs = [snapshot.now.song] if snapshot.now else []
        songs += [item.song for item in snapshot.upcoming[:1]]
        loaded = {song.song_id: self._lyrics_of(song) for song in songs}
        graphics = {song.song_id: self._graphics_of(song) for song in songs if is_cdg_song(song)}
        videos = {song.song_id: self._video_of(song) for song in songs if is_video_song(song)}
        turns = [(snapshot.now.entry.entry_id, snapshot.now.song)] if snapshot.now else []
        turns += [(item.entry.entry_id, item.song) for item in snapshot.upcoming[:1]]
        backdrops = {
            turn: self._backdrop_of(turn, song)
            for turn, song in turns
            if not is_video_song(song) and not is_cdg_song(song)
        }
        if snapshot.now and snapshot.now.entry.entry_id != self._entry_id:
            self._entry_id = snapshot.now.entry.entry_id
            self._mix = snapshot.now.settings
        with self._lock:
            self._snapshot, self._taken_s = snapshot, taken
            self._lyrics, self._graphics = loaded, graphics
            old, self._videos = self._videos, videos
            old_backdrops, self._backdrops = self._backdrops, backdrops
        for song_id, feed in old.items():
            if feed is not None and videos.get(song_id) is not feed:
                feed.close()  # neither playing nor next any more
        for turn, backdrop in old_backdrops.items():
            if backdrop is not None and backdrops.get(turn) is not backdrop:
                backdrop.close()

    def _lyrics_of(self, song: Song) -> Lyrics:
        cached = self._lyrics.get(song.song_id)
        if cached is not None:
            return cached
        try:
            return self._load(song)
        except KaraokeError as error:
            log.warning("lyrics of %s: %s", song.label, error)
            self.notices.add(f"Lyrics of {song.title} could not be read", "warn")
        except Exception:
            log.exception("lyrics of %s could not be loaded", song.label)
        return Lyrics()

    def _graphics_of(self, song: Song) -> CdgDecoder | None:
        """The song's decoder (kept while the song is playing or next); None if unreadable,
        with one notice: the lyrics scene then shows the title card."""
        if song.song_id in self._graphics:
            return self._graphics[song.song_id]
        try:
            return self._load_graphics(song)
        except KaraokeError as error:
            log.warning("CD+G graphics of %s: %s", song.label, error)
        except Exception:
            log.exception("CD+G graphics of %s could not be loaded", song.label)
        self.notices.add(f"The graphics of {song.title} could not be read", "warn")
        return None

    def _video_of(self, song: Song) -> VideoFeed | None:
        """The song's picture feed (kept while it is playing or next); None if it cannot be
        opened, with one notice: the lyrics scene then shows the title card."""
        if song.song_id in self._videos:
            return self._videos[song.song_id]
        try:
            feed = self._open_video(song.path)
        except KaraokeError as error:
            log.warning("video of %s: %s", song.label, error)
        except Exception:
            log.exception("video of %s could not be opened", song.label)
        else:
            feed.on_lagging = lambda: self.notices.add(
                f"The picture of {song.title} cannot keep up: frames are dropped", "warn"
            )
            return feed
        self.notices.add(f"The picture of {song.title} could not be read", "warn")
        return None

    def _backdrop_of(self, turn: EntryId, song: Song) -> Backdrop | None:
        """The picture behind the lyrics of queue entry ``turn``: the song's own, else the
        folder's file for that turn (unreadable ones skipped, logged once each), else None."""
        if turn in self._backdrops:
            return self._backdrops[turn]
        try:
            own = song_backdrop(song)
        except KaraokeError as error:
            log.warning("background of %s: %s", song.label, error)
            own = None
        except Exception:
            log.exception("background of %s could not be found", song.label)
            own = None
        sources: list[SongBackdrop | None] = [own] if own else []
        sources += [self.folder.pick(turn, skip) for skip in range(BACKDROP_TRIES)]
        for source in sources:
            if source is None or source.path in self._unreadable:
                continue
            try:
                return self._open_backdrop(source, self.layout)
            except Exception as error:  # any file a guest's stick holds: never the TV's end
                self._unreadable.add(source.path)
                log.warning("background %s skipped: %s", source.path, error)
        return None

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(REFRESH_S)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.refresh()
            except Exception:
                log.exception("display could not refresh its snapshot; trying again")


def is_video_song(song: Song) -> bool:
    """True when the song's lyrics are in a video's picture."""
    return song.kind is SongKind.VIDEO
