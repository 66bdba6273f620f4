"""Synthesized sung notes with vibrato: a harmonic voice with two formant bumps, vibrato easing in,
soft attacks and a little breath noise; the true pitch of every sample is known."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal

SR = 48000


@dataclass(frozen=True)
class SungNotes:
    """The voice (mono float32), the true MIDI pitch per sample (NaN between notes) and the notes
    sung as (start_s, duration_s, midi)."""

    audio: np.ndarray
    truth: np.ndarray
    notes: tuple[tuple[float, float, float], ...]


def sing_notes(
    notes: list[tuple[float, float, float]] | None = None,
    seconds: float = 20.0,
    seed: int = 1,
    vibrato_semitones: tuple[float, float] = (0.2, 0.5),
) -> SungNotes:
    """``notes`` (start_s, duration_s, midi) or random ones from MIDI 43 to 79 (G2 to G5)."""
    rng = np.random.default_rng(seed)
    if notes is None:
        notes, t = [], 0.2
        while t < seconds - 2.0:
            duration = float(rng.uniform(0.4, 1.5))
            notes.append((t, duration, float(rng.uniform(43, 79))))
            t += duration + float(rng.uniform(0.05, 0.3))
    n = int(seconds * SR)
    truth = np.full(n, np.nan)
    for start, duration, midi in notes:
        a, b = int(start * SR), min(n, int((start + duration) * SR))
        tt = np.arange(b - a) / SR
        depth, rate = rng.uniform(*vibrato_semitones), rng.uniform(4.5, 6.5)
        truth[a:b] = midi + depth * np.clip(tt / 0.25, 0, 1) * np.sin(2 * np.pi * rate * tt)
    voiced = ~np.isnan(truth)
    f0 = np.where(voiced, 440 * 2 ** ((np.nan_to_num(truth, nan=60.0) - 69) / 12), 0.0)
    phase = 2 * np.pi * np.cumsum(f0) / SR
    audio = np.zeros(n)
    for k in range(1, 25):
        fk = k * f0
        formants = 1 + 2 * np.exp(-(((fk - 700) / 300) ** 2)) + np.exp(-(((fk - 1200) / 400) ** 2))
        audio += np.where(fk < SR / 2 - 1000, formants / k**1.1, 0.0) * np.sin(k * phase)
    audio *= signal.lfilter([0.01], [1, -0.99], voiced.astype(float))  # soft attack and release
    audio += rng.normal(0, 0.003, n)
    audio = 0.25 * audio / np.max(np.abs(audio))
    return SungNotes(audio.astype(np.float32), truth, tuple(notes))


def cents_errors(
    estimates: list[tuple[float, float | None]], truth: np.ndarray
) -> tuple[np.ndarray, float, float]:
    """Octave-folded errors in cents of the voiced estimates inside notes, the share of in-note
    estimates that were voiced, and the share of out-of-note estimates that were voiced."""
    times = np.array([t for t, _ in estimates])
    est = np.array([np.nan if m is None else m for _, m in estimates])
    true = truth[np.clip((times * SR).astype(int), 0, len(truth) - 1)]
    inside = ~np.isnan(true)
    voiced = inside & ~np.isnan(est)
    diff = est[voiced] - true[voiced]
    folded = np.abs((diff + 6) % 12 - 6) * 100
    recall = voiced.sum() / max(1, inside.sum())
    false_voiced = float(np.mean(~np.isnan(est[~inside]))) if (~inside).any() else 0.0
    return folded, float(recall), false_voiced
