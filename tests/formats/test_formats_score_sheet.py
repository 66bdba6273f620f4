"""Score sheets from UltraStar notes: lines from phrase breaks (each duet part its own), note
kinds, duet parts (P3: both), times; songs without notes have none; and a sheet scored."""

from __future__ import annotations

from pathlib import Path

import pytest

from appliance.core.models import Song, SongId
from appliance.core.scoring.model import NoteType, PitchFrame
from appliance.core.scoring.scorer import Scorer
from appliance.library.formats.score_sheet import load_score_sheet, sheet_from_notes
from appliance.library.formats.ultrastar import read_ultrastar

DUET = """#TITLE:Duet
#ARTIST:Tests
#BPM:150
#GAP:1000
P1
: 0 4 0 one
* 4 4 2 two
- 10
F 10 2 5 hey
R 12 4 0 rap
P2
: 0 4 7 uno
G 4 4 7 dos
- 12
: 12 4 9 tres
P3
: 20 4 12 all
E
"""


@pytest.fixture
def duet(tmp_path: Path) -> Path:
    path = tmp_path / "duet.txt"
    path.write_text(DUET)
    return path


def test_duet_parts_lines_and_kinds(duet):
    sheet = sheet_from_notes(read_ultrastar(str(duet), require_audio=False).track)
    beat = 60 / (150 * 4)
    by_text = {note.text: note for note in sheet.notes}
    assert by_text["one"].start_s == pytest.approx(1.0)
    assert by_text["two"].start_s == pytest.approx(1.0 + 4 * beat)
    assert by_text["one"].pitch_midi == 60 and by_text["uno"].pitch_midi == 67
    kinds = {text: note.kind for text, note in by_text.items()}
    assert kinds == {
        "one": NoteType.NORMAL, "two": NoteType.GOLDEN, "hey": NoteType.FREESTYLE,
        "rap": NoteType.RAP, "uno": NoteType.NORMAL, "dos": NoteType.GOLDEN_RAP,
        "tres": NoteType.NORMAL, "all": NoteType.NORMAL,
    }  # fmt: skip
    parts = {text: note.part for text, note in by_text.items()}
    assert parts["one"] == 1 and parts["tres"] == 2 and parts["all"] == 0
    # P1: [one two] [hey rap]; P2: [uno dos] [tres]; P3: [all]; numbered by start
    lines = {text: note.line for text, note in by_text.items()}
    assert lines["one"] == lines["two"] != lines["hey"] == lines["rap"]
    assert lines["uno"] == lines["dos"] != lines["tres"]
    assert len({lines["one"], lines["uno"], lines["hey"], lines["tres"], lines["all"]}) == 5
    assert sheet.line_count == 5
    assert [n.start_s for n in sheet.notes] == sorted(n.start_s for n in sheet.notes)


def test_each_part_is_scored_on_its_own_notes(duet):
    sheet = sheet_from_notes(read_ultrastar(str(duet), require_audio=False).track)

    def sing(part: int) -> list[PitchFrame]:
        frames = []
        for i in range(400):
            t = i * 0.01
            sung = [n for n in sheet.notes if n.part in (0, part) and n.start_s <= t < n.end_s]
            frames.append(PitchFrame(t + 0.005, float(sung[0].pitch_midi) if sung else None))
        return frames

    for part in (1, 2):
        scorer = Scorer(sheet, part=part)
        scorer.feed(sing(part))
        assert scorer.finish().score >= 9900
    # part 1's singing on part 2: "dos" is a golden rap note (any voice earns it), "all" is
    # everyone's; "uno" and "tres" are missed
    wrong = Scorer(sheet, part=2)
    wrong.feed(sing(1))
    lines = {line.line: line for line in wrong.finish().lines}
    uno = next(n for n in sheet.notes if n.text == "uno")
    tres = next(n for n in sheet.notes if n.text == "tres")
    assert lines[tres.line].points == 0
    assert lines[uno.line].points < lines[uno.line].max_points


def test_songs_without_notes_have_no_sheet(tmp_path):
    song = Song(SongId("x"), "No notes", "", 60.0, str(tmp_path))
    assert load_score_sheet(song) is None
    assert load_score_sheet(song, tmp_path / "state") is None
