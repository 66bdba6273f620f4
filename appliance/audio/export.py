"""Offline renders through the same DSP code as the live engine: a custom backing track to
take home, and the reference the live path is tested against.

    >>> export_song(song, MixSettings(key_semitones=-2), Path("mine.flac"))  # doctest: +SKIP
    >>> export_song(song, settings, Path("best.wav"), quality="high")  # doctest: +SKIP

``quality="high"`` first renders every stem with the Rubber Band command line (R3 "finer",
offline, via pyrubberband): music stems at the new key and tempo, click and cue at the new tempo
only; then mixes them with the live chain minus the real-time stretcher.

Songs indexed in place (MP3+G zips, audio + LRC) are decoded first, in this process (an export
is offline work), into the transcode cache given (the state dir's, so a later play at night
finds it there), or into a throw-away folder when none is::

    >>> cache = TranscodeCache.in_state_dir(state_dir, max_mb=2048)  # doctest: +SKIP
    >>> export_song(zip_song, MixSettings(), Path("mine.flac"), cache=cache)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import soundfile as sf

from appliance.audio.dsp.meter import measure_loudness_lufs, with_measured_loudness
from appliance.audio.dsp.routing import Routing, make_routing
from appliance.audio.dsp.song_renderer import LOUDNESS_TARGET_LUFS, RenderOptions, SongRenderer
from appliance.audio.sources.locate import needs_transcode
from appliance.audio.sources.playable import playable_from_cache, transcode_song
from appliance.audio.sources.stems import SAMPLE_RATE
from appliance.audio.sources.transcode_cache import TranscodeCache
from appliance.core.errors import InvalidRequest, SongLoadError
from appliance.core.models import MixSettings, Song, Stem

FORMATS = {".wav": ("WAV", "FLOAT"), ".flac": ("FLAC", "PCM_24")}


def render_song(
    song: Song, settings: MixSettings, options: RenderOptions | None = None
) -> np.ndarray:
    """The whole song as the engine would play it: (frames, channels) float32."""
    renderer = SongRenderer(song, settings, options or RenderOptions())
    chunks = []
    try:
        while (chunk := renderer.render()) is not None:
            chunks.append(chunk[0])
    finally:
        renderer.close()
    channels = renderer.options.routing.channels
    return np.concatenate(chunks) if chunks else np.zeros((0, channels), np.float32)


def export_song(
    song: Song,
    settings: MixSettings,
    out: Path,
    *,
    quality: str = "live",
    engine_quality: str = "r3",
    routing: Routing | None = None,
    cache: TranscodeCache | None = None,
    loudness_target_lufs: float = LOUDNESS_TARGET_LUFS,
) -> Path:
    """Render ``song`` with ``settings`` into ``out`` (.wav float or .flac 24-bit); a song
    indexed in place is decoded into ``cache`` first (SongLoadError if it cannot be). A song
    never scanned (exported by folder path) is measured first, so it is normalised too."""
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise InvalidRequest("out", "the file must end in .wav or .flac")
    options = RenderOptions(
        quality=engine_quality,
        routing=routing or Routing("stereo", 2),
        loudness_target_lufs=loudness_target_lufs,
    )
    with decoded(song, cache) as playable:
        measured = with_measured_loudness(playable)
        if quality == "high":
            audio = _render_high_quality(measured, settings, options)
        else:
            audio = render_song(measured, settings, options)
    file_format, subtype = FORMATS[out.suffix.lower()]
    out.parent.mkdir(parents=True, exist_ok=True)
    with sf.SoundFile(out, "w", SAMPLE_RATE, audio.shape[1], subtype, format=file_format) as file:
        for start in range(0, len(audio), 65536):  # libsndfile dislikes one huge write
            file.write(audio[start : start + 65536])
    return out


@contextlib.contextmanager
def decoded(song: Song, cache: TranscodeCache | None = None) -> Iterator[Song]:
    """``song`` with stems the renderer can open: as it is for a native song, else pointing
    at its sources decoded to 48 kHz in ``cache`` (decoded now if not there yet), or in a
    temporary folder removed afterwards."""
    if not needs_transcode(song):
        yield song
        return
    with contextlib.ExitStack() as stack:
        if cache is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="karaoke-export-"))
            cache = TranscodeCache(folder, 1 << 62)
        playable = playable_from_cache(song, cache)  # SongLoadError: a source is missing
        if playable is None:
            transcode_song(song, cache, measure_loudness_lufs)
            playable = playable_from_cache(song, cache)
            cache.evict(keep=[stem.file for stem in playable.stems] if playable else [])
        if playable is None:
            raise SongLoadError(song.song_id, "the decoded audio is missing from the cache")
        yield playable


def _render_high_quality(song: Song, settings: MixSettings, options: RenderOptions) -> np.ndarray:
    folder = Path(tempfile.mkdtemp(prefix="karaoke-export-"))
    try:
        stems: list[Stem] = []
        for stem in song.stems:
            try:
                audio, rate = sf.read(Path(song.path) / stem.file, dtype="float32")
            except (sf.LibsndfileError, RuntimeError) as error:
                raise SongLoadError(song.song_id, f"stem {stem.file}: {error}") from error
            key = 0 if stem.role.is_monitor_only else settings.key_semitones
            stretched = _stretch_offline(audio, rate, key, settings.tempo_ratio)
            name = f"{len(stems):02d}.wav"
            sf.write(folder / name, stretched, rate, subtype="FLOAT")
            stems.append(dataclasses.replace(stem, file=str(folder / name)))  # any song kind
        rendered = dataclasses.replace(song, path=str(folder), stems=tuple(stems))
        options = dataclasses.replace(options, stretch=False)
        return render_song(rendered, settings, options)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _stretch_offline(audio: np.ndarray, rate: int, key: int, tempo: float) -> np.ndarray:
    """Rubber Band's R3 ("finer") offline, through its command line."""
    import pyrubberband

    if tempo != 1.0:
        arguments = {"--fine": "", "--pitch": key}
        return pyrubberband.time_stretch(audio, rate, tempo, arguments)
    if key != 0:
        return pyrubberband.pitch_shift(audio, rate, key, {"--fine": ""})
    return audio


def routing_for(layout: str) -> Routing:
    """A routing by name for offline renders ('stereo', 'split', 'four')."""
    return make_routing(layout, 4 if layout == "four" else 2)
