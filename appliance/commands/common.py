"""Helpers the subcommands share: loading config, opening the catalog, resolving a SONG.

A SONG argument is a song's path (a native song folder, an MP3+G zip or .mp3/.cdg pair, a .kar,
an UltraStar .txt, audio with an .lrc), or words that match exactly one song in the catalog::

    $ karaoke play ./songs/amazing-grace
    $ karaoke play "/media/usb/SC8001-01 - Artist - Title.zip"
    $ karaoke play "amazing grace"
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from appliance.config import Config, load_config
from appliance.core.catalog import Catalog
from appliance.core.errors import InvalidRequest, NotFound
from appliance.core.models import Song
from appliance.core.paths import database_path
from appliance.core.store import Store


def config_from(args: argparse.Namespace) -> Config:
    """The configuration named by --config, else the default one, over this board's defaults."""
    path = Path(args.config) if getattr(args, "config", None) else None
    board = this_board()
    return load_config(path, board.config_defaults() if board else None)


def this_board() -> Any:
    """The board this runs on (:class:`appliance.system.board.Board`; None in a build without
    the system part). ``KARAOKE_BOARD_MODEL`` names another file holding a device-tree model
    text: to see what a Pi would default to, and for tests."""
    from appliance.optional import optional_module

    boards = optional_module("appliance.system.board")
    if boards is None:
        return None
    return boards.detect_board(Path(os.environ.get("KARAOKE_BOARD_MODEL") or boards.MODEL_FILE))


def open_catalog(config: Config) -> tuple[Store, Catalog]:
    """The state database and its catalog."""
    store = Store.open(database_path(config.state_dir()))
    return store, Catalog(store)


def resolve_song(config: Config, text: str) -> Song:
    """A song from a folder path, or from words matching exactly one catalog song."""
    path = Path(text).expanduser()
    store, catalog = open_catalog(config)
    if path.exists():
        try:
            return song_from_path(path, catalog)
        finally:
            store.close()
    try:
        matches = catalog.search(text, limit=10)
        exact = [s for s in matches if s.song_id == text]
    finally:
        store.close()
    if exact:
        return exact[0]
    if not matches:
        raise NotFound(f"no song matches {text!r} (try `karaoke songs {text}` or `karaoke scan`)")
    if len(matches) > 1:
        names = "; ".join(f"{s.label} [{s.song_id}]" for s in matches[:5])
        raise InvalidRequest("song", f"{text!r} matches {len(matches)} songs: {names}")
    return matches[0]


def song_from_path(path: Path, catalog: Catalog | None = None) -> Song:
    """The song at ``path``: a native song folder (or its song.toml), an MP3+G zip or pair, a
    KAR, an UltraStar .txt, audio with its .lrc. The catalog's entry when it has one (its id
    and measured loudness), else read from disk."""
    from appliance.library.scanning.registry import candidate_at

    path = (path.parent if path.name == "song.toml" else path).resolve()
    candidate = candidate_at(str(path))
    if candidate is None:
        raise InvalidRequest("song", f"{path} is not a song this box can read")
    known = catalog.by_path(candidate.path) if catalog is not None else None
    return known or candidate.reader.read(candidate, str(Path(candidate.path).parent))


def print_json(data: Any) -> None:
    """Pretty JSON on stdout."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
