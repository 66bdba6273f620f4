"""Write a file so that a power cut leaves either the old or the new version, never a mix.

The bytes go to a hidden temporary file in the same folder, are flushed to the disk, and the
temporary file is renamed over the target; the folder is flushed too, so the rename survives::

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomically(folder / "song.toml", b"format = 1\\n")
    >>> (folder / "song.toml").read_bytes()
    b'format = 1\\n'
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_atomically(
    path: str | os.PathLike[str], data: bytes, mode: int | None = None, *, make_folder: bool = False
) -> None:
    """Replace ``path`` with ``data`` atomically and durably (temp file, fsync, rename, fsync).

    ``make_folder`` makes a missing folder (else that is an error). ``mode`` sets the file's
    permissions before any byte is written (a key stays private from its first byte); ``None``
    leaves them to the umask and the file system (FAT cannot store them).
    """
    target = Path(path)
    if make_folder:
        target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        created = 0o666 if mode is None else 0o600  # the umask applies to 0o666
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, created)
        try:
            if mode is not None:
                os.fchmod(descriptor, mode)
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    fsync_folder(target.parent)


def fsync_folder(folder: str | os.PathLike[str]) -> None:
    """Flush a folder's entries (a rename) to the disk; a no-op where folders cannot be opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)
