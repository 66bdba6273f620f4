"""General MIDI instruments grouped into the stems an imported KAR gets.

Channel 10 (index 9) is always drums; other channels are grouped by their current program
(0-based GM numbers). Each group names its stem and the stem's role::

    >>> group_of_program(33).name, group_of_program(0).name, group_of_program(65).role
    ('bass', 'keys', <StemRole.BRASS: 'brass'>)
    >>> DRUMS.role, GUIDE.role
    (<StemRole.DRUMS: 'drums'>, <StemRole.LEAD_VOCAL: 'lead_vocal'>)
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.core.models import StemRole

DRUM_CHANNEL = 9


@dataclass(frozen=True)
class StemGroup:
    """One stem of a rendered KAR: its name (also the file name) and role."""

    name: str
    role: StemRole


DRUMS = StemGroup("drums", StemRole.DRUMS)
PERCUSSION = StemGroup("percussion", StemRole.PERCUSSION)
BASS = StemGroup("bass", StemRole.BASS)
KEYS = StemGroup("keys", StemRole.KEYS)
GUITAR = StemGroup("guitar", StemRole.GUITAR)
STRINGS = StemGroup("strings", StemRole.STRINGS)
BRASS = StemGroup("brass", StemRole.BRASS)
WINDS = StemGroup("winds", StemRole.OTHER)
SYNTH = StemGroup("synth", StemRole.SYNTH)
CHOIR = StemGroup("choir", StemRole.BACKING_VOCALS)
EFFECTS = StemGroup("effects", StemRole.OTHER)
GUIDE = StemGroup("guide", StemRole.LEAD_VOCAL)

STEM_ORDER = (
    DRUMS, PERCUSSION, BASS, KEYS, GUITAR, STRINGS, BRASS, WINDS, SYNTH, CHOIR, EFFECTS, GUIDE,
)  # fmt: skip

# (first program, last program, group), GM 1 families with a few instruments moved where a
# karaoke host would look for them (timpani with percussion, choirs as backing vocals).
_PROGRAM_RANGES = (
    (0, 7, KEYS),  # pianos
    (8, 15, KEYS),  # chromatic percussion: celesta, vibraphone, marimba...
    (16, 23, KEYS),  # organs, accordion, harmonica
    (24, 31, GUITAR),
    (32, 39, BASS),
    (40, 46, STRINGS),  # violin ... harp
    (47, 47, PERCUSSION),  # timpani
    (48, 51, STRINGS),  # string ensembles
    (52, 54, CHOIR),  # choir aahs, voice oohs, synth voice
    (55, 55, STRINGS),  # orchestra hit
    (56, 71, BRASS),  # brass and reeds (the horn section)
    (72, 79, WINDS),  # flutes, recorder, pan flute, whistle, ocarina
    (80, 103, SYNTH),  # synth leads, pads and effects
    (104, 107, GUITAR),  # sitar, banjo, shamisen, koto
    (108, 108, KEYS),  # kalimba
    (109, 109, WINDS),  # bagpipe
    (110, 110, STRINGS),  # fiddle
    (111, 111, WINDS),  # shanai
    (112, 119, PERCUSSION),  # bells, agogo, steel drums, taiko, synth drum...
    (120, 127, EFFECTS),
)


def group_of_program(program: int) -> StemGroup:
    """The stem group of a (0-based) General MIDI program number."""
    for first, last, group in _PROGRAM_RANGES:
        if first <= program <= last:
            return group
    return KEYS


def group_of_note(channel: int, program: int, melody_channel: int | None) -> StemGroup:
    """The stem a note goes to: the guide for the melody channel, drums for channel 10."""
    if channel == melody_channel:
        return GUIDE
    if channel == DRUM_CHANNEL:
        return DRUMS
    return group_of_program(program)
