"""The audio adapter: the engine process that owns the sound card, its client (the core's
``Player``), the DSP chain, and where a song's audio comes from.

Entry points other parts look up by name (start here):

- ``part.py``: ``create_player(settings, state_dir, roots)``, the engine client for the
  composition root (app.py); ``settings.py``: the ``[audio]`` section it is given.
- ``loudness.py``: ``song_loudness(song)`` (with and without the guide vocal), measured by the
  library scan; ``with_loudness(song)`` for a song played by folder path; ``song_loudness_lufs``.
  ``loudness_process.py``: ``isolated_loudness``, ``song_loudness`` in a short-lived worker
  process (what the box hands the library, so the main process stays small).
- ``export.py``: ``export_song(...)``, offline renders (``karaoke export``).
- ``melody.py``: ``melody_sheet(song, state_dir)``, the melody of a guide vocal for songs with
  no notes, cached in the state dir (``karaoke score``).
- ``checks.py``: ``karaoke doctor``'s audio checks.

Subpackages, by job (each imports only those below it; pyproject.toml's contracts enforce it):

- ``engine/``: the engine process and its client: ``client.py`` (``EngineClient``, start here
  for a play, pause or key change), ``protocol.py`` (the messages over the pipe),
  ``process.py`` (the process and its device), ``producer.py`` (the thread that keeps the ring
  full), ``output.py`` (the PortAudio callback).
- ``dsp/``: the signal chain of one song, shared by the live engine and the export:
  ``song_renderer.py`` (``SongRenderer``, start here), gains, Rubber Band, vocal reduction,
  routing, limiter, loudness meter, the singer's pitch tracker (``pitch.py``).
- ``sources/``: a song's audio on disk: stem files read in lock-step (``stems.py``), sources
  found in files and zips (``locate.py``), songs played in place decoded to 48 kHz FLAC
  (``decode.py``) into the transcode cache (``transcode_cache.py``) ahead of play
  (``playable.py``), and the break music folder (``break_music.py``).

docs/engine.md describes the engine, its decisions and its numbers.
"""
