"""A KAR's sung notes written as the imported song's UltraStar ``notes.txt``.

The notes are the melody channel's pitches at the lyric syllables
(:func:`appliance.library.formats.kar_melody.syllable_notes`), written on a 10 ms grid
(``#BPM:1500``: one UltraStar beat is 10 ms), a phrase break before each lyric line, so an
imported KAR song is scored like any other::

    >>> from appliance.library.formats.lyrics import Note, NoteTrack
    >>> track = NoteTrack((Note(0.5, 0.42, 67, "Hel"), Note(1.0, 0.4, 69, "lo")), (1.0,))
    >>> print(ultrastar_text(track, "Test", "Band"), end="")
    #TITLE:Test
    #ARTIST:Band
    #BPM:1500
    #GAP:0
    : 50 42 7 Hel
    - 100
    : 100 40 9 lo
    E
"""

from __future__ import annotations

from appliance.library.formats.lyrics import NoteTrack

BPM = 1500  # one UltraStar beat (a sixteenth at this bpm) is 10 ms
BEAT_S = 60.0 / (BPM * 4)
MIDI_TO_ULTRASTAR = 60


def ultrastar_text(track: NoteTrack, title: str, artist: str) -> str:
    """The notes as UltraStar text (the native ``notes.txt``: no audio headers)."""
    body: list[str] = []
    breaks = sorted(track.line_breaks_s)
    next_break = 0
    for note in sorted(track.notes, key=lambda n: n.start_s):
        begin = round(note.start_s / BEAT_S)
        while next_break < len(breaks) and breaks[next_break] <= note.start_s + BEAT_S / 2:
            if body:
                body.append(f"- {round(breaks[next_break] / BEAT_S)}")
            next_break += 1
        length = max(1, round(note.end_s / BEAT_S) - begin)
        body.append(f": {begin} {length} {note.pitch_midi - MIDI_TO_ULTRASTAR} {note.text}")
    headers = [f"#TITLE:{title or 'KAR'}", f"#ARTIST:{artist or '-'}", f"#BPM:{BPM}", "#GAP:0"]
    return "\n".join([*headers, *body, "E"]) + "\n"
