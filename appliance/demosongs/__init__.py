"""The demo library: six public-domain songs synthesized as native song folders with stems.

    >>> from appliance.demosongs import SONGS
    >>> len(SONGS) >= 6
    True

``build_demo_library(dest)`` writes them (``python -m appliance.demosongs DEST`` from a shell);
``SONGS`` holds each song's notes, chords and sections, the exact values the stems were made from.
"""

from appliance.demosongs.build import build_demo_library
from appliance.demosongs.songs import SONG_IDS, SONGS

__all__ = ["SONGS", "SONG_IDS", "build_demo_library"]
