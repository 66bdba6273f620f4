"""Reading a song's small files whole, bounded, with the library's own error.

>>> import tempfile, os
>>> with tempfile.NamedTemporaryFile(delete=False) as f:
...     _ = f.write(b"x" * 10)
>>> read_bounded(f.name, 100, "an LRC file")
b'xxxxxxxxxx'
>>> read_bounded(f.name, 5, "an LRC file")
Traceback (most recent call last):
...
appliance.core.errors.SongFormatError: ...: larger than 5 bytes: too large for an LRC file
>>> os.unlink(f.name)
"""

from __future__ import annotations

import os

from appliance.core.errors import SongFormatError


def read_bounded(path: str | os.PathLike[str], max_bytes: int, what: str) -> bytes:
    """The bytes of ``path``; SongFormatError if it cannot be read or is over ``max_bytes``
    (``what`` names the kind of file for the message, e.g. "a MIDI file")."""
    source = os.fspath(path)
    try:
        with open(source, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise SongFormatError(source, f"cannot read: {error.strerror or error}") from error
    if len(data) > max_bytes:
        raise SongFormatError(source, f"larger than {max_bytes} bytes: too large for {what}")
    return data
