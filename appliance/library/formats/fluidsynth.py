"""Render MIDI files to 48 kHz WAV with FluidSynth's command line (fast render, no audio driver).

Debian's ``fluidsynth`` and ``fluid-soundfont-gm`` (installed by scripts/setup.sh) are enough::

    soundfont = find_soundfont()            # /usr/share/sounds/sf2/FluidR3_GM.sf2
    render_midi_files({"drums": Path("drums.mid")}, soundfont, out_folder)
    # -> {"drums": out_folder / "drums.wav"} (stereo float WAV, 48 kHz)

Several files are rendered at once, one process per CPU core. A missing program or SoundFont
raises :class:`ToolMissing`; a failed render :class:`ConversionFailed`. Used by the KAR
importer (one stem per instrument group) and by the audio adapter's transcoder (a KAR not
imported, rendered whole into the transcode cache: ``appliance/audio/sources/midi_render.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from appliance.core.errors import ConversionFailed, ToolMissing

SAMPLE_RATE = 48_000
SOUNDFONT_FOLDERS = (
    "/usr/share/sounds/sf2",
    "/usr/share/soundfonts",
    "/usr/local/share/soundfonts",
)
PREFERRED_SOUNDFONTS = ("FluidR3_GM.sf2", "default-GM.sf2", "TimGM6mb.sf2")
RENDER_TIMEOUT_S = 1800
SYNTH_GAIN = 0.4
INSTALL_HINT = "install Debian's fluidsynth and fluid-soundfont-gm (scripts/setup.sh does)"


def find_fluidsynth() -> str:
    """The path of the ``fluidsynth`` program."""
    program = shutil.which("fluidsynth")
    if not program:
        raise ToolMissing(f"FluidSynth is not installed: {INSTALL_HINT}")
    return program


def find_soundfont(folders: tuple[str, ...] = SOUNDFONT_FOLDERS) -> Path:
    """A General MIDI SoundFont: FluidR3_GM first, else any ``.sf2`` found in ``folders``."""
    found: list[Path] = []
    for folder in folders:
        base = Path(folder)
        if base.is_dir():
            found.extend(sorted(p for p in base.glob("*.sf2") if p.is_file()))
    for name in PREFERRED_SOUNDFONTS:
        for path in found:
            if path.name == name:
                return path
    if found:
        return found[0]
    raise ToolMissing(f"no General MIDI SoundFont (.sf2) in {', '.join(folders)}: {INSTALL_HINT}")


def render_command(program: str, soundfont: Path, midi: Path, wav: Path) -> list[str]:
    """The FluidSynth command line rendering ``midi`` into a float WAV at 48 kHz."""
    return [
        program,
        "-n",  # no MIDI input driver
        "-i",  # no interactive shell
        "-q",
        "-o", "synth.dynamic-sample-loading=1",  # only the samples used: ~60 MB, not ~175
        "-g", str(SYNTH_GAIN),
        "-r", str(SAMPLE_RATE),
        "-F", str(wav),
        "-T", "wav",
        "-O", "float",
        str(soundfont),
        str(midi),
    ]  # fmt: skip


def render_midi(program: str, soundfont: Path, midi: Path, wav: Path) -> Path:
    """Render one MIDI file; ConversionFailed when FluidSynth fails or writes nothing."""
    command = render_command(program, soundfont, midi, wav)
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=RENDER_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise ConversionFailed(
            f"FluidSynth took over {RENDER_TIMEOUT_S} s on {midi.name}"
        ) from error
    if result.returncode != 0 or not wav.is_file() or wav.stat().st_size <= 44:
        detail = (result.stderr or result.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit status {result.returncode}"
        raise ConversionFailed(f"FluidSynth could not render {midi.name}: {reason}")
    return wav


def render_midi_files(
    midi_files: Mapping[str, Path], soundfont: Path, out_folder: Path, workers: int | None = None
) -> dict[str, Path]:
    """Render each named MIDI file to ``out_folder/<name>.wav``, in parallel."""
    program = find_fluidsynth()
    workers = workers or max(1, min(len(midi_files), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            name: pool.submit(render_midi, program, soundfont, midi, out_folder / f"{name}.wav")
            for name, midi in midi_files.items()
        }
        return {name: future.result() for name, future in futures.items()}
