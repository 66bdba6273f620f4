"""The ``karaoke`` command's subcommands, one module each (the parser: :mod:`appliance.cli`).

- ``run.py``: ``karaoke run`` (the box, through :mod:`appliance.app`) and ``karaoke demo``.
- ``library.py``: ``karaoke scan`` and ``karaoke songs``; ``importing.py``: ``karaoke import``.
- ``audio.py``: ``karaoke play``, ``export`` and ``devices`` (the engine without a screen).
- ``score.py``: ``karaoke score`` (a recorded voice against a song's notes).
- ``queue.py``: ``karaoke queue`` from the core's read model; ``web.py``: ``karaoke pin``.
- ``screenshot.py``: a TV scene as a PNG; ``doctor.py``: what the box sees and what to fix.
- ``common.py``: what they share (the config, the catalog, resolving a SONG argument).
"""
