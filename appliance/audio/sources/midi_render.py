"""A KAR (or any MIDI file) not imported, rendered whole by FluidSynth into the transcode cache,
so it plays in place like an MP3+G song: one "mix" stem, 48 kHz 16-bit FLAC, peak at -1 dBFS.

    >>> is_midi(SourceRef("/usb/Artist - Title.kar"))
    True
    >>> render_midi_source(SourceRef("/usb/a.kar"), "/cache/x.flac", "a")  # doctest: +SKIP
    7200000

Runs in the transcoder's process (:mod:`playable`). Without FluidSynth or a SoundFont the
SongLoadError says what to install, and how to import the song on another machine instead.
"""

from __future__ import annotations

import contextlib
import os
import shlex
from pathlib import Path

import numpy as np
import soundfile as sf

from appliance.audio.sources.locate import SAMPLE_RATE, SourceRef
from appliance.core.errors import ConversionFailed, SongLoadError, ToolMissing
from appliance.library.formats.fluidsynth import find_fluidsynth, find_soundfont, render_midi

MIDI_EXTENSIONS = (".kar", ".mid", ".midi")
PEAK = 10 ** (-1 / 20)  # -1 dBFS
BLOCK_FRAMES = 65536


def is_midi(ref: SourceRef) -> bool:
    """True for a MIDI file on disk (KAR files are MIDI files)."""
    return not ref.member and ref.path.lower().endswith(MIDI_EXTENSIONS)


def render_midi_source(ref: SourceRef, dest: str, song_id: str) -> int:
    """Render ``ref`` with FluidSynth into ``dest`` (FLAC); frames written."""
    try:
        program, soundfont = find_fluidsynth(), find_soundfont()
    except ToolMissing as error:
        command = f"karaoke import {shlex.quote(ref.path)}"
        reason = f"{ref.name} is MIDI music: {error}; or import it where FluidSynth is ({command})"
        raise SongLoadError(song_id, reason) from None
    wav = Path(f"{dest}.render.wav")
    try:
        render_midi(program, soundfont, Path(ref.path), wav)
        return _write_flac(wav, dest, ref, song_id)
    except ConversionFailed as error:
        raise SongLoadError(song_id, f"{ref.name}: {error}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(wav)


def _write_flac(wav: Path, dest: str, ref: SourceRef, song_id: str) -> int:
    """The float WAV FluidSynth wrote, scaled so its peak is -1 dBFS, as 16-bit FLAC."""
    with sf.SoundFile(str(wav)) as sound:
        if sound.samplerate != SAMPLE_RATE or sound.frames == 0:
            raise SongLoadError(song_id, f"{ref.name}: the synthesizer rendered no music")
        peak = max(
            (float(np.max(np.abs(block))) for block in sound.blocks(BLOCK_FRAMES, dtype="float32")),
            default=0.0,
        )
        if peak <= 0.0:
            raise SongLoadError(song_id, f"{ref.name}: the synthesizer rendered only silence")
        gain = PEAK / peak
        sound.seek(0)
        channels = min(2, sound.channels)
        written = 0
        with sf.SoundFile(dest, "w", SAMPLE_RATE, channels, "PCM_16", format="FLAC") as out:
            for block in sound.blocks(BLOCK_FRAMES, dtype="float32", always_2d=True):
                out.write(block[:, :channels] * gain)
                written += len(block)
    return written
