"""Synthesized instruments: drum kit, bass, electric piano, organ lead and click.

Every function returns a float32 mono array of samples at :data:`SR`; notes are cached, since a
song repeats the same chord tones many times. Noise is seeded, so the output is the same every
run::

    >>> len(kick()), bass_note(43, 4800).dtype
    (21600, dtype('float32'))
"""

from __future__ import annotations

from functools import cache, lru_cache

import numpy as np
from scipy import signal

from appliance.demosongs.theory import midi_to_hz

SR = 48_000


def _time(n: int) -> np.ndarray:
    return np.arange(n, dtype=np.float64) / SR


def white_noise(n: int, seed: int) -> np.ndarray:
    """``n`` samples of white noise, the same for the same ``seed``."""
    return np.random.default_rng(seed).standard_normal(n)


def filtered(x: np.ndarray, kind: str, hz: float | tuple[float, float]) -> np.ndarray:
    """``x`` through a 2nd-order Butterworth filter ('lowpass', 'highpass', 'bandpass')."""
    sos = signal.butter(2, hz, btype=kind, fs=SR, output="sos")
    return signal.sosfilt(sos, x)


def frozen(x: np.ndarray) -> np.ndarray:
    """``x`` as float32, read-only (cached samples are shared between notes)."""
    out = x.astype(np.float32)
    out.flags.writeable = False
    return out


def fades(n: int, attack_s: float, release_s: float) -> np.ndarray:
    """1.0 with a linear fade-in and a raised-cosine fade-out, ``n`` samples long."""
    env = np.ones(n)
    a = min(n, max(1, int(attack_s * SR)))
    env[:a] = np.linspace(0.0, 1.0, a, endpoint=False)
    r = min(n - a, int(release_s * SR))
    if r > 0:
        env[n - r :] *= 0.5 + 0.5 * np.cos(np.linspace(0.0, np.pi, r))
    return env


# --- drums -------------------------------------------------------------------------------------


@cache
def kick() -> np.ndarray:
    """A round kick: a sine falling from ~160 Hz to 48 Hz, with a soft beater click."""
    t = _time(int(0.45 * SR))
    freq = 48.0 + 110.0 * np.exp(-t / 0.035)
    body = np.sin(2 * np.pi * np.cumsum(freq) / SR) * np.exp(-t / 0.16)
    beater = filtered(white_noise(len(t), 11), "lowpass", 3000.0) * np.exp(-t / 0.004) * 0.35
    return frozen(np.tanh(1.6 * (body + beater)) / np.tanh(1.6) * fades(len(t), 0.0005, 0.08))


@cache
def snare() -> np.ndarray:
    """Snare: two drum-head tones plus band-passed noise for the wires."""
    t = _time(int(0.35 * SR))
    head = (np.sin(2 * np.pi * 185 * t) + 0.5 * np.sin(2 * np.pi * 330 * t)) * np.exp(-t / 0.06)
    wires = filtered(white_noise(len(t), 12), "bandpass", (1800.0, 9000.0)) * np.exp(-t / 0.11)
    return frozen((0.45 * head + 0.9 * wires / np.max(np.abs(wires))) * fades(len(t), 0.0005, 0.08))


@cache
def hihat(open_: bool = False) -> np.ndarray:
    """Closed (short) or open hi-hat: high-passed noise with a metallic ring."""
    t = _time(int((0.35 if open_ else 0.09) * SR))
    decay = 0.12 if open_ else 0.022
    ring = sum(np.sin(2 * np.pi * f * t) for f in (6120.0, 7473.0, 8810.0)) * 0.15
    noise = filtered(white_noise(len(t), 13 + open_), "highpass", 7000.0)
    return frozen(
        (noise / np.max(np.abs(noise)) + ring) * np.exp(-t / decay) * fades(len(t), 0.0005, 0.02)
    )


@cache
def crash() -> np.ndarray:
    """A crash cymbal: broadband high noise with a long decay."""
    t = _time(int(2.2 * SR))
    noise = filtered(white_noise(len(t), 14), "highpass", 3500.0)
    ring = sum(np.sin(2 * np.pi * f * t + f) for f in (3150.0, 4270.0, 5530.0, 6890.0)) * 0.05
    return frozen(
        (noise / np.max(np.abs(noise)) + ring) * np.exp(-t / 0.7) * fades(len(t), 0.001, 0.3)
    )


@cache
def sticks() -> np.ndarray:
    """Drumsticks clicked together (the count-in)."""
    t = _time(int(0.06 * SR))
    tone = np.sin(2 * np.pi * 2400 * t) + 0.6 * np.sin(2 * np.pi * 3900 * t)
    noise = filtered(white_noise(len(t), 15), "bandpass", (2000.0, 6000.0))
    tail = fades(len(t), 0.0005, 0.01)
    return frozen((0.6 * tone + 0.4 * noise / np.max(np.abs(noise))) * np.exp(-t / 0.008) * tail)


# --- pitched instruments -----------------------------------------------------------------------


@lru_cache(maxsize=4096)
def bass_note(midi: int, n: int, velocity: float = 1.0) -> np.ndarray:
    """A plucked electric bass: saw-like harmonics, the upper ones dying away faster."""
    t = _time(n)
    f0 = midi_to_hz(midi)
    wave = np.zeros(n)
    for k in range(1, 13):
        if k * f0 > 4000.0:
            break
        wave += np.sin(2 * np.pi * k * f0 * t) * np.exp(-t * (1.0 + 2.5 * k)) / k**1.2
    env = np.exp(-t / 1.4) * fades(n, 0.004, 0.03)
    return frozen(np.tanh(1.3 * wave * env) * velocity)


@lru_cache(maxsize=4096)
def piano_note(midi: int, n: int, velocity: float = 1.0) -> np.ndarray:
    """An electric piano (two-operator FM, like a tine piano): bright attack, mellow tail."""
    t = _time(n)
    f0 = midi_to_hz(midi)
    index = (1.4 * velocity) * np.exp(-t / 0.3) + 0.2
    tone = np.sin(2 * np.pi * f0 * t + index * np.sin(2 * np.pi * f0 * t))
    if 14 * f0 < 16000.0:
        tone += 0.12 * velocity * np.sin(2 * np.pi * 14 * f0 * t) * np.exp(-t / 0.04)
    decay = 1.8 * (261.6 / f0) ** 0.4
    env = np.exp(-t / decay) * fades(n, 0.002, 0.07)
    return frozen(tone * env * velocity)


@lru_cache(maxsize=1024)
def organ_note(midi: int, n: int) -> np.ndarray:
    """A drawbar organ lead for the instrumental melody, with a gentle vibrato."""
    t = _time(n)
    f0 = midi_to_hz(midi)
    vibrato = 1.0 + 0.003 * np.sin(2 * np.pi * 5.6 * t) * np.clip(t / 0.4, 0.0, 1.0)
    phase = 2 * np.pi * np.cumsum(f0 * vibrato) / SR
    drawbars = ((1, 1.0), (2, 0.55), (3, 0.35), (4, 0.25), (6, 0.12), (8, 0.08))
    tone = sum(level * np.sin(k * phase) for k, level in drawbars)
    return frozen(tone * fades(n, 0.015, 0.06) / 2.3)


@lru_cache(maxsize=4)
def click(accent: bool) -> np.ndarray:
    """Metronome click: a high blip on the downbeat, a lower one on the other beats."""
    t = _time(int(0.03 * SR))
    freq, level = (1600.0, 1.0) if accent else (1000.0, 0.6)
    return frozen(
        np.sin(2 * np.pi * freq * t) * np.exp(-t / 0.006) * level * fades(len(t), 0.0005, 0.01)
    )
