"""Library scan of a mixed library as people have it: 10,000 songs of every kind, first scan and
unchanged rescan, against the real SQLite catalog.

Run: .venv/bin/python tests/bench/bench_library_mixed.py [songs] [--compare CHECKOUT]

Figures (ratios): the rescan's file opens under the library (goal: 0; counted through Python's
audit hooks, so every ``open``/``os.open`` counts); rescan / first scan; first-scan cost per song
/ the same in ``CHECKOUT`` (e.g. ``/work/main``: "today's" code, run in a subprocess on the same
library). Extend by adding a maker to ``KINDS``: a function writing one song into a folder and
returning how many songs it wrote (a song that must fail returns 0).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parents[2]


def _wav(path: Path, seconds: float = 0.5, rate: int = 8000) -> None:
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(bytes(2 * int(seconds * rate)))


def _ultrastar_text(title: str, artist: str, audio: str) -> str:
    return (
        f"#TITLE:{title}\n#ARTIST:{artist}\n#MP3:{audio}\n#BPM:240\n#GAP:100\n"
        ": 0 4 0 One\n: 4 4 2 two\n- 10\n: 10 4 4 Three\nE\n"
    )


def ultrastar(folder: Path, n: int) -> int:
    folder.mkdir(parents=True)
    _wav(folder / "audio.wav")
    (folder / f"Band {n} - Song {n}.txt").write_text(
        _ultrastar_text(f"Song {n}", f"Band {n}", "audio.wav"), encoding="utf-8"
    )
    (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    return 1


def ultrastar_cjk(folder: Path, n: int) -> int:
    folder = folder.parent / f"周杰伦 {n}"
    folder.mkdir(parents=True)
    _wav(folder / "晴天.wav")
    (folder / "晴天.txt").write_text(_ultrastar_text("晴天", "周杰伦", "晴天.wav"), "utf-8")
    return 1


def native(folder: Path, n: int) -> int:
    folder.mkdir(parents=True)
    for stem in ("drums", "bass", "keys", "guide"):
        (folder / f"{stem}.flac").write_bytes(b"fLaC" + bytes(60))
    (folder / "lyrics.lrc").write_text(f"[00:01.00]Song {n}\n", encoding="utf-8")
    roles = {"drums": "drums", "bass": "bass", "keys": "keys", "guide": "lead_vocal"}
    stems = "".join(
        f'[[stems]]\nname = "{s}"\nfile = "{s}.flac"\nrole = "{r}"\n' for s, r in roles.items()
    )
    (folder / "song.toml").write_text(
        f'format = 1\ntitle = "Song {n}"\nartist = "Artist {n // 100}"\nduration_s = 180.0\n'
        f'lyrics = "lyrics.lrc"\n{stems}',
        encoding="utf-8",
    )
    return 1


def lrc_audio(folder: Path, n: int) -> int:
    folder.mkdir(parents=True)
    _wav(folder / f"Singer {n} - Words.wav")
    (folder / f"Singer {n} - Words.lrc").write_text("[00:00.10]words\n", encoding="utf-8")
    return 1


def broken(folder: Path, n: int) -> int:
    folder.mkdir(parents=True)
    (folder / f"Broken {n}.txt").write_text(_ultrastar_text("B", "B", "gone.wav"), "utf-8")
    return 0


KINDS: list[tuple[str, Callable[[Path, int], int], int]] = [
    ("ultrastar", ultrastar, 4),
    ("ultrastar-cjk", ultrastar_cjk, 1),
    ("native", native, 3),
    ("lrc-audio", lrc_audio, 2),
]
"""(name, maker, weight): out of every sum-of-weights songs, ``weight`` of this kind."""
FAILING_EVERY = 100
REPEATS = 2
"""Runs of each checkout; the fastest first scan of each is reported."""


def make_library(root: Path, count: int) -> tuple[int, int]:
    """``count`` songs by ``KINDS`` weights, 100 per folder, plus one broken song per 100."""
    plan = [maker for _, maker, weight in KINDS for _ in range(weight)]
    songs = failures = 0
    for n in range(count):
        folder = root / f"Shelf {n // 100}" / f"Song {n}"
        songs += plan[n % len(plan)](folder, n)
        if n % FAILING_EVERY == 0:
            failures += 1 - broken(root / f"Shelf {n // 100}" / f"Broken {n}", n)
    return songs, failures


OPENED: list[str] = []


def _count_opens(root: Path) -> None:
    prefix = os.path.join(str(root), "")

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event == "open" and isinstance(args[0], str) and args[0].startswith(prefix):
            OPENED.append(args[0])

    sys.addaudithook(hook)


def measure(root: Path, state: Path) -> dict[str, float]:
    """First scan and unchanged rescan with the code importable as ``appliance``."""
    from appliance.core.catalog import Catalog
    from appliance.core.store import Store
    from appliance.library.scanning.scanner import scan_library

    store = Store.open(state / "karaoke.db")
    started = time.perf_counter()
    first = scan_library(root, Catalog(store))
    first_s = time.perf_counter() - started
    _count_opens(root)
    started = time.perf_counter()
    again = scan_library(root, Catalog(store))
    again_s = time.perf_counter() - started
    store.close()
    return {
        "songs": float(first.songs),
        "failed": float(len(first.failures)),
        "first_s": first_s,
        "rescan_s": again_s,
        "rescan_unchanged": float(again.unchanged),
        "rescan_opens": float(len(OPENED)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("songs", nargs="?", type=int, default=10_000)
    parser.add_argument("--compare", help="another checkout to measure on the same library")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)  # root, state (child)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), Path(args.measure[1]))))
        return
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory(prefix="bench-mixed-") as temp:
        root = Path(temp) / "songs"
        songs, failing = make_library(root, args.songs)
        print(f"{songs} songs and {failing} broken ones generated under {root}")
        checkouts = [HERE, *([Path(args.compare)] if args.compare else [])]
        runs: dict[Path, list[dict[str, float]]] = {checkout: [] for checkout in checkouts}
        for attempt in range(REPEATS):  # alternated: neither gets the warmer page cache
            for checkout in checkouts if attempt % 2 == 0 else reversed(checkouts):
                state = Path(temp) / f"state-{len(runs[checkout])}-{checkout.name}"
                runs[checkout].append(_child(checkout, root, state))
        best = {c: min(r, key=lambda figures: figures["first_s"]) for c, r in runs.items()}
        ours = best[HERE]
        _report("this checkout", ours)
        if args.compare:
            theirs = best[Path(args.compare)]
            _report(args.compare, theirs)
            ratio = (ours["first_s"] / ours["songs"]) / (theirs["first_s"] / theirs["songs"])
            print(f"first-scan cost per song, this / {args.compare} = {ratio:.2f}")


def _child(checkout: Path, root: Path, state: Path) -> dict[str, float]:
    state.mkdir()
    env = dict(os.environ, PYTHONPATH=str(checkout))
    command = [sys.executable, __file__, "--measure", str(root), str(state)]
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def _report(label: str, figures: dict[str, float]) -> None:
    per_song_ms = 1000 * figures["first_s"] / figures["songs"]
    print(f"[{label}]")
    print(
        f"  first scan {figures['first_s']:.2f} s: {figures['songs']:.0f} songs, "
        f"{figures['failed']:.0f} failed, {per_song_ms:.3f} ms per song"
    )
    print(
        f"  unchanged rescan {figures['rescan_s']:.2f} s: {figures['rescan_unchanged']:.0f} "
        f"unchanged, {figures['rescan_opens']:.0f} files opened"
    )
    print(f"  rescan / first scan = {figures['rescan_s'] / figures['first_s']:.3f}")


if __name__ == "__main__":
    main()
