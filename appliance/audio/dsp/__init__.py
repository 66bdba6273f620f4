"""The signal chain of one song, shared by the live engine and the offline export.

- ``song_renderer.py``: ``SongRenderer``, the chain chunk by chunk: stems -> gains -> music
  and monitor buses -> Rubber Band -> routing -> loudness gain -> a limiter per output pair.
  Start here.
- ``gains.py``: per-stem gains with ramps; ``vocals.py``: vocal reduction and multiplex tracks
  for songs without stems; ``rubberband.py``: the real-time stretcher (ctypes), and
  ``bus_stretch.py`` the buses through their stretchers on parallel threads;
  ``click_stretch.py``: a click bus's tempo change by moving each click (no Rubber Band);
  ``routing.py``: which output carries what; ``limiter.py``: the look-ahead limiter
  (``OutputLimiters``: one per output pair).
- ``pitch.py``: ``PitchTracker``, the singer's pitch streamed (aubio's YIN, 10 ms hops), for
  the engine's mic tracking and ``karaoke score``.
- ``meter.py``: the EBU R128 loudness of a song's room mix, with and without the guide vocal.
- The microphones: ``voice.py``, a mic's voice chain (high-pass, compressor, echo, level and
  howl duck, limiter; pedalboard), run by the engine's callback; ``howl.py``, the feedback
  detector the engine's tracking thread runs beside ``pitch.py``.

Nothing here knows the engine process; the stems are read through ``appliance.audio.sources``.
"""
