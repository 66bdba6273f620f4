"""Synthesized test songs for the engine: every stem's content (tone, level, clicks) is known.

song = make_song(tmp_path / "tones", {"keys": ("keys", tone(440, 3.0))})
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import soundfile as sf

from appliance.library.songfolder.manifest import read_manifest, write_manifest

RATE = 48_000


def tone(freq: float, seconds: float, level: float = 0.3, stereo: bool = True) -> np.ndarray:
    """A sine with 10 ms fades (n x 2, or n for mono)."""
    t = np.arange(int(seconds * RATE)) / RATE
    signal = level * np.sin(2 * np.pi * freq * t)
    fade = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.01)
    signal = (signal * fade).astype(np.float32)
    return np.stack([signal, signal], axis=1) if stereo else signal


def clicks(seconds: float, every_s: float = 0.5, level: float = 0.5) -> np.ndarray:
    """A click track: 5 ms bursts of 2 kHz every ``every_s`` (n x 2)."""
    out = np.zeros(int(seconds * RATE), np.float32)
    burst = level * np.sin(2 * np.pi * 2000 * np.arange(240) / RATE)
    for start in range(0, len(out) - 240, int(every_s * RATE)):
        out[start : start + 240] = burst
    return np.stack([out, out], axis=1)


def music(seconds: float, seed: int = 1, level: float = 0.2) -> np.ndarray:
    """A little chord progression with some noise: music-like, deterministic (n x 2)."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    out = np.zeros_like(t)
    for index, freq in enumerate((220.0, 277.2, 329.6, 392.0)):
        out += np.sin(2 * np.pi * freq * t + index) * (
            0.5 + 0.5 * np.sin(2 * np.pi * t * (index + 1) / 3)
        )
    out = level * out / 4 + 0.01 * rng.standard_normal(len(t))
    fade = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.01)
    mono = (out * fade).astype(np.float32)
    return np.stack([mono, np.roll(mono, 7)], axis=1)


def make_song(
    folder: Path, stems: dict[str, tuple[str, np.ndarray]], *, loudness: float | None = None
) -> object:
    """Write FLAC stems and a song.toml into ``folder``; return the Song."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    duration = 0.0
    for name, (role, data) in stems.items():
        sf.write(folder / f"{name}.flac", data, RATE, subtype="PCM_24")
        entries.append({"name": name, "file": f"{name}.flac", "role": role})
        duration = max(duration, len(data) / RATE)
    fields: dict[str, object] = {
        "title": folder.name,
        "artist": "Test",
        "duration_s": round(duration, 3),
        "stems": entries,
    }
    if loudness is not None:
        fields["loudness_lufs"] = loudness
    write_manifest(folder, fields)
    return read_manifest(folder)


def eight_stems(folder: Path, seconds: float, *, mono_click: bool = False) -> object:
    """The engine's test song: six music stems, a lead vocal and a click (benches, paced runs);
    with ``mono_click`` the click is a mono file (the engine stretches it as one channel)."""
    stems = {f"part{i}": ("other", music(seconds, seed=i, level=0.05)) for i in range(6)}
    stems["vox"] = ("lead_vocal", tone(523, seconds, 0.1))
    stems["click"] = ("click", clicks(seconds)[:, 0] if mono_click else clicks(seconds))
    return make_song(folder, stems)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_frequency(signal: np.ndarray, rate: int = RATE) -> float:
    """The strongest frequency of a mono signal, interpolated between FFT bins."""
    windowed = signal * np.hanning(len(signal))
    spectrum = np.abs(np.fft.rfft(windowed))
    k = int(np.argmax(spectrum[1:-1])) + 1
    a, b, c = np.log(spectrum[k - 1 : k + 2] + 1e-20)
    shift = 0.5 * (a - c) / (a - 2 * b + c)
    return (k + shift) * rate / len(signal)


def cents(ratio: float) -> float:
    """A frequency ratio in cents."""
    return 1200.0 * float(np.log2(ratio))


def rms_db(signal: np.ndarray) -> float:
    """RMS level in dB (floor -200)."""
    return 20 * float(np.log10(np.sqrt(np.mean(np.square(signal, dtype=np.float64))) + 1e-10))
