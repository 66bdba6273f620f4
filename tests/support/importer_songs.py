"""Generated inputs for the importer tests: a short KAR built with mido, an UltraStar song with
a synthesized WAV, audio + LRC. No music of anyone's: scales and sine tones.

The KAR has a melody channel (channel 1, flute) whose notes start with the lyric syllables, a
bass channel (channel 2, fingered bass) playing on the beat, and drums on channel 10; a tempo
change mid-song; lyrics as FF 05 events in a track of their own.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import mido
import numpy as np
import soundfile

TICKS = 480
MELODY_CHANNEL, BASS_CHANNEL, DRUM_CHANNEL = 0, 1, 9
FLUTE, FINGER_BASS = 73, 33


@dataclass(frozen=True)
class MelodyNote:
    """A sung note: start tick, length in ticks, MIDI pitch, syllable (with its spaces)."""

    tick: int
    ticks: int
    pitch: int
    syllable: str


MELODY = (
    MelodyNote(0, 420, 67, "Hel"),
    MelodyNote(480, 420, 69, "lo "),
    MelodyNote(960, 900, 72, "world"),
    MelodyNote(1920, 420, 64, "\rSing "),
    MelodyNote(2400, 420, 65, "a "),
    MelodyNote(2880, 900, 60, "song"),
)
TEMPO_CHANGE_TICK = 1920


def _track_from(events: list[tuple[int, mido.Message | mido.MetaMessage]]) -> mido.MidiTrack:
    track = mido.MidiTrack()
    now = 0
    for tick, message in sorted(events, key=lambda item: item[0]):
        track.append(message.copy(time=tick - now))
        now = tick
    return track


def build_kar(path: Path) -> Path:
    """Write the test KAR (type 1, about 3.5 s)."""
    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS)
    conductor = [
        (0, mido.MetaMessage("set_tempo", tempo=500_000)),
        (TEMPO_CHANGE_TICK, mido.MetaMessage("set_tempo", tempo=400_000)),
    ]
    midi.tracks.append(_track_from(conductor))
    words = [(0, mido.MetaMessage("track_name", name="Words"))]
    words += [(0, mido.MetaMessage("text", text="@TTest Song"))]
    words += [(n.tick, mido.MetaMessage("lyrics", text=n.syllable)) for n in MELODY]
    midi.tracks.append(_track_from(words))
    melody = [(0, mido.Message("program_change", channel=MELODY_CHANNEL, program=FLUTE))]
    for note in MELODY:
        melody.append((note.tick, _on(MELODY_CHANNEL, note.pitch, 100)))
        melody.append((note.tick + note.ticks, _off(MELODY_CHANNEL, note.pitch)))
    midi.tracks.append(_track_from(melody))
    bass = [(0, mido.Message("program_change", channel=BASS_CHANNEL, program=FINGER_BASS))]
    drums = []
    for beat in range(8):
        tick = beat * TICKS + TICKS // 2  # off the beat: the bass never matches the syllables
        bass += [(tick, _on(BASS_CHANNEL, 36, 100)), (tick + 200, _off(BASS_CHANNEL, 36))]
        drum = 36 if beat % 2 == 0 else 38
        drums += [(beat * TICKS, _on(DRUM_CHANNEL, drum, 110))]
        drums += [(beat * TICKS + 100, _off(DRUM_CHANNEL, drum))]
    midi.tracks.append(_track_from(bass))
    midi.tracks.append(_track_from(drums))
    midi.save(path)
    return path


def _on(channel: int, note: int, velocity: int) -> mido.Message:
    return mido.Message("note_on", channel=channel, note=note, velocity=velocity)


def _off(channel: int, note: int) -> mido.Message:
    return mido.Message("note_off", channel=channel, note=note, velocity=0)


def melody_times_s() -> list[tuple[float, float, int]]:
    """(start, end, pitch) of each melody note in seconds (the tempo change included)."""

    def seconds(tick: int) -> float:
        first = min(tick, TEMPO_CHANGE_TICK) * 0.5 / TICKS
        return first + max(0, tick - TEMPO_CHANGE_TICK) * 0.4 / TICKS

    return [(seconds(n.tick), seconds(n.tick + n.ticks), n.pitch) for n in MELODY]


def write_tone(path: Path, seconds: float, rate: int, frequency: float, channels: int = 2) -> None:
    """A sine tone (with a short fade) as a 16-bit WAV."""
    t = np.arange(int(seconds * rate)) / rate
    tone = 0.3 * np.sin(2 * np.pi * frequency * t) * np.minimum(1.0, t / 0.01)
    soundfile.write(path, np.repeat(tone[:, None], channels, axis=1), rate, subtype="PCM_16")


ULTRASTAR_TXT = """#TITLE:Tone Song
#ARTIST:Test Band
#LANGUAGE:English
#MP3:tone.wav
#COVER:cover.jpg
#BPM:240
#GAP:100
: 0 4 0 One
: 4 4 2  two
- 10
: 10 4 4 Three
E
"""


def build_ultrastar(folder: Path, *, vocals: bool = False, rate: int = 44_100) -> Path:
    """An UltraStar folder with a 1.5 s tone (or #VOCALS/#INSTRUMENTAL tones of unequal
    length); returns the ``.txt``."""
    folder.mkdir(parents=True, exist_ok=True)
    text = ULTRASTAR_TXT
    write_tone(folder / "tone.wav", 1.5, rate, 440.0)
    if vocals:
        text = text.replace(
            "#MP3:tone.wav\n", "#MP3:tone.wav\n#VOCALS:v.wav\n#INSTRUMENTAL:i.wav\n"
        )
        write_tone(folder / "v.wav", 1.2, rate, 660.0, channels=1)
        write_tone(folder / "i.wav", 1.5, rate, 220.0)
    path = folder / "Tone Song.txt"
    path.write_text(text, encoding="utf-8")
    return path


def kar_bytes() -> bytes:
    """Three syllables, one beat apart at 120 bpm: 'Twin', 'kle ', 'star' (a KAR's lyrics only)."""
    midi = mido.MidiFile(ticks_per_beat=96)
    midi.tracks.append(
        mido.MidiTrack(
            [
                mido.MetaMessage("set_tempo", tempo=500000, time=0),
                mido.MetaMessage("lyrics", text="Twin", time=96),
                mido.MetaMessage("lyrics", text="kle ", time=96),
                mido.MetaMessage("lyrics", text="star", time=96),
            ]
        )
    )
    out = io.BytesIO()
    midi.save(file=out)
    return out.getvalue()
