"""Timed lyrics and sung notes: the model every lyric reader produces and the TV draws.

Times are in song seconds (the source position, before any tempo change). A word's ``text`` is
exactly what is shown, including its own spaces, so a line's text is the words joined::

    >>> line = LyricLine(words=(Word("A", 1.0, 1.5), Word("ma", 1.5, 1.8), Word("zing ", 1.8, 2.4)))
    >>> line.text, line.start_s, line.end_s
    ('Amazing ', 1.0, 2.4)
    >>> lyrics = Lyrics(lines=(line,))
    >>> lyrics.line_index_at(2.0)
    0
    >>> round(line.words[1].progress_at(1.65), 2)
    0.5
"""

from __future__ import annotations

import bisect
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Word:
    """A word or syllable with the time it is sung. ``text`` keeps its own spaces."""

    text: str
    start_s: float
    end_s: float

    def progress_at(self, time_s: float) -> float:
        """How much of the word is sung at ``time_s``: 0.0 before, 1.0 after, linear within."""
        if time_s <= self.start_s:
            return 0.0
        if time_s >= self.end_s or self.end_s <= self.start_s:
            return 1.0
        return (time_s - self.start_s) / (self.end_s - self.start_s)


@dataclass(frozen=True)
class LyricLine:
    """One line on screen. ``part`` is 0 for everyone, 1 or 2 for duet parts.

    A line without words is an instrumental break; ``at_s`` says when it starts (a line with
    words takes its times from them)::

        >>> LyricLine(words=(), at_s=42.0).start_s
        42.0
    """

    words: tuple[Word, ...]
    part: int = 0
    at_s: float = 0.0

    @property
    def text(self) -> str:
        """The line as shown: its words joined."""
        return "".join(word.text for word in self.words)

    @property
    def start_s(self) -> float:
        """When the first word starts (``at_s`` for a break without words)."""
        return self.words[0].start_s if self.words else self.at_s

    @property
    def end_s(self) -> float:
        """When the last word ends (``at_s`` for a break without words)."""
        return self.words[-1].end_s if self.words else self.at_s


@dataclass(frozen=True)
class Lyrics:
    """All lines of a song in time order, plus metadata the file carried."""

    lines: tuple[LyricLine, ...] = ()
    title: str = ""
    artist: str = ""

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to sing."""
        return not any(line.words for line in self.lines)

    def line_index_at(self, time_s: float) -> int:
        """Index of the last line that has started by ``time_s`` (-1 before the first)."""
        starts = [line.start_s for line in self.lines]
        return bisect.bisect_right(starts, time_s) - 1

    def first_word_s(self) -> float | None:
        """When singing starts, or None for empty lyrics."""
        for line in self.lines:
            if line.words:
                return line.start_s
        return None


def tidy_words(words: Iterable[Word]) -> tuple[Word, ...]:
    """A line's words with their spaces as a reader should leave them: every run of whitespace
    one space, a space between two words kept once (on the end of the first), none at the
    start or end of the line, and words left with no text dropped::

        >>> [w.text for w in tidy_words([Word(" A ", 0, 1), Word(" ma\tzing ", 1, 2),
        ...                              Word("  ", 2, 3), Word("grace ", 3, 4)])]
        ['A ', 'ma zing ', 'grace']
    """
    tidy: list[Word] = []
    for word in words:
        text = _SPACES.sub(" ", word.text)
        if text.startswith(" "):
            text = text[1:]
            if tidy and not tidy[-1].text.endswith(" "):
                last = tidy[-1]
                tidy[-1] = Word(last.text + " ", last.start_s, last.end_s)
        if text:
            tidy.append(Word(text, word.start_s, word.end_s))
    if tidy:
        last = tidy[-1]
        tidy[-1] = Word(last.text.rstrip(), last.start_s, last.end_s)
    return tuple(tidy)


class NoteKind(enum.StrEnum):
    """UltraStar note types. Freestyle is never scored; rap scores on any voiced sound."""

    NORMAL = "normal"
    GOLDEN = "golden"
    FREESTYLE = "freestyle"
    RAP = "rap"
    GOLDEN_RAP = "golden_rap"


@dataclass(frozen=True)
class Note:
    """A sung note: when, how long, which pitch (MIDI number, 60 = C4) and its syllable."""

    start_s: float
    duration_s: float
    pitch_midi: int
    text: str
    kind: NoteKind = NoteKind.NORMAL
    part: int = 0

    @property
    def end_s(self) -> float:
        """When the note ends."""
        return self.start_s + self.duration_s

    @property
    def frequency_hz(self) -> float:
        """The note's frequency in equal temperament (A4 = 440 Hz)."""
        return 440.0 * 2.0 ** ((self.pitch_midi - 69) / 12.0)


@dataclass(frozen=True)
class NoteTrack:
    """The notes of a song with their phrase breaks (the times where a new line starts).

    ``line_break_parts`` gives the part of each break (same order as ``line_breaks_s``) so duet
    parts break lines independently; empty means every break applies to every part.
    """

    notes: tuple[Note, ...]
    line_breaks_s: tuple[float, ...] = ()
    title: str = ""
    artist: str = ""
    line_break_parts: tuple[int, ...] = ()

    def breaks_for_part(self, part: int) -> list[float]:
        """The sorted phrase-break times that apply to ``part``."""
        if not self.line_break_parts:
            return sorted(self.line_breaks_s)
        pairs = zip(self.line_breaks_s, self.line_break_parts, strict=False)
        return sorted(time for time, owner in pairs if owner == part)

    def to_lyrics(self) -> Lyrics:
        """Lines of words from the notes: each note a word, a new line at each phrase break.

        Without ``line_break_parts`` every break applies to every part::

            >>> track = NoteTrack(
            ...     notes=(Note(0.0, 0.5, 60, "la "), Note(1.0, 0.5, 62, "di "),
            ...            Note(0.0, 0.5, 64, "do ", part=2), Note(1.0, 0.5, 65, "re ", part=2)),
            ...     line_breaks_s=(0.8,))
            >>> [(line.part, line.text) for line in track.to_lyrics().lines]
            [(0, 'la '), (2, 'do '), (0, 'di '), (2, 're ')]
        """
        lines: list[LyricLine] = []
        current: list[Word] = []
        current_part = 0
        current_phrase = 0
        breaks_by_part: dict[int, list[float]] = {}
        for note in sorted(self.notes, key=lambda n: (n.part, n.start_s)):
            if note.part not in breaks_by_part:
                breaks_by_part[note.part] = self.breaks_for_part(note.part)
            phrase = bisect.bisect_right(breaks_by_part[note.part], note.start_s)
            if current and (note.part != current_part or phrase != current_phrase):
                lines.append(LyricLine(tuple(current), current_part))
                current = []
            current_part, current_phrase = note.part, phrase
            current.append(Word(note.text.replace("~", ""), note.start_s, note.end_s))
        if current:
            lines.append(LyricLine(tuple(current), current_part))
        lines.sort(key=lambda line: line.start_s)
        return Lyrics(lines=tuple(lines), title=self.title, artist=self.artist)
