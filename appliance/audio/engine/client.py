"""The engine client: the core's ``Player``, in the main process, driving the engine process.

    >>> player = EngineClient(EngineOptions(device="USB Audio"))        # doctest: +SKIP
    >>> player.play(song, MixSettings(key_semitones=-2))                 # doctest: +SKIP
    >>> player.position_s()                                              # doctest: +SKIP
    12.48

It keeps the player's state (the song, its settings, pause, volume, break music), drives the
engine process through an :class:`~appliance.audio.engine.connection.EngineConnection`, reads
the position from shared memory, and passes the engine's events to the listener. If the engine
process dies, a watchdog starts a new one and the song resumes where it was.

Songs indexed in place (MP3+G, audio + LRC, UltraStar) are decoded to 48 kHz once, by the
:class:`~appliance.audio.sources.playable.Transcoder`, into a cache in the state dir: ``prepare``
starts it during the up-next countdown. ``play`` never waits for it: when the song is not
ready it returns at once, the position stays 0 (break music goes on), and the song starts
when its files are; a source that cannot be decoded ends in ``on_song_failed`` with the reason.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from appliance.audio.dsp.meter import measure_loudness_lufs
from appliance.audio.engine import status as slots
from appliance.audio.engine.connection import EngineConnection
from appliance.audio.engine.device import EngineOptions
from appliance.audio.engine.process import DEVICE_LOST_EXIT
from appliance.audio.engine.protocol import (
    ApplySettings,
    DeviceNotice,
    Ended,
    Event,
    Failed,
    MicNotice,
    Pause,
    PitchFrames,
    PlayBreakMusic,
    Prepare,
    PriorityNotice,
    Resume,
    Seek,
    SetVoice,
    SetVolume,
    Stop,
)
from appliance.audio.engine.status import EngineStatus
from appliance.audio.sources.playable import Transcoder
from appliance.audio.sources.transcode_cache import TranscodeCache
from appliance.core.errors import SongLoadError
from appliance.core.models import MixSettings, Song
from appliance.core.ports import PlayerListener
from appliance.core.voice import VoiceSettings

log = logging.getLogger(__name__)

WATCH_PERIOD_S = 0.05


class EngineClient:
    """Implements :class:`appliance.core.ports.Player` on top of the engine process."""

    def __init__(
        self,
        options: EngineOptions,
        *,
        break_songs: Callable[[], list[Song]] | None = None,
        break_level: float = 0.5,
    ) -> None:
        self.options = options
        self._break_songs = break_songs or (list)
        self._break_level = break_level
        self.status = EngineStatus.create()
        self.engine = EngineConnection(options, self.status.name, self._on_event)
        self._lock = threading.RLock()
        self._listener: PlayerListener | None = None
        self._song: Song | None = None
        self._playable: Song | None = None  # what the engine plays; None while transcoding
        self._start_s = 0.0
        cache = TranscodeCache.in_state_dir(options.state_dir, options.transcode_cache_mb)
        self.transcoder = Transcoder(cache, measure_loudness_lufs)
        self._settings = MixSettings()
        self._paused = False
        self._volume, self._muted = 1.0, False
        self._break_on = False
        self._closing = False
        self.restarts = 0
        self.device_problem = ""  # the engine's last device notice ("" = the device is fine)
        self.audio_priority = ""  # the engine's callback thread scheduling ("" = not yet known)
        self.mic_problems: dict[int, str] = {}  # each mic's last notice ("" = fine)
        self._voices: dict[int, VoiceSettings] = {}  # sent again to a restarted engine
        self._device_lock = threading.Lock()
        self.engine.spawn()
        self._watchdog = threading.Thread(target=self._watch, name="engine-watch", daemon=True)
        self._watchdog.start()

    # --- the process -------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        """The engine process's id."""
        return self.engine.pid

    def _on_event(self, event: Event) -> None:
        """The engine's events but ``Ready`` and ``Reply`` (on the connection's thread)."""
        match event:
            case Ended(song_id):
                self._song_over(event, song_id)
            case Failed(song_id):
                self._song_over(event, song_id)
            case DeviceNotice(message):
                self._device_notice(message)
            case PitchFrames(frames):
                if self._listener is not None:
                    self._listener.on_pitch_frames(tuple(frames))
            case MicNotice(mic, message):
                self.mic_problems[mic] = message
                if self._listener is not None:
                    self._listener.on_mic_notice(mic, message)
            case PriorityNotice(description):
                self.audio_priority = description
                if self._listener is not None:
                    self._listener.on_audio_priority(description)

    def _device_notice(self, message: str) -> None:
        """Pass a change of the device's state on: a problem, or "" when it is fine again."""
        with self._device_lock:  # not self._lock: a restart holds it while waiting for us
            if message == self.device_problem:
                return
            self.device_problem = message
        if self._listener is not None:
            self._listener.on_device_problem(message)

    def _song_over(self, event: Ended | Failed, song_id: str) -> None:
        with self._lock:
            if self._song is None or self._song.song_id != song_id:
                return
            self._song = self._playable = None
        if self._listener is None:
            return
        if isinstance(event, Failed):
            self._listener.on_song_failed(song_id, event.reason)
        else:
            self._listener.on_song_ended(song_id)

    def _watch(self) -> None:
        while not self._closing:
            time.sleep(WATCH_PERIOD_S)
            if self._closing or self.engine.alive():
                continue
            if self.engine.exitcode == DEVICE_LOST_EXIT:
                log.info("the sound device went away; a new engine waits for it")
            else:
                log.warning("the audio engine died (exit %s); restarting", self.engine.exitcode)
            try:
                self._restart()
            except Exception as error:
                log.error("restarting the audio engine failed: %s", error)
                time.sleep(1.0)

    def _restart(self) -> None:
        with self._lock:
            position = self.status.read(slots.POSITION_S)
            self.engine.spawn()
            self.restarts += 1
            self.engine.send(SetVolume(self._volume, self._muted))
            for mic, voice in self._voices.items():
                self.engine.send(SetVoice(mic, voice.level_db, voice.echo))
            if self._playable is not None:
                error = self.engine.request_play(self._playable, self._settings, position)
                if error:
                    log.error("could not resume %s: %s", self._playable.song_id, error)
                elif self._paused:
                    self.engine.send(Pause())
            elif self._break_on:
                self._send_break_music()

    # --- the Player port ---------------------------------------------------------------------

    def set_listener(self, listener: PlayerListener) -> None:
        """Where ends, failures and device notices go. A device problem or the audio thread's
        priority found before (the engine starts in the constructor) is passed on at once."""
        self._listener = listener
        with self._device_lock:
            problem = self.device_problem
        if problem:
            listener.on_device_problem(problem)
        if self.audio_priority:
            listener.on_audio_priority(self.audio_priority)
        for mic, message in dict(self.mic_problems).items():
            listener.on_mic_notice(mic, message)  # "" too: the listener learns the mic is there

    def prepare(self, song: Song, settings: MixSettings) -> None:
        """Let the engine open the next song now, transcoding it first if it needs it (in the
        background); errors surface at play."""
        try:
            playable = self.transcoder.playable(song)
        except SongLoadError as error:
            log.info("cannot prepare %s: %s", song.song_id, error.reason)
            return
        if playable is not None:
            self._send_prepare(playable, settings)
            return

        def transcoded(playable: Song | None, reason: str) -> None:
            with self._lock:
                started = self._song is not None and self._song.song_id == song.song_id
            if playable is None:
                log.info("cannot prepare %s: %s", song.song_id, reason)
            elif not started:
                self._send_prepare(playable, settings)

        self.transcoder.request(song, transcoded)

    def _send_prepare(self, playable: Song, settings: MixSettings) -> None:
        self.transcoder.pin("prepared", playable)
        self.engine.send(Prepare(playable, settings))

    def play(self, song: Song, settings: MixSettings, start_s: float = 0.0) -> None:
        """Start ``song``; SongLoadError with the reason if it cannot be played. A song still
        being transcoded starts when it is ready (or fails through the listener)."""
        if song.duration_s <= 0:
            raise SongLoadError(song.song_id, "the song has no duration")
        playable = self.transcoder.playable(song)  # SongLoadError: a source missing
        with self._lock:
            if playable is not None:
                error = self.engine.request_play(playable, settings, float(start_s))
                if error:
                    raise SongLoadError(song.song_id, error)
            elif self._playable is not None:
                self.engine.send(Stop())  # the song before; break music goes on while this decodes
            self._song, self._settings, self._paused = song, settings, False
            self._playable, self._start_s, self._break_on = playable, float(start_s), False
            self.transcoder.pin("current", playable)
        if playable is None:
            self.transcoder.request(song, lambda ready, why: self._transcoded(song, ready, why))

    def _transcoded(self, song: Song, playable: Song | None, reason: str) -> None:
        """The transcoder's answer for the song ``play`` is waiting for."""
        with self._lock:
            if self._song is not song or self._playable is not None:
                return  # stopped or replaced meanwhile
            if playable is not None:
                error = self.engine.request_play(playable, self._settings, self._start_s)
                if not error:
                    self._playable = playable
                    self.transcoder.pin("current", playable)
                    if self._paused:
                        self.engine.send(Pause())
                    return
                reason = error
            self._song = None
        log.warning("song %s failed: %s", song.song_id, reason)
        if self._listener is not None:
            self._listener.on_song_failed(song.song_id, reason)

    def pause(self) -> None:
        """Fade out and hold."""
        with self._lock:
            self._paused = self._song is not None
            self.engine.send(Pause())

    def resume(self) -> None:
        """Fade back in."""
        with self._lock:
            self._paused = False
            self.engine.send(Resume())

    def stop(self) -> None:
        """Stop the song; no end event follows."""
        with self._lock:
            self._song, self._playable, self._paused = None, None, False
            self.engine.send(Stop())

    def seek(self, position_s: float) -> None:
        """Jump to a song position."""
        with self._lock:
            if self._song is not None and self._playable is None:
                self._start_s = float(position_s)  # still transcoding: start there
                return
            self.status.write(slots.POSITION_S, float(position_s))
            self.engine.send(Seek(float(position_s)))

    def apply_settings(self, settings: MixSettings) -> None:
        """Key, tempo, guide and stem gains, live."""
        with self._lock:
            self._settings = settings
            self.engine.send(ApplySettings(settings))

    def set_volume(self, volume: float, muted: bool = False) -> None:
        """Master volume 0..1 (ramped in the callback)."""
        with self._lock:
            self._volume, self._muted = float(volume), bool(muted)
            self.engine.send(SetVolume(self._volume, self._muted))

    def set_voice(self, mic: int, voice: VoiceSettings) -> None:
        """Mic ``mic``'s level and echo (applied in the engine's mic path)."""
        with self._lock:
            self._voices[mic] = voice
            self.engine.send(SetVoice(mic, voice.level_db, voice.echo))

    def play_break_music(self) -> None:
        """Background music until the next song."""
        with self._lock:
            self._break_on = True
            self._send_break_music()

    def _send_break_music(self) -> None:
        self.engine.send(PlayBreakMusic(tuple(self._break_songs()), self._break_level))

    def position_s(self) -> float:
        """Song seconds being heard (0.0 when no song plays)."""
        with self._lock:
            song = self._song if self._playable is not None else None
        if song is None:
            return 0.0
        return max(0.0, min(song.duration_s, self.status.read(slots.POSITION_S)))

    def engine_status(self) -> dict[str, float | str]:
        """Position, underflows, state... as published by the engine."""
        return self.status.snapshot()

    def close(self) -> None:
        """Stop the engine process and free the shared memory."""
        self._closing = True
        self.engine.close()
        self.status.close(unlink=True)
