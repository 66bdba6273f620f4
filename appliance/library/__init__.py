"""The song library: song folders on disk, the readers of every format, and scanning them into
the catalog. Pure data work: no screen, no sound device; it depends only on the core.

Where to start:

- ``service.py``: :class:`LibraryService`, the roots and every scan of them (start-up,
  ``karaoke scan``/``import``, USB sticks, the phone's Rescan): scan, measure loudness, announce.
- ``scanning/``: walking a root once and bringing the catalog in line with the disk
  (``scanner.py``), and the registry of readers (``registry.py``: add a format there).
- ``formats/``: one module per format (``native``, ``ultrastar``, ``mp3g`` + ``cdg``, ``kar``,
  ``lrc``) and the reader plug-in point (``songreader.py``); the lyrics model (``lyrics.py``).
- ``songfolder/``: the native song folder: ``song.toml`` read, checked and written atomically,
  song ids.

Layers (import-linter checks them): service -> scanning -> formats -> songfolder.
docs/library.md is the guide; docs/formats.md covers the foreign formats.
"""
