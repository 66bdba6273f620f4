"""Sung voices: the lead guide vocal and the backing "ooh" pads (additive formant synthesis).

Each harmonic of the voice gets the level a vowel's formants give it. The lead's pitch is held
exactly on each note (no glides); long notes get a symmetric vibrato, so the mean pitch over
the middle of a note is the note's pitch::

    >>> vowel_of("grace"), vowel_of("sweet"), vowel_of("Su"), vowel_of("sound")
    ('e', 'i', 'u', 'a')
    >>> amps = harmonic_levels(220.0, "a")
    >>> round(float((amps ** 2).sum()), 6)
    1.0
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from appliance.demosongs.instruments import SR, fades, filtered, frozen, white_noise
from appliance.demosongs.theory import midi_to_hz
from appliance.library.formats.lyrics import Note

FORMANTS = {  # F1, F2, F3 in Hz
    "a": (750.0, 1150.0, 2450.0),
    "e": (520.0, 1800.0, 2500.0),
    "i": (300.0, 2250.0, 3000.0),
    "o": (560.0, 850.0, 2400.0),
    "u": (330.0, 850.0, 2250.0),
    "@": (520.0, 1450.0, 2500.0),
}
_BANDWIDTHS = (90.0, 120.0, 170.0)
_WEIGHTS = (1.0, 0.55, 0.25)
_DIGRAPHS = (("oo", "u"), ("ou", "a"), ("ow", "a"), ("ee", "i"), ("ea", "i"), ("ai", "e"),
             ("ay", "e"), ("oa", "o"), ("igh", "a"), ("ie", "a"))  # fmt: skip
_SINGLE = {"a": "a", "e": "e", "i": "i", "o": "o", "u": "u", "y": "i"}
VIBRATO_HZ = 5.3
VIBRATO_CENTS = 18.0
VIBRATO_MIN_S = 0.6
_VOICELESS = set("stkpfhc")


def vowel_of(syllable: str) -> str:
    """The vowel a syllable is sung on (a rough English spelling rule is enough here)."""
    word = "".join(ch for ch in syllable.lower() if ch.isalpha())
    long_vowel = re.fullmatch(r"[^aeiou]*([aiou])[^aeiouy]e", word)
    if long_vowel:  # "grace", "shine", "home", "tune": the silent e makes the vowel long
        return {"a": "e", "i": "a", "o": "o", "u": "u"}[long_vowel.group(1)]
    hits = [(word.find(d), 0, v) for d, v in _DIGRAPHS if d in word]
    hits += [(word.find(c), 1, v) for c, v in _SINGLE.items() if c in word]
    return min(hits)[2] if hits else "@"


def harmonic_levels(f0: float, vowel: str, max_hz: float = 5000.0, tilt: float = 1.0):
    """Levels of harmonics 1..K (unit total power) of a voice singing ``vowel`` at ``f0``."""
    k = np.arange(1, int(max_hz // f0) + 1)
    freq = k * f0
    envelope = sum(
        w / (1.0 + ((freq - fc) / bw) ** 2)
        for fc, bw, w in zip(FORMANTS[vowel], _BANDWIDTHS, _WEIGHTS, strict=True)
    )
    levels = k.astype(float) ** -tilt * (0.12 + envelope)
    return levels / np.sqrt(np.sum(levels**2))


def _touching(notes: tuple[Note, ...]) -> list[list[Note]]:
    groups: list[list[Note]] = []
    for note in notes:
        if groups and abs(note.start_s - groups[-1][-1].end_s) < 1e-6:
            groups[-1].append(note)
        else:
            groups.append([note])
    return groups


def _vibrato(n: int) -> np.ndarray:
    """Pitch factor of a long note: flat for 0.2 s, then a sine whose depth eases in."""
    t = np.arange(n) / SR
    if n < VIBRATO_MIN_S * SR:
        return np.ones(n)
    depth = VIBRATO_CENTS * np.clip((t - 0.2) / 0.25, 0.0, 1.0)
    return 2.0 ** (depth * np.sin(2 * np.pi * VIBRATO_HZ * (t - 0.2)) / 1200.0)


def _phrase_envelope(bounds: list[tuple[int, int]]) -> np.ndarray:
    """Level of a phrase: fade in, a short dip at each syllable change, fade out."""
    env = fades(bounds[-1][1], 0.04, 0.08)
    dip = int(0.018 * SR)
    shape = 1.0 - 0.55 * np.sin(np.linspace(0.0, np.pi, 2 * dip)) ** 2
    for start, _ in bounds[1:]:
        env[start - dip : start + dip] *= shape
    return env


@lru_cache(maxsize=1)
def _consonant() -> np.ndarray:
    t = np.arange(int(0.045 * SR)) / SR
    burst = filtered(white_noise(len(t), 21), "bandpass", (2500.0, 9000.0))
    return burst / np.max(np.abs(burst)) * np.exp(-t / 0.012)


def render_lead(notes: tuple[Note, ...], total: int) -> np.ndarray:
    """The guide vocal (mono) of ``notes``, ``total`` samples long."""
    out = np.zeros(total, dtype=np.float64)
    for group in _touching(notes):
        origin = round(group[0].start_s * SR)
        bounds = [(round(n.start_s * SR) - origin, round(n.end_s * SR) - origin) for n in group]
        freq = np.empty(bounds[-1][1])
        for note, (a, b) in zip(group, bounds, strict=True):
            freq[a:b] = midi_to_hz(note.pitch_midi) * _vibrato(b - a)
        phase = 2 * np.pi * (np.cumsum(freq) - freq[0]) / SR
        voice = np.empty_like(phase)
        for note, (a, b) in zip(group, bounds, strict=True):
            levels = harmonic_levels(midi_to_hz(note.pitch_midi), vowel_of(note.text))
            voice[a:b] = wavetable_lookup(wavetable(levels), phase[a:b])
        voice *= _phrase_envelope(bounds)
        for note, (a, _) in zip(group, bounds, strict=True):
            if note.text[:1].lower() in _VOICELESS:
                burst = _consonant()[: len(voice) - a]
                voice[a : a + len(burst)] += 0.12 * burst
        out[origin : origin + len(voice)] += voice
    return out


@lru_cache(maxsize=2048)
def ooh(midi: int, n: int, detune_cents: float) -> np.ndarray:
    """One backing singer holding ``midi`` on "ooh" for ``n`` samples."""
    f0 = midi_to_hz(midi) * 2.0 ** (detune_cents / 1200.0)
    t = np.arange(n) / SR
    levels = harmonic_levels(f0, "u", max_hz=3500.0, tilt=1.3)
    wobble = 1.0 + 0.0015 * np.sin(2 * np.pi * (4.1 + detune_cents / 10.0) * t)
    phase = 2 * np.pi * np.cumsum(f0 * wobble) / SR
    return frozen(wavetable_lookup(wavetable(levels), phase) * fades(n, 0.18, 0.3))


TABLE_SIZE = 4096


def wavetable(levels: np.ndarray) -> np.ndarray:
    """One period of the sum of harmonics at ``levels`` (one extra sample for interpolation)."""
    phase = np.arange(TABLE_SIZE + 1) * (2 * np.pi / TABLE_SIZE)
    k = np.arange(1, len(levels) + 1)
    return np.sin(np.outer(phase, k)) @ levels


def wavetable_lookup(table: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """The periodic wave of ``table`` at ``phase`` (radians), linearly interpolated."""
    position = np.mod(phase, 2 * np.pi) * (TABLE_SIZE / (2 * np.pi))
    index = np.minimum(position.astype(np.int64), TABLE_SIZE - 1)
    frac = position - index
    return table[index] * (1.0 - frac) + table[index + 1] * frac
