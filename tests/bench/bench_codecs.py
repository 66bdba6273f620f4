"""Audio in every format: decode speed per format and decoder, the first play of an M4A song,
and what the scan-time decode probe costs.

    .venv/bin/python tests/bench/bench_codecs.py [--seconds 180] [--songs 200]

1. Decode speed of a ``--seconds`` tone (44.1 kHz stereo; Opus 48 kHz) in each format, as x real
   time: decoding alone (libsndfile and PyAV where both can) and the whole transcode (decode,
   resample to 48 kHz, FLAC write), which is what a first play waits for.
2. First play of an M4A UltraStar song: the spawned transcoder, all included, as a ratio to the
   15 s countdown before a song starts (a Pi 4 core is roughly 4-6x slower than this machine).
3. Scan: ``--songs`` UltraStar songs with M4A audio, first scan with the probe and without it
   (the reader as it was), per song; the probe alone per format; and the estimate for 10,000
   songs of which 20% (the songs played in place) need the probe, against today's scan of
   native folders (made as ``bench_scan.py`` makes them); and 10 x ``--songs`` tiny MP3+G
   zips with and without the probe.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import av
import soundfile as sf
import tomli_w

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from appliance.audio.dsp.meter import measure_loudness_lufs
from appliance.audio.sources.decode import transcode
from appliance.audio.sources.locate import SourceRef
from appliance.audio.sources.playable import Transcoder
from appliance.audio.sources.transcode_cache import TranscodeCache
from appliance.library.formats import foreign
from appliance.library.formats.audioprobe import audio_problem
from appliance.library.scanning.scanner import scan_library
from tests.support.codec_audio import write_tone
from tests.support.memory_catalog import MemoryCatalog
from tests.support.mp3g_songs import cdg_bytes, mp3_bytes, zip_bytes

T = TypeVar("T")
COUNTDOWN_S = 15.0
LIBRARY = 10_000
PROBED_SHARE = 0.2
FORMATS = (".mp3", ".ogg", ".flac", ".wav", ".m4a", ".aac", ".opus", ".wma", ".mp4", ".mkv")
SOUNDFILE_READS = (".mp3", ".ogg", ".flac", ".wav")


def timed(action: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def soundfile_decode(path: Path) -> int:
    with sf.SoundFile(path) as sound:
        return sum(len(block) for block in sound.blocks(65536, dtype="float32"))


def pyav_decode(path: Path) -> int:
    frames = 0
    with av.open(str(path)) as container:
        converter = av.AudioResampler(format="flt", layout="stereo")
        for frame in container.decode(audio=0):
            frames += sum(out.samples for out in converter.resample(frame))
    return frames


def decode_speeds(folder: Path, seconds: float) -> None:
    print(f"[decode speed, {seconds:.0f} s tone, x real time]")
    print(f"  {'format':7s} {'libsndfile':>11s} {'PyAV':>8s} {'transcode':>10s} {'probe ms':>9s}")
    for extension in FORMATS:
        path = write_tone(folder / f"tone{extension}", seconds=seconds, video=extension == ".mp4")
        print(f"  {extension:7s} {format_row(path, folder / 'out.flac', seconds)}")


def format_row(path: Path, out: Path, seconds: float) -> str:
    by_sf = f"{'-':>11s}"
    if path.suffix in SOUNDFILE_READS:
        by_sf = f"{seconds / timed(lambda: soundfile_decode(path))[0]:10.0f}x"
    by_av = seconds / timed(lambda: pyav_decode(path))[0]
    whole = seconds / timed(lambda: transcode(SourceRef(str(path)), str(out), "bench"))[0]
    probe_s = min(timed(lambda: audio_problem(str(path)))[0] for _ in range(20))
    return f"{by_sf} {by_av:7.0f}x {whole:9.0f}x {probe_s * 1000:9.2f}"


def first_play(folder: Path, extension: str) -> float:
    """Seconds from the request to a playable 3-minute UltraStar song with this audio."""
    song_folder = folder / f"play{extension}" / "song"
    song_folder.mkdir(parents=True)
    write_tone(song_folder / f"audio{extension}", seconds=180.0)
    (song_folder / "song.txt").write_text(
        f"#TITLE:Bench\n#ARTIST:Bench\n#MP3:audio{extension}\n#BPM:120\n#GAP:0\n: 0 4 0 la\nE\n"
    )
    catalog = MemoryCatalog()
    scan_library(str(song_folder.parent), catalog)
    song = next(iter(catalog.songs.values()))
    cache = TranscodeCache(folder / f"cache{extension}", 2 << 30)
    transcoder = Transcoder(cache, measure_loudness_lufs)
    done = threading.Event()
    play_s, _ = timed(lambda: (transcoder.request(song, lambda *_: done.set()), done.wait()))
    assert transcoder.playable(song) is not None
    return play_s


def first_plays(folder: Path) -> None:
    print("[first play of a 180 s UltraStar song: spawned transcoder, loudness included]")
    for run in (1, 2):  # MP3 (the format that played before) beside M4A, at the same load
        for extension in (".mp3", ".m4a"):
            play_s = first_play(folder / f"run{run}", extension)
            print(f"  {extension}  {play_s:5.2f} s = {play_s / 180:.4f} of real time = "
                  f"{play_s / COUNTDOWN_S:.3f} of the 15 s countdown")  # fmt: skip


def make_native_library(root: Path, count: int) -> None:
    """``count`` native song folders as ``bench_scan.py`` makes them: 4 tiny stems, a lyrics
    file and a manifest each (bench modules do not import each other)."""
    for index in range(count):
        folder = root / f"Artist {index // 100}" / f"Song {index}"
        folder.mkdir(parents=True)
        stems = []
        for role in ("drums", "bass", "keys", "lead_vocal"):
            (folder / f"{role}.flac").write_bytes(b"fLaC" + bytes(60))
            stems.append({"name": role, "file": f"{role}.flac", "role": role})
        (folder / "lyrics.lrc").write_text(f"[00:01.00]Song number {index}\n", encoding="utf-8")
        manifest = {
            "format": 1, "title": f"Song {index}", "artist": f"Artist {index // 100}",
            "language": "en", "key": "G", "bpm": 96.0, "duration_s": 180.0,
            "lyrics": "lyrics.lrc", "sample_rate": 48000, "stems": stems,
        }  # fmt: skip
        (folder / "song.toml").write_bytes(tomli_w.dumps(manifest).encode("utf-8"))


def with_and_without_probe(root: Path, songs: int) -> tuple[float, float]:
    """Seconds of a first scan of ``root`` with the probe, and with the reader as it was: the
    best of two runs each, alternated (the first run also pays imports)."""
    original = foreign.probe_audio
    runs: dict[bool, list[float]] = {True: [], False: []}
    for probing in (False, True, False, True):
        foreign.probe_audio = original if probing else (lambda path, member="": None)
        try:
            seconds, report = timed(lambda: scan_library(str(root), MemoryCatalog()))
        finally:
            foreign.probe_audio = original
        assert report.added == songs, report.summary()
        runs[probing].append(seconds)
    return min(runs[True]), min(runs[False])


def zip_scan_costs(folder: Path, songs: int) -> None:
    """MP3+G zips (``bench_mp3g_scan.py``'s tiny ones): the probe reads each member."""
    root = folder / "zips"
    root.mkdir()
    blob = zip_bytes({"Song.mp3": mp3_bytes(0.5), "Song.cdg": cdg_bytes(0.5)})
    for index in range(songs):
        (root / f"SC{index:05d}-01 - Artist {index} - Song {index}.zip").write_bytes(blob)
    probed_s, plain_s = with_and_without_probe(root, songs)
    print(f"[first scan, {songs} MP3+G zips, per song]")
    with_ms, without_ms = probed_s / songs * 1000, plain_s / songs * 1000
    print(f"  with the probe {with_ms:6.2f} ms, without {without_ms:6.2f} ms: "
          f"with / without = {probed_s / plain_s:.2f}")  # fmt: skip


def scan_costs(folder: Path, songs: int) -> None:
    source = write_tone(folder / "scan.m4a", seconds=30.0)
    root = folder / "ultrastar"
    for index in range(songs):
        song = root / f"song {index:05d}"
        song.mkdir(parents=True)
        shutil.copyfile(source, song / "audio.m4a")
        (song / "song.txt").write_text(
            f"#TITLE:Song {index}\n#ARTIST:Bench\n#MP3:audio.m4a\n#BPM:120\n#GAP:0\n: 0 4 0 la\nE\n"
        )
    probed_s, plain_s = with_and_without_probe(root, songs)
    make_native_library(folder / "native", songs)
    native_s, _ = timed(lambda: scan_library(str(folder / "native"), MemoryCatalog()))
    per_probed, per_plain, per_native = probed_s / songs, plain_s / songs, native_s / songs
    today = LIBRARY * ((1 - PROBED_SHARE) * per_native + PROBED_SHARE * per_plain)
    now = LIBRARY * ((1 - PROBED_SHARE) * per_native + PROBED_SHARE * per_probed)
    print(f"[first scan, {songs} UltraStar songs with M4A audio, per song]")
    print(f"  with the probe    {per_probed * 1000:7.2f} ms")
    ratio = per_probed / per_plain
    print(f"  without (before)  {per_plain * 1000:7.2f} ms   with / without = {ratio:.2f}")
    print(f"  native folder     {per_native * 1000:7.2f} ms   (bench_scan's songs)")
    print(f"[estimate: {LIBRARY:,} songs, {PROBED_SHARE:.0%} probed, first scan]")
    print(
        f"  today {today:6.1f} s, with the probe {now:6.1f} s: ratio {now / today:.2f} (goal <= 3)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--songs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        decode_speeds(folder, args.seconds)
        first_plays(folder)
        scan_costs(folder, args.songs)
        zip_scan_costs(folder, args.songs * 10)


if __name__ == "__main__":
    main()
