"""How a demo song is written down (:class:`SongSpec`) and laid out in time (:func:`arrange`).

A tune has parts (verse, chorus); each part has chords per bar and sung phrases. A phrase's
melody is ``"pitch:beats"`` tokens (``r`` is a rest) and starts at a beat counted from the part's
first bar line (negative: a pick-up). Lyrics give one line per phrase with ``-`` between the
syllables of a word. The form lists sections: count-in, instrumental intro and breaks (the
melody on the keys), sung parts, an ending::

    >>> part = Part(bars=1, chords="C", phrases=(Phrase(0, "C4:2 E4:2"),))
    >>> spec = SongSpec("demo-x", "X", "Me", key="C", bpm=120, beats_per_bar=4, style="ballad",
    ...     parts={"verse": part}, lyrics={"verse": (("Hel-lo",),)},
    ...     form=(Section("countin", length=1), Section("sing", "verse")), tonic="C")
    >>> song = arrange(spec)
    >>> [(n.text, n.start_s, n.duration_s, n.pitch_midi) for n in song.notes]
    [('Hel', 2.0, 1.0, 60), ('lo', 3.0, 1.0, 64)]
    >>> song.duration_s
    4.0
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction

from appliance.demosongs.theory import Chord, midi_number, parse_chord
from appliance.library.formats.lyrics import Note

GRID = Fraction(1, 4)  # every time is on the sixteenth-note grid (in beats)


@dataclass(frozen=True)
class Phrase:
    """One sung line of a part: ``start`` in beats from the part's first bar line."""

    start: Fraction | int
    melody: str


@dataclass(frozen=True)
class Part:
    """Verse or chorus: ``chords`` has one entry per bar ('|' between bars; 'C G' splits one)."""

    bars: int
    chords: str
    phrases: tuple[Phrase, ...]


@dataclass(frozen=True)
class Section:
    """One block of the form. ``kind``: countin, intro, sing, break or ending.

    ``span`` (intro, break) is the part's bar range ``(first, last)`` counted from 1;
    ``length`` (countin, ending) is a number of bars; ``verse`` picks the lyrics of a sung part.
    """

    kind: str
    part: str = ""
    verse: int = 0
    span: tuple[int, int] = (0, 0)
    length: int = 0


@dataclass(frozen=True)
class SongSpec:
    """Everything needed to arrange and render one demo song."""

    song_id: str
    title: str
    artist: str
    key: str
    bpm: int
    beats_per_bar: int
    style: str
    parts: dict[str, Part]
    lyrics: dict[str, tuple[tuple[str, ...], ...]]
    form: tuple[Section, ...]
    tonic: str
    tags: tuple[str, ...] = ("demo",)
    language: str = "en"


@dataclass(frozen=True)
class TimedChord:
    """A chord sounding from ``start`` for ``beats`` (song beats from 0)."""

    start: Fraction
    beats: Fraction
    chord: Chord


@dataclass(frozen=True)
class SectionSpan:
    """Where a section sits: first beat, number of bars, its kind and part."""

    kind: str
    part: str
    start: Fraction
    bars: int


@dataclass(frozen=True)
class DemoSong:
    """A demo song laid out in time: the expected values every test can rely on.

    ``notes`` are the sung guide notes (seconds, MIDI pitch, syllable text with its spaces);
    ``phrases`` groups them into lyric lines; ``lead_notes`` are the instrumental melody notes
    (intro, breaks) played on the keys; ``chords`` and ``sections`` are in beats.
    """

    spec: SongSpec
    notes: tuple[Note, ...]
    phrases: tuple[tuple[Note, ...], ...]
    lead_notes: tuple[Note, ...]
    chords: tuple[TimedChord, ...]
    sections: tuple[SectionSpan, ...]
    total_beats: Fraction
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def song_id(self) -> str:
        """The library id, e.g. 'demo-amazing-grace'."""
        return self.spec.song_id

    @property
    def bpm(self) -> int:
        """Quarter notes per minute."""
        return self.spec.bpm

    @property
    def beat_s(self) -> float:
        """Length of one beat in seconds."""
        return 60.0 / self.spec.bpm

    @property
    def duration_s(self) -> float:
        """Length of every stem in seconds."""
        return self.seconds(self.total_beats)

    def seconds(self, beats: Fraction | int) -> float:
        """Song time of a beat position (exact, then rounded once to a float)."""
        return float(Fraction(beats) * Fraction(60, self.spec.bpm))


def syllables(line: str) -> list[str]:
    """Syllables of a lyric line, each word's last syllable keeping a space (not the line's).

    >>> syllables("A-ma-zing grace")
    ['A', 'ma', 'zing ', 'grace']
    """
    out: list[str] = []
    for word in line.split():
        parts = word.split("-")
        out.extend(parts[:-1])
        out.append(parts[-1] + " ")
    if out:
        out[-1] = out[-1].rstrip()
    return out


def melody_tokens(melody: str) -> list[tuple[int | None, Fraction]]:
    """``"G4:2 r:1/2"`` read into (MIDI or None for a rest, beats) pairs."""
    tokens = []
    for token in melody.split():
        name, _, length = token.partition(":")
        beats = Fraction(length)
        if beats <= 0 or beats % GRID:
            raise ValueError(f"{token!r}: length must be a positive number of sixteenths")
        tokens.append((None if name == "r" else midi_number(name), beats))
    return tokens


def arrange(spec: SongSpec) -> DemoSong:
    """Lay the form of ``spec`` out in time and check it (grid, overlaps, syllable counts)."""
    bar = Fraction(spec.beats_per_bar)
    cursor = Fraction(0)
    sung: list[list[tuple[Fraction, Fraction, int, str]]] = []
    lead: list[tuple[Fraction, Fraction, int, str]] = []
    chords: list[TimedChord] = []
    sections: list[SectionSpan] = []
    for section in spec.form:
        if section.kind in ("countin", "ending"):
            bars = section.length
            if section.kind == "ending":
                chords.append(TimedChord(cursor, bar * bars, parse_chord(spec.tonic)))
        else:
            part = spec.parts[section.part]
            first, last = section.span if section.kind != "sing" else (1, part.bars)
            bars = last - first + 1
            offset = cursor - (first - 1) * bar
            chords.extend(_part_chords(part, spec.beats_per_bar, first, last, offset))
            if section.kind == "sing":
                sung.extend(_sung_phrases(spec, section, offset))
            else:
                lo, hi = (first - 1) * bar, last * bar - _longest_pickup(spec)
                lead.extend(
                    (start + offset, min(beats, hi - start), pitch, "")
                    for phrase in _phrase_notes(part)
                    for start, beats, pitch, _ in phrase
                    if lo <= start < hi
                )
        sections.append(SectionSpan(section.kind, section.part, cursor, bars))
        cursor += bars * bar
    song = DemoSong(
        spec=spec,
        notes=(),
        phrases=(),
        lead_notes=(),
        chords=tuple(chords),
        sections=tuple(sections),
        total_beats=cursor,
    )
    phrases = tuple(tuple(_note(song, *event) for event in phrase) for phrase in sung)
    notes = tuple(note for phrase in phrases for note in phrase)
    _check_order(notes, spec.song_id)
    lead_notes = tuple(_note(song, *event) for event in lead)
    return DemoSong(spec, notes, phrases, lead_notes, song.chords, song.sections, cursor)


def _note(song: DemoSong, start: Fraction, beats: Fraction, pitch: int, text: str) -> Note:
    return Note(song.seconds(start), song.seconds(beats), pitch, text)


def _longest_pickup(spec: SongSpec) -> Fraction:
    """Beats the longest pick-up reaches back into the previous section (at least one)."""
    starts = [Fraction(p.start) for part in spec.parts.values() for p in part.phrases]
    return max(Fraction(1), -min(starts))


def _phrase_notes(part: Part) -> list[list[tuple[Fraction, Fraction, int, str]]]:
    phrases = []
    for phrase in part.phrases:
        time = Fraction(phrase.start)
        notes = []
        for pitch, beats in melody_tokens(phrase.melody):
            if pitch is not None:
                notes.append((time, beats, pitch, ""))
            time += beats
        phrases.append(notes)
    return phrases


def _sung_phrases(spec: SongSpec, section: Section, offset: Fraction):
    part = spec.parts[section.part]
    lines = spec.lyrics[section.part][section.verse]
    if len(lines) != len(part.phrases):
        raise ValueError(f"{spec.song_id}: {len(lines)} lyric lines for {len(part.phrases)}")
    out = []
    for line, notes in zip(lines, _phrase_notes(part), strict=True):
        words = syllables(line)
        if len(words) != len(notes):
            raise ValueError(f"{spec.song_id}: {line!r} has {len(words)} syllables, not "
                             f"{len(notes)} notes")  # fmt: skip
        out.append(
            [(s + offset, b, p, text) for (s, b, p, _), text in zip(notes, words, strict=True)]
        )
    return out


def _part_chords(part: Part, beats_per_bar: int, first: int, last: int, offset: Fraction):
    bars = [entry.split() for entry in part.chords.split("|")]
    if len(bars) != part.bars:
        raise ValueError(f"chords name {len(bars)} bars, the part has {part.bars}")
    out = []
    for index in range(first - 1, last):
        names = bars[index]
        step = Fraction(beats_per_bar, len(names))
        for position, name in enumerate(names):
            start = offset + index * beats_per_bar + position * step
            out.append(TimedChord(start, step, parse_chord(name)))
    return out


def _check_order(notes: tuple[Note, ...], song_id: str) -> None:
    for before, after in itertools.pairwise(notes):
        if after.start_s < before.end_s - 1e-9:
            raise ValueError(f"{song_id}: note {after.text!r} at {after.start_s} overlaps")
