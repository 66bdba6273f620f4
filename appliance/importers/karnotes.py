"""A KAR's sung notes: the melody channel's pitches at the lyric syllables, as UltraStar notes.

Each syllable takes the melody note that starts nearest its start (within 150 ms), else the one
sounding then; it lasts until that note ends or the next syllable starts, whichever is first.
A syllable with no melody note under it gets none (it is still in the lyrics). The notes are
written on a 10 ms grid (``#BPM:1500``: one UltraStar beat is 10 ms), a phrase break before
each lyric line, so a KAR song is scored like any other::

    text = kar_notes_text(midi, melody_channel, kar.lyrics, title, artist)  # None: no notes
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import mido

from appliance.importers.midisplit import seconds_clock
from appliance.library.formats.lyrics import Lyrics

BPM = 1500  # one UltraStar beat (a sixteenth at this bpm) is 10 ms
BEAT_S = 60.0 / (BPM * 4)
NEAR_S = 0.15
MIDI_TO_ULTRASTAR = 60


@dataclass(frozen=True)
class MelodyNote:
    """One note of the melody channel, in seconds."""

    start_s: float
    end_s: float
    pitch: int


def melody_notes(midi: mido.MidiFile, channel: int) -> list[MelodyNote]:
    """The channel's notes in time order (a note-on without its note-off ends with the file)."""
    clock = seconds_clock(midi)
    events = []
    for track in midi.tracks:
        tick = 0
        for message in track:
            tick += message.time
            if message.type in ("note_on", "note_off") and message.channel == channel:
                events.append((tick, message))
    events.sort(key=lambda event: event[0])
    sounding: dict[int, float] = {}
    notes: list[MelodyNote] = []
    for tick, message in events:
        now = clock(tick)
        started = sounding.pop(message.note, None)
        if started is not None and now > started:
            notes.append(MelodyNote(started, now, message.note))
        if message.type == "note_on" and message.velocity > 0:
            sounding[message.note] = now
    end = clock(max((tick for tick, _ in events), default=0))
    notes += [MelodyNote(s, end, pitch) for pitch, s in sounding.items() if end > s]
    return sorted(notes, key=lambda note: note.start_s)


def _note_for(notes: list[MelodyNote], starts: list[float], time_s: float) -> MelodyNote | None:
    index = bisect.bisect_left(starts, time_s)
    near = [notes[i] for i in (index - 1, index) if 0 <= i < len(notes)]
    near = [n for n in near if abs(n.start_s - time_s) <= NEAR_S]
    if near:
        return min(near, key=lambda n: abs(n.start_s - time_s))
    sounding = [n for n in notes[: index + 1] if n.start_s <= time_s < n.end_s]
    return sounding[-1] if sounding else None


def kar_notes_text(
    midi: mido.MidiFile, channel: int, lyrics: Lyrics, title: str, artist: str
) -> str | None:
    """The UltraStar notes of the sung syllables (None when no syllable has a melody note)."""
    notes = melody_notes(midi, channel)
    starts = [note.start_s for note in notes]
    words = [(index, word) for index, line in enumerate(lyrics.lines) for word in line.words]
    body: list[str] = []
    last_line = None
    for position, (line, word) in enumerate(words):
        note = _note_for(notes, starts, word.start_s)
        if note is None or not word.text.strip():
            continue
        following = words[position + 1][1].start_s if position + 1 < len(words) else note.end_s
        begin = round(word.start_s / BEAT_S)
        length = max(1, round(min(note.end_s, following) / BEAT_S) - begin)
        if last_line is not None and line != last_line:
            body.append(f"- {begin}")
        last_line = line
        body.append(f": {begin} {length} {note.pitch - MIDI_TO_ULTRASTAR} {word.text}")
    if not body:
        return None
    headers = [f"#TITLE:{title or 'KAR'}", f"#ARTIST:{artist or '-'}", f"#BPM:{BPM}", "#GAP:0"]
    return "\n".join([*headers, *body, "E"]) + "\n"
