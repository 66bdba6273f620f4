"""Library scan speed: 10,000 tiny native song folders, first scan and rescans.

Run: .venv/bin/python tests/bench/bench_scan.py [songs]
Figures are ratios: first scan / the 20 s budget; rescan / first scan; each scan / a baseline
in the same run that only walks the folders, stats every file and parses every manifest with
tomllib (the least any scanner reading the same files must do). Stems are tiny files: the
scanner never decodes audio.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import tomli_w

from appliance.library.scanning.scanner import CatalogWriter, scan_library
from tests.support.memory_catalog import MemoryCatalog

T = TypeVar("T")
BUDGET_S = 20.0
STEMS = ("drums", "bass", "keys", "lead_vocal")
GENRES = ("Folk", "Pop", "Rock", "Jazz", "Hymns", "Blues", "Country", "Soul", "Disco", "Latin")


def make_library(root: Path, count: int) -> None:
    """``count`` song folders, 100 per artist folder, 4 stems and a lyrics file each."""
    for index in range(count):
        folder = root / GENRES[index % len(GENRES)] / f"Artist {index // 100}" / f"Song {index}"
        folder.mkdir(parents=True)
        stems = []
        for role in STEMS:
            (folder / f"{role}.flac").write_bytes(b"fLaC" + bytes(60))
            stems.append({"name": role, "file": f"{role}.flac", "role": role})
        (folder / "lyrics.lrc").write_text(f"[00:01.00]Song number {index}\n", encoding="utf-8")
        manifest = {
            "format": 1,
            "title": f"Song {index}",
            "artist": f"Artist {index // 100}",
            "language": "en",
            "tags": ["demo"],
            "key": "G",
            "bpm": 96.0,
            "duration_s": 180.0,
            "lyrics": "lyrics.lrc",
            "sample_rate": 48000,
            "stems": stems,
        }
        (folder / "song.toml").write_bytes(tomli_w.dumps(manifest).encode("utf-8"))


def baseline(root: Path) -> int:
    """Walk, stat every file, parse every manifest: the floor for a first scan."""
    parsed = 0
    for folder, _, files in os.walk(root):
        for name in files:
            os.stat(os.path.join(folder, name))
        if "song.toml" in files:
            with open(os.path.join(folder, "song.toml"), "rb") as stream:
                tomllib.load(stream)
            parsed += 1
    return parsed


def timed(action: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def touch_some(root: Path, every: int) -> int:
    """Change one stem in every ``every``-th song; returns how many."""
    changed = 0
    for index, manifest in enumerate(sorted(root.rglob("song.toml"))):
        if index % every == 0:
            (manifest.parent / "drums.flac").write_bytes(b"fLaC" + bytes(61))
            changed += 1
    return changed


def run_catalog(label: str, root: Path, catalog: CatalogWriter, base_s: float) -> None:
    first_s, first = timed(lambda: scan_library(root, catalog))
    again_s, again = timed(lambda: scan_library(root, catalog))
    changed = touch_some(root, 100)
    partial_s, partial = timed(lambda: scan_library(root, catalog))
    print(f"[{label}]")
    print(f"  first scan   {first_s:7.2f} s  {first.summary()}")
    print(f"  rescan       {again_s:7.2f} s  {again.summary()}")
    print(f"  1% changed   {partial_s:7.2f} s  {partial.summary()} ({changed} touched)")
    print(f"  first scan / budget {BUDGET_S:.0f} s      = {first_s / BUDGET_S:.3f}")
    print(f"  first scan / baseline           = {first_s / base_s:.2f}")
    print(f"  rescan / first scan             = {again_s / first_s:.3f}")
    print(f"  rescan / baseline               = {again_s / base_s:.2f}")
    print(f"  1%-changed rescan / first scan  = {partial_s / first_s:.3f}")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as temp:
        root = Path(temp) / "songs"
        make_s, _ = timed(lambda: make_library(root, count))
        print(f"{count} song folders generated in {make_s:.1f} s under {root}")
        base_s, parsed = timed(lambda: baseline(root))
        print(f"baseline (walk + stat + tomllib) {base_s:.2f} s for {parsed} manifests")
        run_catalog("in-memory catalog", root, MemoryCatalog(), base_s)
        try:
            from appliance.core.catalog import Catalog
            from appliance.core.store import Store
        except ImportError:
            print("[SQLite catalog] not available yet: skipped")
            return
        store = Store.open(Path(temp) / "state" / "karaoke.db")
        run_catalog("SQLite catalog (file, WAL)", root, Catalog(store), base_s)


if __name__ == "__main__":
    main()
