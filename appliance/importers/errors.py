"""Why an import did not convert a song (all :class:`LibraryError`, so the CLI prints them).
Defined in the one hierarchy of :mod:`appliance.core.errors` (the audio adapter renders KARs
with the same FluidSynth wrapper and raises them too)::

>>> from appliance.core.errors import KaraokeError
>>> isinstance(ToolMissing("FluidSynth is not installed"), KaraokeError)
True
"""

from __future__ import annotations

from appliance.core.errors import ConversionFailed, ToolMissing

__all__ = ["ConversionFailed", "ToolMissing"]
