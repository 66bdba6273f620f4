"""``karaoke scan [DIR]`` and ``karaoke songs [QUERY] [--json]``.

``scan`` prints, per root, the song counts, where every file seen went (the counts add up), and
each file not indexed with the reason; ``karaoke doctor`` and the host's phone show the same
list later (the catalog keeps it)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from appliance.commands.common import config_from, open_catalog, print_json
from appliance.core.errors import InvalidRequest


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``scan`` and ``songs``."""
    scan = subparsers.add_parser("scan", help="index a song folder (default: the library)")
    scan.add_argument("dir", nargs="?", help="folder to index (default: configured library)")
    scan.set_defaults(handler=_scan)
    songs = subparsers.add_parser("songs", help="search the catalog")
    songs.add_argument("query", nargs="*", help="words to search for (none: list all)")
    songs.add_argument("--json", action="store_true", help="machine-readable output")
    songs.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    songs.set_defaults(handler=_songs)


def _scan(args: argparse.Namespace) -> int:
    from appliance.app import library_roots, library_service, open_store
    from appliance.library.scanning.progressbar import TextProgressBar

    config = config_from(args)
    roots = [Path(args.dir)] if args.dir else library_roots(config)
    for root in roots:
        if not root.is_dir():
            raise InvalidRequest("dir", f"{root} is not a folder")
    store = open_store(config)
    library = library_service(store, state_dir=config.state_dir())
    failures = 0
    try:
        for root in roots:
            bar = TextProgressBar(sys.stderr)
            report = library.scan_root(root, progress=bar)
            bar.finish()
            print(f"{root}: {report.summary()} ({report.seconds:.1f} s)")
            print(f"  {report.files_summary()}")
            for warning in report.warnings:
                print(f"  note: {warning}")
            for failure in report.failures:
                print(f"  not indexed: {failure.path}: {failure.reason}")
            failures += len(report.failures)
    finally:
        store.close()
    return 1 if failures else 0


def _songs(args: argparse.Namespace) -> int:
    config = config_from(args)
    store, catalog = open_catalog(config)
    try:
        songs = catalog.search(" ".join(args.query), limit=args.limit)
    finally:
        store.close()
    if args.json:
        from web_remote.serializers import song_file_view

        print_json([song_file_view(song) for song in songs])
        return 0
    if not songs:
        print("no songs found" + ("" if args.query else " (run `karaoke scan` first)"))
        return 1 if args.query else 0
    for song in songs:
        minutes, seconds = divmod(round(song.duration_s), 60)
        extras = " stems" if song.has_stems else ""
        extras += " guide" if song.has_guide else ""
        print(f"{song.title} - {song.artist}  [{minutes}:{seconds:02d}{extras}]  {song.song_id}")
    return 0
