"""``python -m appliance.demosongs DEST [--force] [--workers N] [SONG_ID ...]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from appliance.demosongs.build import build_demo_library
from appliance.demosongs.songs import SONG_IDS


def main(argv: list[str] | None = None) -> int:
    """Build the demo library into DEST and print one line per song."""
    parser = argparse.ArgumentParser(prog="python -m appliance.demosongs", description=__doc__)
    parser.add_argument("dest", type=Path, help="library folder to write the songs into")
    parser.add_argument(
        "songs", nargs="*", help=f"song ids (default: all of {', '.join(SONG_IDS)})"
    )
    parser.add_argument("--force", action="store_true", help="rebuild songs that exist")
    parser.add_argument("--workers", type=int, default=1, help="parallel processes")
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def report(song_id: str, done: int, total: int) -> None:
        print(f"[{done}/{total}] {song_id} ({time.perf_counter() - started:.1f} s)", flush=True)

    try:
        folders = build_demo_library(
            args.dest, progress=report, songs=args.songs or None, force=args.force,
            workers=args.workers,
        )  # fmt: skip
    except ValueError as error:
        parser.error(str(error))
    print(f"{len(folders)} songs in {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
