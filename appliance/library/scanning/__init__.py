"""Scanning a library root into the catalog, incrementally.

- ``scanner.py``: start here. ``scan_library(root, catalog, progress=, analyze_loudness=)`` ->
  ``ScanReport``; the ``CatalogWriter`` it needs. Callers go through
  ``appliance.library.service.LibraryService``, which adds loudness and announcements.
- ``report.py``: ``ScanReport`` (song counts, ``FileTally``, failures) and ``ScanFailure``.
- ``accounting.py``: every file seen into a song, a failure or "other" (the counts add up).
- ``idclaims.py``: ``IdClaims``: two songs never share an id, an id once given stays.
- ``walk.py``: one walk of the root, handing every folder listing to the readers.
- ``registry.py``: the readers in order of precedence (register a format here), and the song
  at one path (``candidate_at``, ``read_song_at``).
- ``progressbar.py``: a text progress bar for the CLI, usable as ``progress``.

How a scan works: docs/library.md.
"""
