"""Songs played in place: what the transcode cache costs, and what loudness at scan would cost.

    .venv/bin/python tests/bench/bench_transcode.py [--seconds 180]

A synthesized MP3 (44.1 kHz stereo, tones and noise) in a deflated MP3+G zip. Figures are
ratios to the song's length (real time) and to the 15 s up-next countdown the transcode must
fit in (a Pi 4 core is roughly 4-6x slower than this machine's); the scan figures compare the
skip (what ``song_loudness_lufs`` does at scan) with decoding every song.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from appliance.audio.dsp.meter import measure_loudness_lufs
from appliance.audio.loudness import song_loudness_lufs
from appliance.audio.sources.decode import transcode
from appliance.audio.sources.locate import stem_source
from appliance.audio.sources.playable import Transcoder, playable_from_cache
from appliance.audio.sources.transcode_cache import TranscodeCache
from appliance.library.formats.mp3g import read_mp3g_zip

COUNTDOWN_S = 15.0
LIBRARY_SONGS = 80_000


def make_zip(folder: Path, seconds: float) -> Path:
    rate = 44_100
    t = np.arange(int(seconds * rate)) / rate
    rng = np.random.default_rng(1)
    left = 0.2 * np.sin(2 * np.pi * 220 * t) + 0.05 * rng.standard_normal(len(t))
    right = 0.2 * np.sin(2 * np.pi * 330 * t) + 0.05 * rng.standard_normal(len(t))
    mp3 = folder / "song.mp3"
    sf.write(mp3, np.stack([left, right], 1).astype(np.float32), rate, format="MP3")
    path = folder / "BENCH01-01 - Bench Artist - Bench Song.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(mp3, "Bench Song.mp3", compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("Bench Song.cdg", bytes(24 * 300 * int(seconds)))
    return path


def timed(work):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=180.0)
    args = parser.parse_args()
    length = args.seconds
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        song = read_mp3g_zip(str(make_zip(folder, length)), tmp)
        ref = stem_source(song, song.stems[0])
        decode_s, _ = timed(lambda: transcode(ref, str(folder / "plain.flac"), "bench"))
        cache = TranscodeCache(folder / "cache", 2 << 30)
        transcoder = Transcoder(cache, measure_loudness_lufs)
        done = threading.Event()
        process_s, _ = timed(lambda: (transcoder.request(song, lambda *_: done.set()), done.wait()))
        playable = playable_from_cache(song, cache)
        assert playable is not None and transcoder.decodes == 1
        measure_s, _ = timed(lambda: measure_loudness_lufs(playable))
        hit_s, _ = timed(lambda: transcoder.playable(song))
        skip_s, _ = timed(lambda: [song_loudness_lufs(song) for _ in range(1000)])
        skip_s /= 1000
        scan_decode_s, _ = timed(lambda: song_loudness_lufs(song, decode_sources=True))
        cached_bytes = os.path.getsize(playable.stems[0].file)
    print(f"song: {length:.0f} s MP3 (44.1 kHz stereo) in a deflated zip")
    rows = [
        ("decode + resample + FLAC write (in process)", decode_s),
        ("loudness of the decoded song (pyloudnorm)", measure_s),
        ("first play: spawned transcoder, all included", process_s),
        ("cache hit (playable(), stat calls)", hit_s),
    ]
    for name, seconds in rows:
        print(
            f"{name:48s} {seconds:8.3f} s  {seconds / length:.4f} of real time  "
            f"{seconds / COUNTDOWN_S:.3f} of the countdown"
        )
    print(f"cache entry: {cached_bytes / 1e6:.1f} MB; 2 GB holds {2e9 / cached_bytes:.0f} songs")
    print(f"scan, loudness skipped: {skip_s * 1e6:.1f} µs per song")
    print(
        f"scan, loudness decoded from the source: {scan_decode_s:.2f} s per song = "
        f"{scan_decode_s / skip_s:,.0f}x the skip; {LIBRARY_SONGS:,} songs: "
        f"{scan_decode_s * LIBRARY_SONGS / 3600:.1f} h here"
    )


if __name__ == "__main__":
    main()
