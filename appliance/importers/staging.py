"""Song folders appear whole or not at all: built in a hidden folder, then renamed into place.

::

    with staged_folder(Path("/songs/Artist - Title")) as work:
        (work / "mix.flac").write_bytes(...)
        write_manifest(work, fields)
    # now /songs/Artist - Title exists; on any error nothing is left behind

``folder_name("AC/DC", "T.N.T.")`` gives a name safe on FAT/exFAT sticks: ``AC-DC - T.N.T``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from appliance.core.atomicfile import fsync_folder

MAX_NAME_CHARS = 100
_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')


def folder_name(artist: str, title: str) -> str:
    """``Artist - Title`` (or the title alone) without characters FAT/exFAT refuse."""
    label = f"{artist} - {title}" if artist.strip() else title
    name = _UNSAFE.sub("-", label).strip().strip(".").strip()
    name = re.sub(r"\s+", " ", name)[:MAX_NAME_CHARS].rstrip(" .")
    return name or "Untitled"


@contextlib.contextmanager
def staged_folder(final: Path, *, replace: bool = False) -> Iterator[Path]:
    """A hidden work folder beside ``final``, renamed to it when the block ends without error.

    ``replace`` swaps an existing ``final`` out (the old one is deleted after the rename);
    without it an existing ``final`` raises FileExistsError before any work is done.
    """
    if final.exists() and not replace:
        raise FileExistsError(str(final))
    final.parent.mkdir(parents=True, exist_ok=True)
    work = final.with_name(f".{final.name}.importing-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        yield work
        _flush_files(work)
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        if final.exists():
            final.rename(old)
        work.rename(final)
        shutil.rmtree(old, ignore_errors=True)
        fsync_folder(final.parent)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _flush_files(folder: Path) -> None:
    """Every file of the work folder on the disk before the rename makes it visible."""
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as stream:
                os.fsync(stream.fileno())
    fsync_folder(folder)
