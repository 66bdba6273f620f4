"""The demo songs, arranged: the expected values other parts' tests rely on.

>>> song = SONGS["demo-amazing-grace"]
>>> song.notes[0].text, song.notes[0].pitch_midi, song.notes[0].start_s
('A', 62, 11.2)
>>> sorted(SONGS) == sorted(SONG_IDS)
True
"""

from __future__ import annotations

from appliance.demosongs.score import DemoSong, arrange
from appliance.demosongs.tunes import ALL_SPECS

SONGS: dict[str, DemoSong] = {spec.song_id: arrange(spec) for spec in ALL_SPECS}
SONG_IDS: tuple[str, ...] = tuple(SONGS)
