"""``karaoke import PATH... [--to DIR]``: convert foreign songs into native song folders.

    $ karaoke import ~/old-kars "UltraStar/Song/Song.txt" --to /media/songs
    [##############################] 14/14  old-kars/zz-top.kar
    12 imported, 1 indexed in place, 1 skipped (41.2 s)
      imported /home/me/old-kars/ABBA - Waterloo.kar -> /media/songs/ABBA - Waterloo
      indexed in place /home/me/old-kars/x.zip: MP3+G is indexed in place, not converted ...
      skipped /home/me/old-kars/broken.kar: corrupt MIDI data: ...

The destination defaults to the first configured library folder; it is scanned afterwards
(``--no-scan`` to skip) so the new songs can be queued at once and their loudness measured.
Exit status 1 when a song was skipped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from appliance.commands.common import config_from
from appliance.config import Config
from appliance.core.errors import InvalidRequest


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``import``."""
    parser = subparsers.add_parser(
        "import", help="convert KAR, UltraStar and audio+LRC songs into native song folders"
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="song files or folders")
    parser.add_argument("--to", metavar="DIR", help="destination (default: first library folder)")
    parser.add_argument("--replace", action="store_true", help="convert again over old imports")
    parser.add_argument("--soundfont", metavar="SF2", help="General MIDI SoundFont for KAR files")
    parser.add_argument("--no-scan", action="store_true", help="do not scan the destination")
    parser.set_defaults(handler=_import)


def destination(config: Config, to: str | None) -> Path:
    """``--to``, else the first configured library folder."""
    if to:
        return Path(to).expanduser()
    if config.library.paths:
        return Path(config.library.paths[0]).expanduser()
    raise InvalidRequest("--to", "no library folder is configured: name one with --to DIR")


def _import(args: argparse.Namespace) -> int:
    from appliance.importers import Status, import_paths
    from appliance.library.scanning.progressbar import TextProgressBar

    config = config_from(args)
    dest = destination(config, args.to)
    if dest.exists() and not dest.is_dir():
        raise InvalidRequest("--to", f"{dest} is not a folder")
    soundfont = Path(args.soundfont).expanduser() if args.soundfont else None
    if soundfont and not soundfont.is_file():
        raise InvalidRequest("--soundfont", f"{soundfont} not found")
    bar = TextProgressBar(sys.stderr)
    report = import_paths(args.paths, dest, progress=bar, replace=args.replace, soundfont=soundfont)
    bar.finish()
    print(f"{report.summary()} ({report.seconds:.1f} s)")
    for line in report.lines():
        print(f"  {line}")
    if report.with_status(Status.IMPORTED) and not args.no_scan:
        _scan(config, dest)
    return 1 if report.failed else 0


def _scan(config: Config, dest: Path) -> None:
    """Index the destination so the imported songs can be queued (loudness measured too)."""
    from appliance.app import library_service, open_store

    store = open_store(config)
    try:
        report = library_service(store).scan_root(dest)
    finally:
        store.close()
    print(f"scanned {dest}: {report.summary()}")
