"""The note lane's arithmetic without pygame: the notes a duet part sings, the line shown at a
time, the note a pitch is folded onto, what counts as a hit, and the pitch memory's life
(overlapping views taken once, a seek back or a key change starting over)."""

from __future__ import annotations

from appliance.core.scoring.model import (
    TOLERANCE_SEMITONES,
    Difficulty,
    NoteType,
    PitchFrame,
    ScoreNote,
    ScoreSheet,
)
from appliance.display import lane_model
from appliance.display.lane_model import HOLD_S, PartMemories, PartNotes, PitchMemory

NORMAL = TOLERANCE_SEMITONES[Difficulty.NORMAL]
SHEET = ScoreSheet(
    (
        ScoreNote(1.0, 1.0, 60, 0, part=1),
        ScoreNote(2.0, 1.0, 62, 0, part=0, kind=NoteType.RAP),
        ScoreNote(4.0, 1.0, 64, 1, part=2),
        ScoreNote(6.0, 1.0, 65, 2, part=1, kind=NoteType.FREESTYLE),
        ScoreNote(7.0, 1.0, 67, 2, part=1, kind=NoteType.GOLDEN),
    ),
    line_count=3,
)


def frames(*pairs: tuple[float, float | None]) -> tuple[PitchFrame, ...]:
    return tuple(PitchFrame(time_s, midi) for time_s, midi in pairs)


def test_a_duet_part_sings_its_notes_and_the_shared_ones_grouped_in_lines() -> None:
    one, two, everyone = (PartNotes.of(SHEET, part) for part in (1, 2, 0))
    assert [note.pitch_midi for note in one.notes] == [60, 62, 65, 67]
    assert [note.pitch_midi for note in two.notes] == [62, 64]
    assert len(everyone.notes) == 5
    assert [line.line for line in one.lines] == [0, 2]
    assert one.line_at(0.0).line == 0  # type: ignore[union-attr]
    assert one.line_at(3.0 + HOLD_S - 0.01).line == 0  # type: ignore[union-attr]
    assert one.line_at(3.0 + HOLD_S + 0.01).line == 2  # type: ignore[union-attr]
    assert one.line_at(8.0 + HOLD_S) is None


def test_a_pitch_is_folded_onto_the_note_sung_then_or_the_nearest() -> None:
    notes = PartNotes.of(SHEET, 0)
    assert notes.nearest(1.5) == 0
    assert notes.nearest(3.2) == 1  # 0.2 s after the rap note, 0.8 s before the next
    assert notes.nearest(3.9) == 2
    assert notes.nearest(0.0) == 0 and notes.nearest(99.0) == 4
    memory = PitchMemory(notes, key_semitones=2, tolerance=NORMAL)
    memory.update(frames((1.5, 50.3), (3.5, 40.0), (4.5, 66.9)))
    assert memory.points[0] == (1.5, 62.3, 0)  # an octave down, on C+2: a hit
    assert memory.points[1][1] == 64.0 and memory.points[1][2] == -1  # between notes: no hit
    assert memory.points[2] == (4.5, 66.9, -1)  # 0.9 semitones sharp of E+2: not full credit


def test_what_counts_as_a_hit() -> None:
    memory = PitchMemory(PartNotes.of(SHEET, 0), key_semitones=0, tolerance=NORMAL)
    memory.update(frames((1.2, 60.5), (1.3, 60.6), (1.4, None), (2.5, 30.1), (6.5, 65.0),
                         (7.5, 79.0)))  # fmt: skip
    hits = [hit for _time, _midi, hit in memory.points]
    assert hits == [0, -1, -1, 1, -1, 4]  # edge of tolerance, past it, unvoiced, rap, freestyle,
    # golden an octave up


def test_overlapping_views_are_taken_once_and_a_seek_back_starts_over() -> None:
    memory = PitchMemory(PartNotes.of(SHEET, 0), key_semitones=0, tolerance=NORMAL)
    view = frames(*((1.0 + n * 0.01, 60.0) for n in range(100)))
    memory.update(view[:60])
    memory.update(view[20:])  # the next view repeats 40 frames
    assert [point[0] for point in memory.points] == [frame.time_s for frame in view]
    generation = memory.generation
    memory.update(view[-5:])  # nothing new
    assert len(memory.points) == 100 and memory.generation == generation
    memory.update(frames((0.2, 60.0), (0.21, 60.0)))  # the song restarted
    assert [point[0] for point in memory.points] == [0.2, 0.21]
    assert memory.generation == generation + 1


def test_a_long_memory_is_trimmed_and_says_so(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(lane_model, "KEEP", 100)
    memory = PitchMemory(PartNotes.of(SHEET, 0), key_semitones=0, tolerance=NORMAL)
    memory.update(frames(*((n * 0.01, 60.0) for n in range(150))))
    assert len(memory.points) == 75 and memory.points[0][0] == 0.75
    assert memory.generation == 1


def test_part_memories_keep_a_memory_until_the_sheet_or_key_changes() -> None:
    parts = PartMemories()
    notes, memory = parts.get(SHEET, 1, 0, NORMAL)
    assert parts.get(SHEET, 1, 0, NORMAL) == (notes, memory)
    copy = ScoreSheet(tuple(SHEET.notes), SHEET.line_count)  # equal, another object
    assert parts.get(copy, 1, 0, NORMAL)[1] is memory
    assert parts.get(SHEET, 1, 2, NORMAL)[1] is not memory  # the key changed
    assert parts.get(SHEET, 2, 0, NORMAL)[1] is not memory  # another part
    other = ScoreSheet(SHEET.notes[:2], 1)
    assert parts.get(other, 1, 2, NORMAL)[1].serial > memory.serial
