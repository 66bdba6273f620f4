"""Pitch names, chord symbols and voicings: the music theory the demo songs are written in.

>>> midi_number("A4"), midi_number("F#4"), midi_number("Bb3")
(69, 66, 58)
>>> chord = parse_chord("D7")
>>> chord.root_pc, chord.intervals
(2, (0, 4, 7, 10))
>>> close_voicing(parse_chord("C"), low=55)
(55, 60, 64)
>>> bass_note(7)
43
"""

from __future__ import annotations

from dataclasses import dataclass

_LETTER_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
_QUALITIES = {
    "": (0, 4, 7),
    "m": (0, 3, 7),
    "7": (0, 4, 7, 10),
    "m7": (0, 3, 7, 10),
    "maj7": (0, 4, 7, 11),
    "6": (0, 4, 7, 9),
    "dim": (0, 3, 6),
}
BASS_LOW = 36  # C2: bass roots sit in C2..B2 (65-123 Hz)


def midi_number(name: str) -> int:
    """MIDI number of a pitch name with octave: 'C4' = 60, sharps '#', flats 'b'."""
    letter, rest = name[0].upper(), name[1:]
    accidental = 0
    while rest and rest[0] in "#b":
        accidental += 1 if rest[0] == "#" else -1
        rest = rest[1:]
    if letter not in _LETTER_PC or not rest.lstrip("-").isdigit():
        raise ValueError(f"not a pitch name: {name!r}")
    return 12 * (int(rest) + 1) + _LETTER_PC[letter] + accidental


@dataclass(frozen=True)
class Chord:
    """A chord symbol read into its root pitch class (0 = C) and intervals above the root."""

    name: str
    root_pc: int
    intervals: tuple[int, ...]

    @property
    def pitch_classes(self) -> tuple[int, ...]:
        """The chord's pitch classes, root first."""
        return tuple((self.root_pc + step) % 12 for step in self.intervals)


def parse_chord(symbol: str) -> Chord:
    """Read 'G', 'Em', 'D7', 'Bbmaj7', 'F#m7', 'C6', 'Bdim'."""
    letter, rest = symbol[0].upper(), symbol[1:]
    root = _LETTER_PC[letter]
    if rest[:1] in ("#", "b"):
        root += 1 if rest[0] == "#" else -1
        rest = rest[1:]
    if rest not in _QUALITIES:
        raise ValueError(f"unknown chord quality in {symbol!r}")
    return Chord(symbol, root % 12, _QUALITIES[rest])


def close_voicing(chord: Chord, low: int = 55, max_notes: int = 4) -> tuple[int, ...]:
    """The chord's tones as MIDI numbers, each in the octave from ``low`` upwards, sorted."""
    tones = sorted({low + (pc - low) % 12 for pc in chord.pitch_classes[:max_notes]})
    return tuple(tones)


def bass_note(pitch_class: int, low: int = BASS_LOW) -> int:
    """The MIDI number of ``pitch_class`` in the octave from ``low`` (the bass register)."""
    return low + (pitch_class - low) % 12


def midi_to_hz(midi: float) -> float:
    """Equal temperament, A4 = 440 Hz."""
    return 440.0 * 2.0 ** ((midi - 69.0) / 12.0)
