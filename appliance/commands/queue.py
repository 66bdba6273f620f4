"""``karaoke queue [--json]``: who sings when, from the box's state database."""

from __future__ import annotations

import argparse

from appliance.commands.common import config_from, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``queue``."""
    queue = subparsers.add_parser("queue", help="show the rotation: who sings when")
    queue.add_argument("--json", action="store_true", help="machine-readable output")
    queue.set_defaults(handler=_queue)


def _queue(args: argparse.Namespace) -> int:
    from appliance.core.catalog import Catalog
    from appliance.core.night import NightState
    from appliance.core.paths import database_path
    from appliance.core.rotation import upcoming
    from appliance.core.store import Store

    config = config_from(args)
    store = Store.open(database_path(config.state_dir()))
    try:
        night, catalog = NightState(store), Catalog(store)
        mode = (store.get_value("night_settings") or {}).get("mode", config.rotation.mode)
        order = upcoming(
            list(night.singers.values()),
            list(night.entries.values()),
            mode,
            store.get_value("locked_singer"),
        )
        rows = []
        for position, entry in enumerate(order, start=1):
            song = catalog.find(entry.song_id)
            rows.append(
                {
                    "position": position,
                    "entry_id": entry.entry_id,
                    "singer": night.singers[entry.singer_id].name,
                    "song_id": entry.song_id,
                    "title": song.title if song else "(missing)",
                    "artist": song.artist if song else "",
                    "settings": entry.settings.to_dict(),
                }
            )
    finally:
        store.close()
    if args.json:
        print_json(rows)
    elif not rows:
        print("the queue is empty")
    else:
        for row in rows:
            key = row["settings"]["key_semitones"]
            key_text = f"  key {key:+d}" if key else ""
            print(
                f"{row['position']:>3}. {row['singer']}: {row['title']} - {row['artist']}{key_text}"
            )
    return 0
