"""Why an import did not convert a song (all :class:`LibraryError`, so the CLI prints them)::

>>> from appliance.core.errors import KaraokeError
>>> isinstance(ToolMissing("FluidSynth is not installed"), KaraokeError)
True
"""

from __future__ import annotations

from appliance.core.errors import LibraryError


class ConversionFailed(LibraryError):
    """A song could not be converted (a tool failed, the audio cannot be decoded...)."""


class ToolMissing(ConversionFailed):
    """A program or data file the conversion needs is not installed."""
