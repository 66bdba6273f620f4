"""What the band plays: drum grooves, bass lines and keyboard comping for each style.

A pattern is a list of positions in the bar (in beats). :func:`chord_spans` merges repeated
chords so a bass note is not re-struck for a chord that does not change; :func:`events_in_span`
lays a pattern over one chord; the chord's first beat always gets the bar's first entry
(the bass plays the root there, even when the chord changes in the middle of a bar)::

    >>> from appliance.demosongs.theory import parse_chord
    >>> spans = [Span(0, 4, parse_chord("C")), Span(4, 2, parse_chord("G"))]
    >>> [(int(e.beat), e.value[0], float(e.value[1]))
    ...  for e in events_in_span(spans[1], 4, BASS["two_beat"])]
    [(4, 'root', 1.0)]
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from appliance.demosongs.score import DemoSong
from appliance.demosongs.theory import Chord

# drum hits per bar: (beat, velocity)
GROOVES: dict[str, dict[str, list[tuple[float, float]]]] = {
    "waltz": {
        "kick": [(0, 1.0)],
        "snare": [(1, 0.32), (2, 0.28)],
        "hat": [(0, 0.5), (0.5, 0.25), (1, 0.45), (1.5, 0.25), (2, 0.45), (2.5, 0.3)],
    },
    "ballad": {
        "kick": [(0, 1.0), (2, 0.8), (2.5, 0.5)],
        "snare": [(1, 0.75), (3, 0.8)],
        "hat": [(b / 2, 0.5 if b % 2 == 0 else 0.3) for b in range(8)],
    },
    "two_beat": {
        "kick": [(0, 1.0), (2, 0.9)],
        "snare": [(1, 0.9), (3, 0.95)],
        "hat": [(b / 2, 0.35 if b % 2 == 0 else 0.55) for b in range(7)],
        "open_hat": [(3.5, 0.35)],
    },
}

# bass notes per bar: (beat, (chord tone, length in beats))
BASS: dict[str, list[tuple[float, tuple[str, float]]]] = {
    "waltz": [(0, ("root", 2)), (2, ("fifth", 1))],
    "ballad": [(0, ("root", 1.5)), (1.5, ("root", 0.5)), (2, ("fifth", 1.5)), (3.5, ("root", 0.5))],
    "two_beat": [(0, ("root", 1)), (2, ("fifth", 1))],
}

# keyboard chords per bar: (beat, (length in beats, velocity))
COMPING: dict[str, list[tuple[float, tuple[float, float]]]] = {
    "waltz": [(0, (1.0, 0.75)), (1, (0.9, 0.5)), (2, (0.9, 0.5))],
    "ballad": [(0, (2.0, 0.7)), (2, (1.5, 0.6)), (3.5, (0.5, 0.45))],
    "two_beat": [(0, (0.5, 0.5)), (1, (0.45, 0.75)), (2, (0.5, 0.5)), (3, (0.45, 0.75))],
}


@dataclass(frozen=True)
class Span:
    """A chord held from ``start`` for ``beats`` (song beats)."""

    start: Fraction | int
    beats: Fraction | int
    chord: Chord

    @property
    def name(self) -> str:
        """The chord symbol ('G7')."""
        return self.chord.name

    @property
    def end(self) -> Fraction:
        """The beat where the chord stops."""
        return Fraction(self.start) + Fraction(self.beats)


@dataclass(frozen=True)
class Event:
    """A pattern entry placed in song beats."""

    beat: Fraction
    value: tuple


def chord_spans(song: DemoSong, kinds: tuple[str, ...]) -> list[Span]:
    """Chords of the sections of ``kinds``, repeated chords merged, cut at section edges."""
    spans: list[Span] = []
    for section in song.sections:
        if section.kind not in kinds:
            continue
        end = section.start + section.bars * song.spec.beats_per_bar
        for timed in song.chords:
            if not section.start <= timed.start < end:
                continue
            last = spans[-1] if spans else None
            if last and last.name == timed.chord.name and last.end == timed.start:
                spans[-1] = Span(last.start, last.beats + timed.beats, last.chord)
            else:
                spans.append(Span(timed.start, timed.beats, timed.chord))
    return spans


def events_in_span(span: Span, beats_per_bar: int, pattern) -> list[Event]:
    """The pattern's entries that fall inside ``span``; its first beat always gets the first
    entry's value (a chord changing mid-bar starts like a bar), lengths cut at the span end."""
    start, end = Fraction(span.start), span.end
    events: list[Event] = []
    first_bar = int(start // beats_per_bar)
    last_bar = int((end - Fraction(1, 64)) // beats_per_bar)
    for bar in range(first_bar, last_bar + 1):
        for position, value in pattern:
            beat = bar * beats_per_bar + Fraction(position).limit_denominator(16)
            if start <= beat < end:
                events.append(Event(beat, value))
    if events and events[0].beat == start:
        events.pop(0)
    events.insert(0, Event(start, pattern[0][1]))
    return [_cut(event, end) for event in events]


def _cut(event: Event, end: Fraction) -> Event:
    kind, length = event.value
    if isinstance(kind, str):
        return Event(event.beat, (kind, min(Fraction(length), end - event.beat)))
    return Event(event.beat, (min(Fraction(kind), end - event.beat), length))
