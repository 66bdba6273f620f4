"""Where the box keeps its files: each path inside the state and data folders built here, once.

    >>> from pathlib import Path
    >>> database_path(Path("/var/lib/karaoke")).as_posix()
    '/var/lib/karaoke/karaoke.sqlite3'
    >>> transcode_cache_dir(Path("/var/lib/karaoke")).as_posix()
    '/var/lib/karaoke/transcode-cache'

The folders themselves come from the configuration (``Config.state_dir()``, ``data_dir()``).
"""

from __future__ import annotations

from pathlib import Path

DATABASE_FILE = "karaoke.sqlite3"
TRANSCODE_CACHE_FOLDER = "transcode-cache"
DEMO_LIBRARY_FOLDER = "demo-library"


def database_path(state_dir: Path) -> Path:
    """The state database (queue, singers, catalog) in ``state_dir``."""
    return state_dir / DATABASE_FILE


def transcode_cache_dir(state_dir: Path) -> Path:
    """Songs played in place, decoded once to FLAC (the engine and ``karaoke export``)."""
    return state_dir / TRANSCODE_CACHE_FOLDER


def demo_library_dir(data_dir: Path) -> Path:
    """The bundled demo songs, built on first use."""
    return data_dir / DEMO_LIBRARY_FOLDER
