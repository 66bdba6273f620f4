"""Measuring sound in tests: pitch (YIN), onsets, reading files; finding a reference in a capture
(first sound, alignment by correlation), its error in dB, the longest silence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile
from scipy.signal import butter, sosfilt

SR = 48_000


def read_mono(path: Path, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Samples ``start:stop`` of a stereo file, summed to mono (float64)."""
    data, rate = soundfile.read(path, start=start, stop=stop, dtype="float64", always_2d=True)
    assert rate == SR
    return data.sum(axis=1)


def yin_f0(frame: np.ndarray, fmin: float, fmax: float, threshold: float = 0.15) -> float | None:
    """Fundamental of one frame by YIN (cumulative mean normalised difference, first dip under
    ``threshold``, parabolic interpolation); None when unvoiced. The frame must be at least
    ``SR/fmin`` samples longer than the analysis window it implies."""
    tau_max = int(SR / fmin) + 2
    tau_min = max(2, int(SR / fmax))
    width = len(frame) - tau_max
    x = frame - frame.mean()
    size = 1 << int(np.ceil(np.log2(len(x) + width)))
    spectrum = np.fft.rfft(x, size)
    head = np.fft.rfft(x[:width], size)
    corr = np.fft.irfft(np.conj(head) * spectrum, size)[: tau_max + 1]
    energy = np.concatenate([[0.0], np.cumsum(x**2)])
    e_head = energy[width]
    e_shift = energy[np.arange(tau_max + 1) + width] - energy[np.arange(tau_max + 1)]
    diff = e_head + e_shift - 2 * corr
    diff[0] = 0.0
    cumulative = np.cumsum(diff[1:]) / np.arange(1, tau_max + 1)
    cmnd = np.ones(tau_max + 1)
    cmnd[1:] = diff[1:] / np.maximum(cumulative, 1e-12)
    below = np.nonzero(cmnd[tau_min:tau_max] < threshold)[0]
    if not len(below):
        return None
    tau = tau_min + below[0]
    while tau + 1 < tau_max and cmnd[tau + 1] < cmnd[tau]:
        tau += 1
    a, b, c = cmnd[tau - 1], cmnd[tau], cmnd[tau + 1]
    shift = 0.5 * (a - c) / (a - 2 * b + c) if (a - 2 * b + c) else 0.0
    return SR / (tau + shift)


def mean_pitch_midi(
    signal: np.ndarray, fmin: float = 70.0, fmax: float = 1000.0, window: int = 1024
) -> float | None:
    """Mean pitch (fractional MIDI) of ``signal`` over frames hopped every 240 samples."""
    frame = window + int(SR / fmin) + 2
    values = []
    for start in range(0, len(signal) - frame + 1, 240):
        f0 = yin_f0(signal[start : start + frame], fmin, fmax)
        if f0:
            values.append(69 + 12 * np.log2(f0 / 440.0))
    return float(np.mean(values)) if values else None


def onsets(signal: np.ndarray, hop: int = 240, rise: float = 2.5) -> np.ndarray:
    """Times (s) where the short-time energy above 500 Hz jumps by ``rise`` over 10 ms
    (attacks; the high-pass keeps two overlapping kick tails beating from looking like one)."""
    signal = sosfilt(butter(2, 500.0, btype="highpass", fs=SR, output="sos"), signal)
    frames = signal[: len(signal) // hop * hop].reshape(-1, hop)
    energy = np.sum(frames**2, axis=1) + 1e-12
    floor = energy.max() * 1e-4
    jumps = (energy[2:] > rise * energy[:-2]) & (energy[2:] > floor)
    index = np.nonzero(jumps)[0] + 2
    starts = index[np.insert(np.diff(index) > 2, 0, True)] if len(index) else index
    return starts * hop / SR


def first_sound(signal: np.ndarray, threshold: float = 1e-3) -> int:
    """Index of the first frame louder than ``threshold`` on any channel."""
    return int(np.argmax(np.abs(signal).max(axis=1) > threshold))


def align(captured: np.ndarray, reference: np.ndarray, search: int = 2400) -> int:
    """Offset of ``reference`` in ``captured``: first sound, then refined by correlation."""
    coarse = first_sound(captured) - first_sound(reference)
    start = first_sound(reference) + 4800
    template = reference[start : start + 9600, 0]
    low = max(0, coarse + start - search)
    window = captured[low : coarse + start + search + len(template), 0]
    scores = np.correlate(window, template, mode="valid")
    return low + int(np.argmax(scores)) - start


def relative_error_db(captured: np.ndarray, exported: np.ndarray, offset: int) -> float:
    """RMS of the difference, in dB relative to ``exported``, with ``exported`` at ``offset``."""
    piece = captured[offset : offset + len(exported)]
    reference = exported[: len(piece)]
    diff = np.sqrt(np.mean((piece - reference) ** 2))
    return 20 * np.log10(diff / np.sqrt(np.mean(reference**2)) + 1e-12)


def longest_silence(signal: np.ndarray) -> int:
    """The longest run of samples under 1e-3 (a gap in what was heard)."""
    quiet = np.abs(signal) < 1e-3
    longest = run = 0
    for value in quiet:
        run = run + 1 if value else 0
        longest = max(longest, run)
    return longest
