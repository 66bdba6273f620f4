r"""The native song folder: a ``song.toml`` beside its stems, lyrics and notes.

- ``manifest.py``: start here. ``read_manifest(folder)`` -> checked ``Song``;
  ``write_manifest(folder, fields)`` (checked, atomic); ``manifest_fields(song)``.
- ``manifest_checks.py``, ``tomlfields.py``: the field checks; every error names its field.
- ``songids.py``: stable ids (the manifest's, else a slug of the library path).
- ``bounded.py``: read a song's small file whole, with a size limit and the library's error.
- ``filematch.py``: files named in song files found as their authors' systems found them
  (case, NFC/NFD, ``\``, relative paths inside the library); manifests and UltraStar alike.

The lowest layer of the library: it imports nothing else from it. How a person writes a song
folder: docs/song-format.md.
"""
