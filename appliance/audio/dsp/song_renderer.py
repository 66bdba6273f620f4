"""The DSP chain of one song, chunk by chunk; shared by the live engine and the offline export.

stems (lock-step reads) -> per-stem gains (ramped) -> music bus and monitor bus (click + cue)
-> music: one real-time Rubber Band stretcher for key and tempo; monitor: tempo only, same
latency, so the click stays in time and in tune -> routing -> loudness gain -> a limiter per
output pair.
With ``Routing.guide_in_ears`` the guide vocal (``lead_vocal`` stems) is also mixed a second
time at its own level, whatever the guide level, through a stretcher of its own at the music's
key and tempo, and added to the monitor outputs::

    >>> options = RenderOptions(quality="r2")  # doctest: +SKIP
    >>> renderer = SongRenderer(song, MixSettings(key_semitones=2), options)  # doctest: +SKIP
    >>> while (chunk := renderer.render()) is not None:  # doctest: +SKIP
    ...     frames, positions_s = chunk

``positions_s`` holds, per output frame, the song position (source seconds) it came from: the
engine publishes it for the lyrics, whatever the tempo.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from appliance.audio.dsp.bus_stretch import BusStretching, Job
from appliance.audio.dsp.click_stretch import ClickStretch
from appliance.audio.dsp.gains import StemGains
from appliance.audio.dsp.limiter import OutputLimiters
from appliance.audio.dsp.routing import Routing, route
from appliance.audio.dsp.rubberband import Stretcher
from appliance.audio.dsp.vocals import MixStemProcessor
from appliance.audio.sources.stems import SAMPLE_RATE, StemSet
from appliance.core.models import MixSettings, Song, StemRole

CHUNK_FRAMES = 1024
LOUDNESS_TARGET_LUFS = -16.0
LOUDNESS_GAIN_RANGE_DB = (-24.0, 6.0)
FADE_IN_FRAMES = 240
STEREO = Routing("stereo", 2)


@dataclass(frozen=True)
class RenderOptions:
    """How to render: engine quality, output routing, loudness normalisation, bus level."""

    quality: str = "r3"
    routing: Routing = STEREO
    normalize_loudness: bool = True
    level: float = 1.0
    chunk_frames: int = CHUNK_FRAMES
    stretch: bool = True  # False: stems already at key and tempo (a high-quality pre-render)
    loudness_target_lufs: float = LOUDNESS_TARGET_LUFS  # [audio] loudness_target_lufs
    # A bus of click stems at tempo != 1: "move" each click (ClickStretch, 0.0x the cost of a
    # stretcher) or "rubberband" (the path before issue 17's cut, kept for the bench's A/B).
    click_stretch: str = "move"


def heard_loudness_lufs(song: Song, guide_level: float) -> float | None:
    """The loudness of the room mix with the guide at ``guide_level``: the measured mix
    without the guide plus the guide's share at that level (powers add), or the whole mix's
    when the song has no guide stem (None when not measured)."""
    full, bare = song.loudness_lufs, song.loudness_no_guide_lufs
    if full is None or bare is None:
        return full
    guide_power = max(0.0, 10 ** (full / 10) - 10 ** (bare / 10))
    return 10 * math.log10(10 ** (bare / 10) + guide_level**2 * guide_power)


def loudness_gain(song: Song, options: RenderOptions, guide_level: float = 1.0) -> float:
    """Linear gain bringing what is heard at ``guide_level`` to the loudness target (the
    bus level alone when the song was not measured)."""
    heard = heard_loudness_lufs(song, guide_level)
    if not options.normalize_loudness or heard is None:
        return options.level
    low, high = LOUDNESS_GAIN_RANGE_DB
    gain_db = max(low, min(high, options.loudness_target_lufs - heard))
    return options.level * 10 ** (gain_db / 20)


class SongRenderer:
    """Renders one song; settings and position may change between chunks."""

    def __init__(
        self, song: Song, settings: MixSettings, options: RenderOptions, start_s: float = 0.0
    ) -> None:
        self.song, self.options = song, options
        self.stems = StemSet.open(song)
        self.gains = StemGains(song.stems, settings)
        self.mix_stem = MixStemProcessor(song, settings)
        roles = [stem.role.is_monitor_only for stem in song.stems]
        self._monitor_mask = np.array(roles, bool)
        self._music_mask = ~self._monitor_mask
        self._music_gain = loudness_gain(song, options, settings.guide_level)
        self.music_stretcher: Stretcher | None = None
        self.monitor_stretcher: Stretcher | ClickStretch | None = None
        if options.stretch:
            self.music_stretcher = Stretcher(SAMPLE_RATE, 2, quality=options.quality)
        self._uses_monitor = bool(self._monitor_mask.any() and options.routing.uses_monitor)
        if self._uses_monitor and options.stretch:
            channels = 1 if self._mono_bus(self._monitor_mask) else 2
            if options.click_stretch == "move" and self._clicks_only(self._monitor_mask):
                self.monitor_stretcher = ClickStretch(channels)
            else:
                self.monitor_stretcher = Stretcher(SAMPLE_RATE, channels, quality=options.quality)
        self._ears_mask = np.array([s.role is StemRole.LEAD_VOCAL for s in song.stems], bool)
        self._ears = bool(options.routing.guide_in_ears and self._ears_mask.any())
        self.ears_gains = StemGains(song.stems, _full_guide(settings)) if self._ears else None
        self.ears_stretcher: Stretcher | None = None
        if self._ears and options.stretch:
            channels = 1 if self._mono_bus(self._ears_mask) else 2
            self.ears_stretcher = Stretcher(SAMPLE_RATE, channels, quality=options.quality)
        self.limiter = OutputLimiters(options.routing.limiter_groups)
        self._buses = BusStretching()
        self._drop = 0
        self.settings = settings
        self._configure(settings)
        self.seek(start_s)

    def _mono_bus(self, mask: np.ndarray) -> bool:
        """True when the bus of the stems in ``mask`` has the same left and right, always: every
        one is a mono file at pan 0. Such a bus is stretched as one channel and copied to both,
        which is exact (Rubber Band gives a stereo stretcher's identical channels the same
        output as a mono one, bit for bit) and costs 40% of a stereo stretcher (R3 short)."""
        channels, stems = self.stems.channels, self.song.stems
        chosen = [index for index, used in enumerate(mask) if used]
        return all(channels[i] == 1 and stems[i].pan == 0.0 for i in chosen)

    def _clicks_only(self, mask: np.ndarray) -> bool:
        """True when every stem of the bus is a click (short sounds between silences, which
        ClickStretch moves exactly); a cue stem (speech) needs a real stretcher."""
        stems = self.song.stems
        return all(stems[index].role is StemRole.CLICK for index in np.flatnonzero(mask))

    @property
    def tempo(self) -> float:
        """The tempo ratio the output runs at (1.0 when pre-rendered)."""
        return self.settings.tempo_ratio if self.options.stretch else 1.0

    def _stretchers(self) -> list[Stretcher | ClickStretch]:
        stretchers = (self.music_stretcher, self.monitor_stretcher, self.ears_stretcher)
        return [s for s in stretchers if s is not None]

    def _active_stretchers(self) -> list[Stretcher | ClickStretch]:
        return [
            stretcher
            for stretcher, active in (
                (self.music_stretcher, self._stretch_music),
                (self.monitor_stretcher, self._stretch_monitor),
                (self.ears_stretcher, self._stretch_music),
            )
            if stretcher is not None and active
        ]

    def _configure(self, settings: MixSettings) -> None:
        """Which bus goes through its stretcher, and at what key and tempo (then a restart).

        A bus that needs no change passes through untouched: the music at key 0 and tempo 1,
        click and cue at tempo 1. Rubber Band drops its start delay, so a stretched bus and a
        passed-through one stay sample-aligned."""
        key, tempo = settings.key_semitones, settings.tempo_ratio
        self._stretch_music = self.music_stretcher is not None and (key != 0 or tempo != 1.0)
        self._stretch_monitor = self.monitor_stretcher is not None and tempo != 1.0
        for stretcher in (self.music_stretcher, self.ears_stretcher):
            if stretcher is not None:
                stretcher.set_key(key)
        for bus in self._stretchers():
            bus.set_tempo(tempo)

    def apply_settings(self, settings: MixSettings) -> None:
        """New settings from the next chunk on: gains ramp; a new key or tempo restarts the
        stretchers where the song is (the live engine splices instead, see restart_at)."""
        retune = (settings.key_semitones, settings.tempo_ratio) != (
            self.settings.key_semitones,
            self.settings.tempo_ratio,
        )
        self.gains.set_settings(settings)
        if self.ears_gains is not None:
            self.ears_gains.set_settings(_full_guide(settings))
        self.mix_stem.set_share(settings, ramp=True)
        retune = self.mix_stem.set_reduction(settings) or retune
        self.settings = settings
        if retune:
            self._configure(settings)
            self.seek(self.position_s)

    def restart_at(self, position_s: float, settings: MixSettings) -> None:
        """Render again from ``position_s`` with ``settings`` at once (no ramp, no fade in):
        the first frame rendered next is exactly the one heard at ``position_s``. The engine
        crossfades from what it had queued into this (a live key change)."""
        self.gains.jump_to(settings)
        if self.ears_gains is not None:
            self.ears_gains.jump_to(_full_guide(settings))
        self.mix_stem.set_share(settings, ramp=False)
        self.mix_stem.set_reduction(settings)
        self.settings = settings
        self._configure(settings)
        self.seek(position_s)
        self.limiter.reset()
        self._drop = self.limiter.latency_frames
        self._fade_in_done = FADE_IN_FRAMES

    def seek(self, position_s: float) -> None:
        """Continue from ``position_s`` song seconds (stretchers restart, a short fade in)."""
        frame = min(round(max(0.0, position_s) * SAMPLE_RATE), self.stems.length_frames)
        self.stems.seek(self.mix_stem.restart(frame))  # earlier with vocal reduction
        self._source_clock = float(frame)
        for stretcher in self._active_stretchers():
            stretcher.reset()
        self._pending_music = np.zeros((0, 2), np.float32)
        self._pending_monitor = np.zeros((0, 2), np.float32)
        self._pending_ears = np.zeros((0, 2), np.float32)
        self._fed_final = False
        self._fade_in_done = 0
        self._drop = 0

    @property
    def position_s(self) -> float:
        """Song seconds of the next frame to be rendered."""
        return self._source_clock / SAMPLE_RATE

    @property
    def finished(self) -> bool:
        """True when the whole song has been rendered."""
        return self._source_clock >= self.stems.length_frames - 0.5

    def render(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The next output chunk and its source positions (s), or None at the end."""
        while not self.finished:
            frames = self._take_ready()
            if frames is not None:
                return frames
            if self._fed_final:
                self._source_clock = float(self.stems.length_frames)
                break
            self._feed_chunk()
        return None

    def _feed_chunk(self) -> None:
        block = self.stems.read(self.options.chunk_frames)
        final = self.stems.position_frames >= self.stems.length_frames
        block = self.mix_stem.process(block, final)
        if not len(block) and not final:  # all of it before the position (after a seek)
            return
        music, monitor = self.gains.mix(block, [self._music_mask, self._monitor_mask])
        music *= np.float32(self._music_gain)
        jobs: list[Job] = [(self.music_stretcher if self._stretch_music else None, music)]
        if self._uses_monitor:
            jobs.append((self.monitor_stretcher if self._stretch_monitor else None, monitor))
        if self.ears_gains is not None:
            (guide,) = self.ears_gains.mix(block, [self._ears_mask])
            guide *= np.float32(self._music_gain)
            jobs.append((self.ears_stretcher if self._stretch_music else None, guide))
        stretched = self._buses.stretch(jobs, final=final)
        self._pending_music = _append(self._pending_music, stretched[0])
        if self._uses_monitor:
            self._pending_monitor = _append(self._pending_monitor, stretched[1])
        if self.ears_gains is not None:
            self._pending_ears = _append(self._pending_ears, stretched[-1])
        self._fed_final = final

    def _take_ready(self) -> tuple[np.ndarray, np.ndarray] | None:
        count = len(self._pending_music)
        if self._uses_monitor:
            count = min(count, len(self._pending_monitor))
        if self._ears:
            count = min(count, len(self._pending_ears))
        tempo = self.tempo
        left = int(np.ceil((self.stems.length_frames - self._source_clock) / tempo - 1e-6))
        count = min(count, max(left, 0))
        if count <= 0:
            return None
        music, self._pending_music = self._pending_music[:count], self._pending_music[count:]
        monitor = np.zeros_like(music)
        if self._uses_monitor:
            monitor = self._pending_monitor[:count]
            self._pending_monitor = self._pending_monitor[count:]
        if self._ears:
            monitor = monitor + self._pending_ears[:count]
            self._pending_ears = self._pending_ears[count:]
        out = route(music, monitor, self.options.routing)
        self._fade_in(out)
        delay = self.limiter.latency_frames * tempo
        positions = (self._source_clock - delay + np.arange(count) * tempo) / SAMPLE_RATE
        self._source_clock += count * tempo
        limited = self.limiter.process(out)
        if self._drop:  # the limiter's delay line after a restart_at: not audio of this song
            dropped = min(self._drop, count)
            self._drop -= dropped
            limited, positions = limited[dropped:], positions[dropped:]
            if not len(limited):
                return self._take_ready()
        return limited, positions

    def _fade_in(self, out: np.ndarray) -> None:
        if self._fade_in_done >= FADE_IN_FRAMES:
            return
        steps = np.arange(self._fade_in_done, self._fade_in_done + len(out)) + 1
        out *= np.minimum(1.0, steps / FADE_IN_FRAMES).astype(np.float32)[:, None]
        self._fade_in_done += len(out)

    def close(self) -> None:
        """Close files and free the stretchers."""
        self.stems.close()
        self._buses.close()
        for stretcher in self._stretchers():
            stretcher.close()


def _full_guide(settings: MixSettings) -> MixSettings:
    """The settings of the in-ear guide: the guide at its own level (mute still mutes)."""
    return replace(settings, guide_level=1.0)


def _append(pending: np.ndarray, new: np.ndarray) -> np.ndarray:
    return np.concatenate([pending, new]) if len(pending) else new
