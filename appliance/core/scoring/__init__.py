"""Scoring a singer against the song's notes: pure Python, no numpy (the core's rule).

- :mod:`.model`: the shared vocabulary. :class:`PitchFrame` (what a pitch tracker heard, in
  song seconds), :class:`ScoreNote` and :class:`ScoreSheet` (the notes to hit, from UltraStar,
  KAR or the demo songs' notes, or a melody taken from a guide vocal), :class:`Difficulty` and
  its tolerances, :class:`Rating`, :class:`LineScore` and :class:`SongScore` (UltraStar-style
  points: 9000 for the notes, golden notes worth double, 1000 for the line bonus).

Where the frames come from is not the core's business: the engine's microphones, a recorded
voice (``karaoke score``) or a phone listening all end up as :class:`PitchFrame` s.
"""
