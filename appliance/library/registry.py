"""The song readers the scanner uses, in order of precedence. Register a format here.

A reader earlier in the list wins a folder it claims (a native ``song.toml`` folder hides its
``notes.txt`` from the UltraStar reader). To add a format, import its reader and add one line
to the tuple::

    >>> [reader.name for reader in default_readers()]
    ['native', 'ultrastar', 'mp3g', 'kar', 'lrc_audio']
"""

from __future__ import annotations

from appliance.library.foreign import foreign_readers
from appliance.library.native import NativeFolderReader
from appliance.library.readers import SongReader


def default_readers() -> tuple[SongReader, ...]:
    """A fresh set of the registered readers, most specific first."""
    return (
        NativeFolderReader(),
        *foreign_readers(),  # UltraStar, MP3+G pairs and zips, KAR, audio + LRC
    )
