"""Index a generated folder of 10,000 tiny MP3+G zips, then rescan it unchanged.

Run: .venv/bin/python tests/bench/bench_mp3g_scan.py [COUNT]
Figures: first scan against the 60 s budget, and the rescan as a fraction of the first scan.
The catalog is the real SQLite one, in a file (WAL), as on the box.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from appliance.core.catalog import Catalog
from appliance.core.store import Store
from appliance.library.scanning.progressbar import TextProgressBar
from appliance.library.scanning.scanner import scan_library
from tests.support.mp3g_songs import cdg_bytes, mp3_bytes, zip_bytes

BUDGET_S = 60.0
PER_FOLDER = 500


def make_library(root: Path, count: int) -> None:
    """``count`` zips of one tiny pair each, in folders of 500, names in the vendor style."""
    audio, graphics = mp3_bytes(0.5), cdg_bytes(0.5)
    for index in range(count):
        folder = root / f"Disc {index // PER_FOLDER:03d}"
        folder.mkdir(exist_ok=True)
        stem = f"SC{index:05d}-01 - Artist {index % 997} - Song Number {index}"
        blob = zip_bytes({f"{stem}.mp3": audio, f"{stem}.cdg": graphics})
        (folder / f"{stem}.zip").write_bytes(blob)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "usb"
        root.mkdir()
        started = time.perf_counter()
        make_library(root, count)
        print(f"generated {count} zips in {time.perf_counter() - started:.1f} s")
        catalog = Catalog(Store.open(Path(scratch) / "state.db"))
        first = scan_library(root, catalog, progress=TextProgressBar())
        second = scan_library(root, catalog, progress=TextProgressBar())
        assert first.added == count and not first.failures, first.summary()
        assert second.unchanged == count, second.summary()
        print(
            f"first scan:  {first.seconds:6.2f} s = "
            f"{first.seconds / BUDGET_S:.3f} of the 60 s budget"
            f" ({count / first.seconds:,.0f} songs/s)  {first.summary()}"
        )
        print(
            f"rescan:      {second.seconds:6.2f} s = "
            f"{second.seconds / first.seconds:.3f} of the first scan"
            f"  {second.summary()}"
        )


if __name__ == "__main__":
    main()
