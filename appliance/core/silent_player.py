"""A Player that keeps time without sound: for a box with no sound device, and for tests.

It honours the same contract as the engine client (tests/support/player_contract.py): songs
whose stem files are missing fail to load, position advances with the clock times the tempo,
pause holds it, and the end of the song is reported::

    >>> from appliance.core.ports import ManualClock
    >>> from appliance.core.models import Song, SongId, MixSettings
    >>> clock = ManualClock()
    >>> player = SilentPlayer(clock, check_files=False)
    >>> player.play(Song(SongId("s"), "T", "A", 10.0, "/x"), MixSettings(tempo_ratio=0.5))
    >>> clock.advance(4.0)
    >>> player.position_s()
    2.0
"""

from __future__ import annotations

import os
import threading

from appliance.core.errors import SongLoadError
from appliance.core.models import MixSettings, Song
from appliance.core.ports import Clock, PlayerListener
from appliance.core.scoring.model import PitchFrame
from appliance.core.voice import VoiceSettings


class SilentPlayer:
    """Plays nothing, on time."""

    def __init__(self, clock: Clock, *, check_files: bool = True) -> None:
        self._clock = clock
        self.check_files = check_files
        """Refuse songs whose stem files are missing (tests switch it)."""
        self._listener: PlayerListener | None = None
        self._lock = threading.Lock()
        self._song: Song | None = None
        self.settings = MixSettings()
        """The settings of the song playing, as last applied."""
        self._anchor_pos = 0.0
        self._anchor_time = 0.0
        self._paused = False
        self.volume = 1.0
        self.muted = False
        self.break_music = False
        self.voices: dict[int, VoiceSettings] = {}
        """Each mic's settings as last set (it has no mics to apply them to)."""
        self.prepared: Song | None = None
        self._stop_thread = threading.Event()

    def set_listener(self, listener: PlayerListener) -> None:
        """Where ends are reported."""
        self._listener = listener

    def prepare(self, song: Song, settings: MixSettings) -> None:
        """Remember the next song (nothing to open)."""
        self.prepared = song

    def play(self, song: Song, settings: MixSettings, start_s: float = 0.0) -> None:
        """Start keeping time for ``song``; SongLoadError if its files are missing."""
        if song.duration_s <= 0:
            raise SongLoadError(song.song_id, "the song has no duration")
        if self.check_files:
            for stem in song.stems:
                if not os.path.isfile(os.path.join(song.path, stem.file)):
                    raise SongLoadError(song.song_id, f"stem file missing: {stem.file}")
        with self._lock:
            self._song, self.settings, self._paused = song, settings, False
            self._anchor_pos, self._anchor_time = float(start_s), self._clock.monotonic()
            self.break_music = False

    def pause(self) -> None:
        """Hold the position."""
        with self._lock:
            self._anchor_pos, self._anchor_time = self._position(), self._clock.monotonic()
            self._paused = True

    def resume(self) -> None:
        """Let the position move again."""
        with self._lock:
            self._anchor_time, self._paused = self._clock.monotonic(), False

    def stop(self) -> None:
        """Forget the song."""
        with self._lock:
            self._song = None

    def seek(self, position_s: float) -> None:
        """Jump."""
        with self._lock:
            self._anchor_pos, self._anchor_time = float(position_s), self._clock.monotonic()

    def apply_settings(self, settings: MixSettings) -> None:
        """Tempo changes the pace from now on."""
        with self._lock:
            self._anchor_pos, self._anchor_time = self._position(), self._clock.monotonic()
            self.settings = settings

    def set_volume(self, volume: float, muted: bool = False) -> None:
        """Remember the volume."""
        self.volume, self.muted = volume, muted

    def set_voice(self, mic: int, voice: VoiceSettings) -> None:
        """Remember mic ``mic``'s settings."""
        self.voices[mic] = voice

    def play_break_music(self) -> None:
        """Note that break music would play."""
        self.break_music = True

    def position_s(self) -> float:
        """Song seconds reached."""
        with self._lock:
            return self._position()

    def _position(self) -> float:
        if self._song is None:
            return 0.0
        if self._paused:
            return self._anchor_pos
        elapsed = self._clock.monotonic() - self._anchor_time
        return min(self._song.duration_s, self._anchor_pos + elapsed * self.settings.tempo_ratio)

    def poll(self) -> None:
        """Report the end of the song if it was reached (the thread calls this)."""
        with self._lock:
            song = self._song
            ended = song is not None and self._position() >= song.duration_s
            if ended:
                self._song = None
        if ended and self._listener is not None and song is not None:
            self._listener.on_song_ended(song.song_id)

    def report_failure(self, reason: str) -> None:
        """Report the song playing as broken, as an engine does on a corrupt stem (tests)."""
        with self._lock:
            song, self._song = self._song, None
        if song is not None and self._listener is not None:
            self._listener.on_song_failed(song.song_id, reason)

    def report_device_problem(self, message: str) -> None:
        """Report a sound device problem (``''``: fine again), as an engine does (tests)."""
        if self._listener is not None:
            self._listener.on_device_problem(message)

    def report_pitch(self, frames: tuple[PitchFrame, ...]) -> None:
        """Report what the mics' pitch trackers heard, as an engine does (tests)."""
        if self._listener is not None:
            self._listener.on_pitch_frames(frames)

    def report_mic_notice(self, mic: int, message: str) -> None:
        """Report a mic's state (a problem, or "" when fine), as an engine does (tests)."""
        if self._listener is not None:
            self._listener.on_mic_notice(mic, message)

    def report_audio_priority(self, description: str) -> None:
        """Report the audio thread's scheduling, as an engine does once it plays (tests)."""
        if self._listener is not None:
            self._listener.on_audio_priority(description)

    def start(self, period_s: float = 0.05) -> None:
        """Poll on a thread of its own (real time)."""
        thread = threading.Thread(target=self._run, args=(period_s,), daemon=True)
        thread.start()

    def _run(self, period_s: float) -> None:
        while not self._stop_thread.wait(period_s):
            self.poll()

    def close(self) -> None:
        """Stop the polling thread."""
        self._stop_thread.set()
