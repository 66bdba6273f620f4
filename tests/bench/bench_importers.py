"""Import speed: a song-length KAR (8 channels, 3 minutes) rendered to stems, and a 3-minute
44.1 kHz UltraStar song resampled to 48 kHz FLAC.

    .venv/bin/python tests/bench/bench_importers.py

Prints the wall time as a ratio to the song's length (1.0 = as long as the song), and the KAR's
per-stem FluidSynth renders against one render of the whole file (the baseline, same run).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mido

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from appliance.importers import import_paths
from appliance.library.formats.fluidsynth import find_soundfont
from tests.support.importer_songs import build_ultrastar, write_tone

SONG_S = 180.0
TICKS = 480
TEMPO_US = 500_000
# (channel, program, notes per beat, pitch base): melody, bass, piano, guitar, strings, brass,
# pad, drums
PARTS = ((0, 73, 1, 67), (1, 33, 2, 36), (2, 0, 4, 60), (3, 25, 2, 52), (4, 48, 1, 64),
         (5, 61, 1, 70), (6, 89, 1, 55), (9, 0, 4, 36))  # fmt: skip


def long_kar(path: Path) -> Path:
    """A KAR of ``SONG_S`` seconds: every part playing throughout, lyrics on the melody."""
    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS)
    beats = int(SONG_S * 1e6 / TEMPO_US)
    conductor = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=TEMPO_US)])
    words = mido.MidiTrack([mido.MetaMessage("track_name", name="Words")])
    for beat in range(beats):
        text = ("/" if beat % 8 == 0 else "") + f"la{beat % 8} "
        words.append(mido.MetaMessage("lyrics", text=text, time=0 if beat == 0 else TICKS))
    midi.tracks += [conductor, words]
    for channel, program, per_beat, base in PARTS:
        track = mido.MidiTrack([mido.Message("program_change", channel=channel, program=program)])
        step = TICKS // per_beat
        for index in range(beats * per_beat):
            note = base + (index * 5) % 12 if channel != 9 else (36, 42, 38, 42)[index % 4]
            track.append(mido.Message("note_on", channel=channel, note=note, velocity=90))
            track.append(mido.Message("note_off", channel=channel, note=note, time=step))
        midi.tracks.append(track)
    midi.save(path)
    return path


def timed(action) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        kar = long_kar(base / "long.kar")
        whole = base / "whole.wav"
        command = ["fluidsynth", "-n", "-i", "-q", "-r", "48000", "-F", str(whole)]
        command += ["-T", "wav", "-O", "float", str(find_soundfont()), str(kar)]
        baseline = timed(lambda: subprocess.run(command, check=True, capture_output=True))
        kar_s = timed(lambda: import_paths([kar], base / "songs"))
        song = next((base / "songs").iterdir())
        stems = len(list(song.glob("*.flac")))
        print(f"KAR {SONG_S:.0f} s, {len(PARTS)} channels -> {stems} stems")
        print(f"  whole-file FluidSynth render (baseline): {baseline / SONG_S:.3f} of song length")
        print(f"  karaoke import (split, render, FLAC):    {kar_s / SONG_S:.3f} of song length")
        print(f"  import / baseline:                       {kar_s / baseline:.1f}x")
        folder = base / "ultrastar" / "Long"
        txt = build_ultrastar(folder)
        write_tone(folder / "tone.wav", SONG_S, 44_100, 440.0)
        us_s = timed(lambda: import_paths([txt], base / "songs2"))
        print(
            f"UltraStar {SONG_S:.0f} s 44.1 kHz WAV -> 48 kHz FLAC: {us_s / SONG_S:.4f} of length"
        )


if __name__ == "__main__":
    main()
