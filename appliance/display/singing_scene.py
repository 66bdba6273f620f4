"""The lyrics scene of a scored song: note lanes above the lyrics (one per duet part), each with
its part's running score and, as a line finishes, the rating it earned popping up beside it.

With the host's ``tv_notes`` off (lyrics only), and over CD+G and video pictures, the running
score sits small in the band's left corner instead, with the line ratings beside it::

    drawn = draw_singing_scene(screen, frame, res)   # frame.score: ScoreShow
    drawn.pieces, drawn.lanes, drawn.boxes           # lyric pieces, lanes, score/rating plates
    boxes = draw_corner_score(screen, frame, res)    # after the CD+G or video scene

Layout (fractions of the layout unit)::

    0     .. 0.155  header         0.165 .. 0.325  notices, mute sign, corner QR (overlays)
    0.335 .. 0.585  note lanes     0.6 ..          lyrics, down to the footer
    (on screens taller than 16:9 the lanes take half of the extra height)
    each lane: [label, score, rating] column | bars
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from appliance.core.scoring.model import TOLERANCE_SEMITONES, Rating, SingingView
from appliance.display.frame import Frame, Resources
from appliance.display.lane_model import PartNotes
from appliance.display.lyrics_scene import (
    DrawnPiece,
    draw_lyrics_scene,
    focus_position,
    sung_line_indices,
)
from appliance.display.note_lane import DrawnLane, LaneInput, draw_lane, lane_colors
from appliance.display.overlays import BAND_BOTTOM
from appliance.display.theme import BACKGROUND, BAND, DIM, Color, Theme

LANES_TOP, LANES_BOTTOM, LYRICS_TOP = 0.335, 0.585, 0.6
POP_S = 1.6  # how long a line's rating shows after the line ends (song seconds)
FADE_S = 0.4
RATING_COLORS: dict[Rating, Color] = {
    Rating.PERFECT: (255, 208, 56),
    Rating.GREAT: (96, 230, 130),
    Rating.GOOD: (70, 200, 255),
    Rating.OK: (225, 228, 240),
    Rating.POOR: (255, 150, 40),
    Rating.AWFUL: (235, 70, 70),
}


@dataclass
class SingingDrawn:
    """What the scene drew: lyric pieces, lanes, and the score and rating plates."""

    pieces: list[DrawnPiece] = field(default_factory=list)
    lanes: list[DrawnLane] = field(default_factory=list)
    boxes: list[pygame.Rect] = field(default_factory=list)


def draw_singing_scene(surface: pygame.Surface, frame: Frame, res: Resources) -> SingingDrawn:
    """The lyrics scene, with note lanes when the song is scored and the host wants them."""
    theme = res.theme
    show = frame.score
    lanes = lanes_shown(frame)
    top = theme.px(LYRICS_TOP) + taller(theme) if lanes else None
    pieces = draw_lyrics_scene(surface, frame, res, top=top)
    drawn = SingingDrawn(pieces)
    if lanes:
        boxes = lane_boxes(theme, len(show.views))
        for view, box in zip(show.views, boxes, strict=True):
            _draw_one_lane(surface, frame, res, view=view, box=box, drawn=drawn)
    elif show.views or show.no_score:
        drawn.boxes += draw_corner_score(surface, frame, res)
    return drawn


def lanes_shown(frame: Frame) -> bool:
    """True when the lanes show: notes on, a scored song, and lyric lines still to come."""
    lyrics = frame.lyrics
    if not frame.score.lane_on or lyrics is None or lyrics.is_empty:
        return False
    sung = sung_line_indices(lyrics)
    return focus_position(lyrics, sung, frame.lyrics_s) < len(sung)


def lane_boxes(theme: Theme, count: int) -> list[pygame.Rect]:
    """The boxes of ``count`` lanes (each its score column, then the bars), stacked."""
    top, bottom = theme.px(LANES_TOP), theme.px(LANES_BOTTOM) + taller(theme)
    gap = theme.px(0.012)
    count = max(1, count)
    height = (bottom - top - gap * (count - 1)) // count
    width = theme.width - 2 * theme.margin
    return [
        pygame.Rect(theme.margin, top + n * (height + gap), width, height) for n in range(count)
    ]


def taller(theme: Theme) -> int:
    """Extra lane height on screens taller than 16:9 (half of what they have more).

    >>> taller(Theme.for_size(1920, 1080)), taller(Theme.for_size(1024, 768))
    (0, 96)
    """
    return (theme.height - theme.unit) // 2


def column_px(theme: Theme) -> int:
    """Width of the column left of a lane's bars (its label, score and rating)."""
    return theme.px(0.17)


def _draw_one_lane(
    surface: pygame.Surface,
    frame: Frame,
    res: Resources,
    *,
    view: SingingView,
    box: pygame.Rect,
    drawn: SingingDrawn,
) -> None:
    theme = res.theme
    tolerance = TOLERANCE_SEMITONES[frame.score.difficulty]
    notes, memory = res.pitch.get(view.sheet, view.part, view.key_semitones, tolerance)
    memory.update(view.frames)
    column = column_px(theme)
    bars = pygame.Rect(box.x + column, box.y, box.width - column, box.height)
    y = box.y
    for text in _score_rows(view, len(frame.score.views)):
        rect = res.text(surface, text, text_px(theme), lane_colors(view.part)[1], BACKGROUND,
                        (box.x, y))  # fmt: skip
        drawn.boxes.append(rect)
        y = rect.bottom
    popup = _rating_popup(
        surface, res, view, notes=notes, time_s=frame.lyrics_s, topleft=(box.x, y + theme.px(0.005))
    )
    if popup is not None:
        drawn.boxes.append(popup)
    line = notes.line_at(frame.lyrics_s)
    if line is None:  # this part has sung all its lines
        drawn.boxes.append(surface.fill(BAND, bars))
        return
    lane = LaneInput(notes, line, view.key_semitones, memory, frame.lyrics_s, view.part)
    drawn.lanes.append(draw_lane(surface, bars, lane, res.lanes))


def text_px(theme: Theme) -> int:
    """Size of the score and rating text."""
    return theme.px(0.03)


def _score_rows(view: SingingView, parts: int) -> list[str]:
    """['Score', '4,520'], or ['P1  4,520'] in a duet (two lanes share the height)."""
    if parts > 1 and view.part:
        return [f"P{view.part}  {view.score:,}"]
    return ["Score", f"{view.score:,}"]


def _rating_popup(
    surface: pygame.Surface,
    res: Resources,
    view: SingingView,
    *,
    notes: PartNotes,
    time_s: float,
    topleft: tuple[int, int],
) -> pygame.Rect | None:
    """The rating of the line that ended less than ``POP_S`` ago, fading out at its end."""
    if not view.lines:
        return None
    latest = view.lines[-1]
    ends = [line.end_s for line in notes.lines if line.line == latest.line]
    if not ends:
        return None
    age = time_s - ends[0]
    if not 0.0 <= age < POP_S:
        return None
    plate = rating_plate(res, latest.rating)
    plate.set_alpha(round(255 * min(1.0, (POP_S - age) / FADE_S)))
    rect = plate.get_rect(topleft=topleft)
    surface.blit(plate, rect)
    return rect


_PLATES: dict[tuple[Rating, int], pygame.Surface] = {}


def rating_plate(res: Resources, rating: Rating) -> pygame.Surface:
    """A rating's word on a dark plate edged in its colour."""
    theme = res.theme
    plate = _PLATES.get((rating, theme.unit))
    if plate is None:
        color = RATING_COLORS[rating]
        text = res.texts.render(rating.label, text_px(theme), color, BAND)
        pad = theme.px(0.012)
        plate = pygame.Surface((text.get_width() + 2 * pad, text.get_height() + pad // 2))
        plate.fill(BAND)
        pygame.draw.rect(plate, color, plate.get_rect(), width=max(2, theme.unit // 300))
        plate.blit(text, text.get_rect(center=plate.get_rect().center))
        _PLATES[(rating, theme.unit)] = plate
    return plate


def draw_corner_score(surface: pygame.Surface, frame: Frame, res: Resources) -> list[pygame.Rect]:
    """The running score of each part at the bottom left of the band under the header (lyrics
    only, CD+G and video songs), the latest line's rating beside it, or why the song has no
    score; returns what it drew."""
    theme, views = res.theme, frame.score.views
    drawn: list[pygame.Rect] = []
    size = text_px(theme)
    line = res.texts.line_height(size)
    if not views and frame.score.no_score:
        reason = frame.score.no_score[:1].upper() + frame.score.no_score[1:]
        at = (theme.margin, theme.px(BAND_BOTTOM) - line)
        return [res.text(surface, reason, size, DIM, None, at, max_width=theme.width // 3)]
    y = theme.px(BAND_BOTTOM) - line * len(views)
    tolerance = TOLERANCE_SEMITONES[frame.score.difficulty]
    for view in views:
        label = "  ".join(_score_rows(view, len(views)))
        text = res.texts.render(label, size, lane_colors(view.part)[1], BAND)
        plate = pygame.Rect(theme.margin, y, text.get_width() + theme.px(0.02), line)
        surface.fill(BAND, plate)
        surface.blit(text, text.get_rect(midleft=(plate.x + theme.px(0.01), plate.centery)))
        drawn.append(plate)
        notes, _memory = res.pitch.get(view.sheet, view.part, view.key_semitones, tolerance)
        at = (plate.right + theme.px(0.01), y)
        popup = _rating_popup(surface, res, view, notes=notes, time_s=frame.lyrics_s, topleft=at)
        if popup is not None:
            drawn.append(popup)
        y += line
    return drawn
