"""Pitch trackers compared: accuracy in cents and CPU as x real time on one core.

    .venv/bin/python tests/bench/bench_pitch.py [--library DEMO_DIR] [--seconds 60]

Candidates: the box's :class:`PitchTracker` (aubio ``yinfast``), aubio's default ``yinfft``, a
numpy YIN at 16 kHz (batch FFT difference function, threshold 0.15) and, when librosa is
installed (it is not a dependency: ``pip install librosa`` to compare), librosa's ``yin`` and
``pyin`` at 16 kHz. Material:

1. synthesized sung notes with vibrato (0.2-0.5 semitone, 4.5-6.5 Hz), G2 to G5, formant
   voice with breath noise (tests/support/sung_notes.py): octave-folded cents of the voiced
   estimates against the true pitch at each estimate's centre, the share of in-note estimates
   voiced, and of estimates between notes voiced;
2. the demo songs' guide vocals (the middle half of each note, against the note's pitch: the
   guide's own 18-cent vibrato is in the figure), built into a temporary folder unless
   ``--library`` names a built demo library;
3. pure tones at 82 and 110 Hz (a low voice with few harmonics): the median error in cents;
4. 20 s of white noise at -20 dBFS: the share of estimates voiced;
5. CPU: process time to track ``--seconds`` of sung notes fed in 256-frame blocks (the engine's
   tracking thread), as x real time; the box's budget is two mics on a Pi (a Pi 4 core is
   roughly 4-6x slower: > 100x here leaves room).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import aubio
import numpy as np
import soundfile as sf
from scipy import signal

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from appliance.audio.dsp.pitch import PitchTracker
from tests.support.sung_notes import SR, cents_errors, sing_notes

Estimates = list[tuple[float, float | None]]
Tracker = Callable[[np.ndarray], Estimates]


def box_tracker(audio: np.ndarray) -> Estimates:
    tracker, out = PitchTracker(SR), []
    for start in range(0, len(audio), 256):
        out.extend(tracker.feed(audio[start : start + 256]))
    return out


def aubio_yinfft(audio: np.ndarray) -> Estimates:
    pitch = aubio.pitch("yinfft", 2048, 480, SR)
    pitch.set_unit("midi")
    out: Estimates = []
    for i in range(0, len(audio) - 479, 480):
        midi = float(pitch(np.ascontiguousarray(audio[i : i + 480]))[0])
        out.append(((i + 480 - 1024) / SR, midi if midi > 0 else None))
    return out


def numpy_yin(audio: np.ndarray, threshold: float = 0.15) -> Estimates:
    """YIN at 16 kHz: 40 ms integration, 60-1100 Hz, 10 ms hops, one batch of FFTs."""
    y = signal.resample_poly(audio, 1, 3).astype(np.float32)
    rate, width, hop = 16000, 640, 160
    tmin, tmax = rate // 1100, rate // 60
    length = width + tmax
    starts = np.arange(0, len(y) - length, hop)
    frames = np.lib.stride_tricks.sliding_window_view(y, length)[starts].astype(np.float64)
    nfft = 1 << int(np.ceil(np.log2(length + width)))
    corr = np.fft.irfft(
        np.fft.rfft(frames, nfft) * np.conj(np.fft.rfft(frames[:, :width], nfft)), nfft
    )[:, : tmax + 1]
    energy = np.cumsum(np.pad(frames**2, ((0, 0), (1, 0))), axis=1)
    diff = (energy[:, width] - energy[:, 0])[:, None]
    diff = diff + energy[:, width : width + tmax + 1] - energy[:, : tmax + 1] - 2 * corr
    cmnd = diff[:, 1:] * np.arange(1, tmax + 1) / np.maximum(np.cumsum(diff[:, 1:], axis=1), 1e-12)
    out: Estimates = []
    for start, row in zip(starts, cmnd, strict=True):
        below = np.nonzero(row[tmin - 1 :] < threshold)[0]
        centre = (start + width / 2) * 3 / SR
        if not len(below):
            out.append((centre, None))
            continue
        i = below[0] + tmin - 1
        while i + 1 < len(row) and row[i + 1] < row[i]:
            i += 1
        a, b, c = row[i - 1], row[i], row[min(i + 1, len(row) - 1)]
        tau = i + 1 + (0.5 * (a - c) / (a - 2 * b + c) if a - 2 * b + c else 0.0)
        out.append((centre, 69 + 12 * float(np.log2(rate / tau / 440))))
    return out


def librosa_trackers() -> dict[str, Tracker]:
    try:
        import librosa
    except ImportError:
        return {}

    def yin(audio: np.ndarray) -> Estimates:
        y = signal.resample_poly(audio, 1, 3).astype(np.float32)
        f0 = librosa.yin(y, fmin=60, fmax=1100, sr=16000, frame_length=1024, hop_length=160)
        return [(i * 0.01, 69 + 12 * float(np.log2(f / 440))) for i, f in enumerate(f0)]

    def pyin(audio: np.ndarray) -> Estimates:
        y = signal.resample_poly(audio, 1, 3).astype(np.float32)
        f0, voiced, _ = librosa.pyin(
            y, fmin=60, fmax=1100, sr=16000, frame_length=1024, hop_length=160
        )
        return [
            (i * 0.01, 69 + 12 * float(np.log2(f / 440)) if v else None)
            for i, (f, v) in enumerate(zip(f0, voiced, strict=True))
        ]

    return {"librosa yin (16 kHz)": yin, "librosa pyin (16 kHz)": pyin}


def guide_truths(library: Path) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each demo song's guide (mono) and its notes' pitch over the middle half of each note."""
    out = []
    for folder in sorted(p for p in library.iterdir() if (p / "notes.txt").is_file()):
        audio, _ = sf.read(folder / "lead_vocal.flac", dtype="float32")
        text = (folder / "notes.txt").read_text()
        bpm = float(re.search(r"#BPM:([\d.]+)", text).group(1))  # type: ignore[union-attr]
        gap = float(re.search(r"#GAP:([\d.]+)", text).group(1)) / 1000  # type: ignore[union-attr]
        truth = np.full(len(audio), np.nan)
        for line in text.splitlines():
            if line[:1] in (":", "*"):
                _, beat, length, pitch, *_ = line.split(" ", 4)
                start = gap + int(beat) * 15 / bpm
                end = gap + (int(beat) + int(length)) * 15 / bpm
                quarter = (end - start) / 4
                truth[int((start + quarter) * SR) : int((end - quarter) * SR)] = 60 + int(pitch)
        out.append((audio.mean(axis=1), truth))
    return out


def accuracy(name: str, track: Tracker, material: dict) -> None:
    errors, recall, between = cents_errors(track(material["sung"].audio), material["sung"].truth)
    guide_errors = [cents_errors(track(a), t)[0] for a, t in material["guides"]]
    joined = np.concatenate(guide_errors) if guide_errors else np.zeros(1)
    tones = []
    for hz in (82.4, 110.0):
        tone = (0.2 * np.sin(2 * np.pi * hz * np.arange(SR) / SR)).astype(np.float32)
        midis = [m for _, m in track(tone) if m is not None]
        tones.append((np.median(midis) - (69 + 12 * np.log2(hz / 440))) * 100 if midis else np.nan)
    noise = [m for _, m in track(material["noise"])]
    noise_voiced = np.mean([m is not None for m in noise])
    print(
        f"{name:24s} sung: median {np.median(errors):4.1f} c, p90 {np.percentile(errors, 90):5.1f}"
        f" c, >50 c {np.mean(errors > 50):.3f}, voiced {recall:.3f}, between notes"
        f" {between:.3f} | guides: median {np.median(joined):4.1f} c, p90"
        f" {np.percentile(joined, 90):5.1f} c, >50 c {np.mean(joined > 50):.3f} | 82 Hz"
        f" {tones[0]:+6.1f} c, 110 Hz {tones[1]:+6.1f} c | noise voiced {noise_voiced:.3f}",
        flush=True,
    )


def cpu(name: str, track: Tracker, audio: np.ndarray) -> None:
    started = time.process_time()
    track(audio)
    used = time.process_time() - started
    print(f"{name:24s} CPU: {len(audio) / SR / used:6.0f}x real time", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, help="a built demo library (default: build one)")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        library = args.library
        if library is None:
            from appliance.demosongs import build_demo_library

            library = Path(tmp)
            build_demo_library(library, workers=2)
        material = {
            "sung": sing_notes(seconds=args.seconds, seed=1),
            "guides": guide_truths(library),
            "noise": np.random.default_rng(3).normal(0, 0.1, SR * 20).astype(np.float32),
        }
        trackers: dict[str, Tracker] = {
            "box (aubio yinfast)": box_tracker,
            "aubio yinfft": aubio_yinfft,
            "numpy YIN (16 kHz)": numpy_yin,
            **librosa_trackers(),
        }
        for name, track in trackers.items():
            accuracy(name, track, material)
        for name, track in trackers.items():
            cpu(name, track, material["sung"].audio)


if __name__ == "__main__":
    main()
