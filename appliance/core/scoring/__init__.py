"""Scoring a singer against the song's notes: pure Python, no numpy (the core's rule).

- :mod:`.model`: the shared vocabulary. :class:`PitchFrame` (what a pitch tracker heard, in
  song seconds), :class:`ScoreNote` and :class:`ScoreSheet` (the notes to hit, from UltraStar,
  KAR or the demo songs' notes, or a melody taken from a guide vocal), :class:`Difficulty` and
  its tolerances, :class:`Rating`, :class:`LineScore` and :class:`SongScore` (UltraStar-style
  points: 9000 for the notes, golden notes worth double, 1000 for the line bonus).
- :mod:`.session`: one song's scoring while it is sung: a scorer per part (duet: part 1 on
  mic 1, part 2 on mic 2) and one per listening phone, the key followed, the frames of the
  last 8 s kept for the TV, the :class:`SingingView` s the TV reads without a lock.
- :mod:`.phones`: :class:`PhoneBatch`, a listening phone's frames with their ages and the
  phone's latency, checked at the boundary and stamped in song seconds (mic 3+).
- :mod:`.results`: each result in the store (migration 7), a singer's best before, the night's
  leaderboard.
- :mod:`.scorer`: :class:`Scorer`, one singer (one part) of one song: fed
  :class:`PitchFrame` s in time order, it credits each note for the time a frame covers by the
  octave-folded distance to the note (the difficulty's tolerance, the singer's key), reports
  each :class:`LineScore` once a frame passes the line's last note, and the
  :class:`SongScore` at the end.

Where the frames come from is not the core's business: the engine's microphones, a recorded
voice (``karaoke score``) or a phone listening all end up as :class:`PitchFrame` s.
"""
