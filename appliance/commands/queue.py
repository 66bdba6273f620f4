"""``karaoke queue [--json]``: who sings when, from the core's read model of the saved night
(:mod:`appliance.core.read_model`; the box may be running meanwhile)."""

from __future__ import annotations

import argparse

from appliance.commands.common import config_from, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``queue``."""
    queue = subparsers.add_parser("queue", help="show the rotation: who sings when")
    queue.add_argument("--json", action="store_true", help="machine-readable output")
    queue.set_defaults(handler=_queue)


def _queue(args: argparse.Namespace) -> int:
    from appliance.core.paths import database_path
    from appliance.core.read_model import saved_snapshot
    from appliance.core.store import Store

    config = config_from(args)
    store = Store.open(database_path(config.state_dir()))
    try:
        snapshot = saved_snapshot(store, config.rotation)
    finally:
        store.close()
    rows = [
        {
            "position": position,
            "entry_id": item.entry.entry_id,
            "singer": item.singer.name,
            "song_id": item.entry.song_id,
            "title": item.song.title,
            "artist": item.song.artist,
            "settings": item.entry.settings.to_dict(),
        }
        for position, item in enumerate(snapshot.upcoming, start=1)
    ]
    if args.json:
        print_json(rows)
    elif not rows:
        print("the queue is empty")
    else:
        for position, item in enumerate(snapshot.upcoming, start=1):
            key = item.entry.settings.key_semitones
            key_text = f"  key {key:+d}" if key else ""
            song = item.song
            print(f"{position:>3}. {item.singer.name}: {song.title} - {song.artist}{key_text}")
    return 0
