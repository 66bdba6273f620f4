"""The TV: pygame on the main thread (docs/display.md). Start at ``part.py``.

- ``part.py``: ``run(context, keys)`` and the frame loop (``DisplayLoop``).
- ``settings.py``: the ``[display]`` section and the TV's ``KeyControls``; ``keys.py``: keymap.
- ``state.py``: the core's snapshot for drawing; ``position.py``: the engine's position smoothed;
  ``notices.py``: messages that fade.
- ``frame.py``: what one frame shows; ``render.py``: which scene draws it; scenes:
  ``lyrics_scene.py``, ``cdg_scene.py`` (+ ``cdg_picture.py``), ``video_scene.py`` (+
  ``video_feed.py``, the decoder thread, over ``video_decoder.py``), ``waiting_scenes.py``
  (+ ``leaderboard.py``), ``score_scene.py`` (the result after a song); ``backdrop.py``: the
  picture behind the lyrics (an UltraStar song's ``#VIDEO`` or ``#BACKGROUND``, else the host's
  ``[display] backgrounds`` folder), a video through ``video_feed.py``;
- scoring: ``score_show.py`` (what a frame knows of it), ``singing_scene.py`` (note lanes over
  the lyrics, running score, line ratings, the corner score), ``note_lane.py`` (one lane
  drawn), ``lane_model.py`` (lines, pitch range, octave folding, the pitch heard so far);
- ``chrome.py`` (header, footer), ``overlays.py`` (notices, mute sign, corner QR),
  ``pin_overlay.py`` (the host PIN), ``layout.py``, ``text.py``, ``theme.py``, ``fonts.py``,
  ``qr.py``: drawing parts.
- ``checks.py``: ``karaoke doctor``; ``screenshot.py``: ``karaoke screenshot``.
"""
