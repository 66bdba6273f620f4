"""The core: singers, queue, rotation, playback and the catalog; no hardware, no web.

Start at :mod:`~appliance.core.service`: ``Core`` is the one entry point every frontend uses (a
facade: it takes the lock, checks who asks, delegates, announces). Behind it:

- ``catalog_facade``, ``singers_facade``: the Core's catalog and history queries and its
  singer commands, mixed into it (as ``singing_facade`` and ``phone_pitch`` below).
- ``actor``: who asks (host or guest) and the rights checks.
- ``wiring``: which collaborator gets what; the core's own composition root.
- ``queue_commands``: join, queue, change, move, remove; rename, bump, pause, remove singers.
- ``undo``: a few seconds of undo for a removed entry and a skipped song.
- ``transport``: start now, pause, resume, skip, seek, live mix, volume.
- ``playback``: the state machine (idle, up next, playing, paused), the locked next singer,
  player callbacks, a song cut by a restart.
- ``live_state``: the playback state as one object (what plays, who is locked, the countdown,
  the volume) and its store keys.
- ``rotation``: who sings next (fair and fifo), pure functions.
- ``night``: singers, entries and who holds each name (claims) in memory, written through
  to the store.
- ``night_settings``: the night's settings and their rules, defined once (config, core, API);
  ``settings_book``: the current ones (config defaults, host changes, saved).
- ``snapshot``, ``snapshot_builder``: the immutable view frontends pull, and how it is built
  from explicit inputs; ``read_model``: the same view of a saved night, for the CLI.
- ``events``: typed events, the non-blocking bus, the announcer that versions them;
  ``inbox``: work posted to the core's thread.
- ``catalog``, ``history``, ``store``: songs (FTS5 search), who sang what, SQLite;
  ``scanlog``: what the last scans could not index (for doctor and the host's phone);
  ``textfold``: text folded for search and sorting (case, accents, ß, ligatures, ø, ł, þ...).
- ``singing``: the singer's side of a song: their mic's level and echo (``voice_book``, each
  singer's remembered and the night's default), the song's scoring session and its results
  (``scoring``); ``singing_facade``: the Core's voice and scoring commands and the TV's
  ``singing_views``; ``phone_pitch``: the Core's door for the singer's phone that listens.
- ``ports``, ``silent_player``: what the core needs from outside (Player, Clock), and a player
  that plays nothing on time. ``actions``: the named host actions of buttons and keys.
- ``atomicfile``: the one writer that leaves the old or the new file after a power cut.
- ``models``, ``errors``, ``config``, ``health``: value types, the one exception hierarchy,
  the config file, health checks. ``text``: every string at the core's boundary (Unicode scalar
  values, NFC, length), bad stored text scrubbed, the look-alike key of names.
"""
