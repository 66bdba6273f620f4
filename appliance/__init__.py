"""The karaoke box. Where to start:

- ``app.py``: the composition root; starts the parts in order (``run_box``).
- ``parts.py``: what a part is given (``PartContext``) and gives back (network info, URL).
- ``config.py``: the whole configuration, every section listed (each kept beside its part).
- ``optional.py``: parts a build may lack, looked up by name.
- ``cli.py`` + ``commands/``: the ``karaoke`` command.
- ``core/``: the night (queue, rotation, playback, events); imports nothing else of the project.
- ``library/``: song folders and format readers. Adapters, never importing each other:
  ``audio/``, ``display/``, ``buttons/``, ``system/``, ``demosongs/``, ``importers/``, and
  ``web_remote`` beside this package.
"""
