"""What plays in the engine process: songs, break music, pause and seek, the producer's
commands applied on its thread.

:class:`SongControl` opens songs with :class:`~appliance.audio.dsp.song_renderer.SongRenderer`, sets
:class:`~appliance.audio.engine.output.NowPlaying` for the callback, has the
:class:`~appliance.audio.engine.feeder.RingFeeder` flush and pre-roll, and answers the client
(``Reply``, ``Failed``)::

    >>> control = SongControl(status, options, send, now, feeder)  # doctest: +SKIP
    >>> control.play(request=1, song=song, settings=MixSettings(), start_s=0.0)  # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from appliance.audio.dsp.song_renderer import RenderOptions, SongRenderer
from appliance.audio.engine import status as slots
from appliance.audio.engine.device import EngineOptions
from appliance.audio.engine.feeder import RingFeeder
from appliance.audio.engine.output import NowPlaying
from appliance.audio.engine.protocol import Event, Failed, Reply
from appliance.core.errors import SongLoadError
from appliance.core.models import MixSettings, Song

log = logging.getLogger(__name__)

SEEK_FADE_FRAMES = 480
BREAK_FADE_FRAMES = 7200  # 150 ms: break music fades out when a song starts
NOT_STARTED = 1 << 62  # song start frame while a song is being opened (no underflow counted)
BREAK_LEVEL = 0.5


class SongControl:
    """The song and break music the producer renders (its thread only)."""

    def __init__(
        self,
        status: slots.EngineStatus,
        options: EngineOptions,
        send: Callable[[Event], None],
        now: NowPlaying,
        feeder: RingFeeder,
    ) -> None:
        self.status, self.options, self.send = status, options, send
        self.now, self.feeder = now, feeder
        self.prepared: SongRenderer | None = None
        self.break_music = BreakPlaylist()

    def close(self) -> None:
        """Close the renderers (the producer has stopped)."""
        for renderer in (self.now.renderer, self.prepared):
            if renderer is not None:
                renderer.close()

    def fail(self, reason: str) -> None:
        """The song cannot be rendered: the next break song, or ``Failed`` to the client."""
        renderer, was_break = self.now.renderer, self.now.is_break
        song_id = renderer.song.song_id if renderer is not None else ""
        log.warning("song %s failed: %s", song_id, reason)
        self.feeder.flush(SEEK_FADE_FRAMES)
        self.close_song()  # (it clears is_break)
        self.status.write(slots.STATE, slots.IDLE)
        if was_break:
            self.break_music.drop(song_id)
            self.start_break_song()
        else:
            self.send(Failed(song_id, reason))

    def close_song(self) -> None:
        """No song: its renderer closed, break music off."""
        self.feeder.new_settings = None
        if self.now.renderer is not None:
            self.now.renderer.close()
        self.now.renderer, self.now.is_break = None, False

    def _options(self, level: float = 1.0) -> RenderOptions:
        return RenderOptions(
            quality=self.options.quality,
            routing=self.feeder.routing,
            level=level,
            loudness_target_lufs=self.options.loudness_target_lufs,
            click_stretch=self.options.click_stretch,
        )

    # --- the producer's commands -------------------------------------------------------------

    def play(self, request: int, song: Song, settings: MixSettings, start_s: float) -> None:
        """Start ``song`` (pre-rolled) and answer ``Reply(request, error)``."""
        try:
            renderer = self._take_prepared(song, settings, start_s)
        except SongLoadError as error:
            self.send(Reply(request, error.reason))
            return
        self.feeder.flush(BREAK_FADE_FRAMES if self.now.is_break else SEEK_FADE_FRAMES)
        self.close_song()
        self.now.song_start_frame = NOT_STARTED
        self.now.renderer, self.now.paused = renderer, False
        try:
            self.feeder.preroll()
        except SongLoadError as error:
            self.close_song()
            self.status.write(slots.STATE, slots.IDLE)
            self.send(Reply(request, error.reason))
            return
        self.feeder.mark_start()
        self.now.tempo = settings.tempo_ratio
        self.status.write(slots.SONG_GENERATION, self.status.read(slots.SONG_GENERATION) + 1)
        self.status.write(slots.POSITION_S, start_s)
        self.status.write(slots.STATE, slots.PLAYING)
        self.send(Reply(request, None))

    def _take_prepared(self, song: Song, settings: MixSettings, start_s: float) -> SongRenderer:
        prepared, self.prepared = self.prepared, None
        if prepared is not None and prepared.song == song and start_s == 0.0:
            prepared.apply_settings(settings)
            return prepared
        if prepared is not None:
            prepared.close()
        return SongRenderer(song, settings, self._options(), start_s)

    def prepare(self, song: Song, settings: MixSettings) -> None:
        """Open ``song`` now, for a ``play`` of it at 0 s."""
        if self.prepared is not None:
            self.prepared.close()
            self.prepared = None
        try:
            self.prepared = SongRenderer(song, settings, self._options())
        except SongLoadError as error:
            log.info("cannot prepare %s: %s", song.song_id, error.reason)

    def reattached(self) -> None:
        """A new ring (the device opened late, or again): the song goes on from the position
        last heard (break music from where it was rendered), pre-rolled as after a seek."""
        old = self.now.renderer
        if old is None:
            return
        settings, self.feeder.new_settings = self.feeder.new_settings or old.settings, None
        position = old.position_s if self.now.is_break else self.status.read(slots.POSITION_S)
        ring = self.feeder.ring
        if ring is not None and ring.written:  # queued before this command ran
            self.feeder.flush(SEEK_FADE_FRAMES)
        self.feeder.pending, self.feeder.ending_song_id = None, ""
        self.now.song_start_frame = NOT_STARTED
        self.now.renderer = SongRenderer(old.song, settings, self._options(), position)
        self.feeder.mark_start()
        old.close()
        self.now.tempo = settings.tempo_ratio
        self._preroll_or_fail()

    def _preroll_or_fail(self) -> None:
        """Fill the ring from the renderer's new position; a song that cannot be read fails."""
        try:
            self.feeder.preroll()
        except SongLoadError as error:
            self.fail(error.reason)
            return
        self.feeder.mark_start()

    def pause(self) -> None:
        """Hold the song (break music does not pause)."""
        if self.now.renderer is not None and not self.now.is_break:
            self.now.paused = True
            self.status.write(slots.STATE, slots.PAUSED)

    def resume(self) -> None:
        """Play on."""
        if self.now.paused:
            self.now.paused = False
            self.status.write(slots.STATE, slots.PLAYING)

    def stop(self) -> None:
        """Stop the song; break music goes on."""
        if self.now.renderer is not None and not self.now.is_break:
            self.feeder.flush(SEEK_FADE_FRAMES)
            self.close_song()
        self.now.paused = False
        self.status.write(slots.STATE, slots.IDLE)
        self.status.write(slots.POSITION_S, 0.0)

    def seek(self, position_s: float) -> None:
        """Jump to ``position_s``, pre-rolled (with the settings waiting to be spliced)."""
        renderer = self.now.renderer
        if renderer is None or self.now.is_break:
            return
        if self.feeder.new_settings is not None:
            renderer.apply_settings(self.feeder.new_settings)
            self.now.tempo = self.feeder.new_settings.tempo_ratio
        self.feeder.flush(SEEK_FADE_FRAMES)
        self.now.song_start_frame = NOT_STARTED
        renderer.seek(position_s)
        self._preroll_or_fail()

    def apply_settings(self, settings: MixSettings) -> None:
        """New settings for the song, spliced into the queued audio by the feeder."""
        if self.now.renderer is not None and not self.now.is_break:
            self.feeder.new_settings = settings

    def set_volume(self, volume: float, muted: bool) -> None:
        """The master volume the callback ramps to."""
        self.now.volume = 0.0 if muted else max(0.0, min(1.0, float(volume)))

    # --- break music -------------------------------------------------------------------------

    def play_break_music(self, songs: tuple[Song, ...], level: float) -> None:
        """A new break playlist; it plays now if no song does."""
        self.break_music.replace(songs, level)
        if self.now.renderer is None or self.now.is_break:
            self.break_music.rewind()
            self.start_break_song()

    def start_break_song(self) -> None:
        """The next playable break song, pre-rolled (the unplayable ones leave the list)."""
        self.now.song_start_frame = NOT_STARTED
        self.close_song()
        while (song := self.break_music.current()) is not None:
            try:
                self._open_break_song(song)
            except SongLoadError as error:
                log.info("break music: skipping %s (%s)", song.song_id, error.reason)
                self.break_music.remove(song)
                self.close_song()
                continue
            self.feeder.mark_start()
            self.status.write(slots.STATE, slots.BREAK)
            return

    def _open_break_song(self, song: Song) -> None:
        settings = MixSettings(guide_level=0.0)
        self.now.renderer = SongRenderer(song, settings, self._options(self.break_music.level))
        self.now.is_break, self.now.paused, self.now.tempo = True, False, 1.0
        self.feeder.preroll()


class BreakPlaylist:
    """Which break song plays next (the producer thread's; no lock)."""

    def __init__(self) -> None:
        self.songs: list[Song] = []
        self.index = 0
        self.level = BREAK_LEVEL

    def replace(self, songs: Iterable[Song], level: float) -> None:
        """A new list (the index stays: :meth:`rewind` starts it over)."""
        self.songs, self.level = list(songs), level

    def rewind(self) -> None:
        """From the first song."""
        self.index = 0

    def advance(self) -> None:
        """The next song (the list wraps around)."""
        self.index += 1

    def current(self) -> Song | None:
        """The song to play, None when the list is empty."""
        if not self.songs:
            return None
        return self.songs[self.index % len(self.songs)]

    def remove(self, song: Song) -> None:
        """``song`` could not be opened: it leaves the list."""
        self.songs.remove(song)

    def drop(self, song_id: str) -> None:
        """``song_id`` failed while playing: it leaves the list."""
        self.songs = [song for song in self.songs if song.song_id != song_id]
