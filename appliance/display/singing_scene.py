"""The lyrics scene of a scored song: note lanes above the lyrics (one per duet part), each with
its part's running score and, as a line finishes, the rating it earned popping up under it.

With the host's ``tv_notes`` off (lyrics only), over CD+G and video pictures, and after the
last line, the running score sits small in the band's left corner instead, with the line
ratings beside it (or why the song has no score). Over a song's background picture the lanes
are veiled (the picture shows through) and the score text is outlined::

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
from appliance.display.backdrop import backdrop_shown
from appliance.display.frame import Frame, Resources
from appliance.display.lane_model import PartNotes
from appliance.display.lyrics_scene import (
    DrawnPiece,
    draw_lyrics_scene,
    focus_position,
    sung_line_indices,
)
from appliance.display.note_lane import DrawnLane, LaneInput, draw_lane, lane_colors
from appliance.display.overlays import BAND_BOTTOM, notices_left
from appliance.display.theme import BACKGROUND, BAND, DIM, TEXT, Color, Theme

LANES_TOP, LANES_BOTTOM, LYRICS_TOP = 0.335, 0.585, 0.6
POP_S = 1.6  # how long a line's rating shows after the line ends (song seconds)
FADE_S = 0.4
FADE_IN_S = 0.12  # the rating pops in this fast
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
    over_picture = backdrop_shown(frame)
    bg = None if over_picture else BACKGROUND
    rows = _score_rows(view, len(frame.score.views))
    styles = [(text_px(theme), DIM), (theme.px(0.046), TEXT)] if len(rows) == 2 else []
    for text, (size, color) in zip(rows, styles or [(text_px(theme), lane_colors(view.part)[1])],
                                   strict=True):  # fmt: skip
        rect = res.text(surface, text, size, color, bg, (box.x, y), outline=over_picture)
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
    drawn.lanes.append(draw_lane(surface, bars, lane, res.lanes, over_picture=over_picture))


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
    cover: pygame.Rect | None = None,
) -> pygame.Rect | None:
    """The rating of the line that ended less than ``POP_S`` ago, fading out at its end (over
    ``cover``, cleared first, when it takes the place of something)."""
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
    plate.set_alpha(round(255 * min(1.0, age / FADE_IN_S, (POP_S - age) / FADE_S)))
    rect = plate.get_rect(topleft=topleft)
    if cover is not None:
        surface.fill(BAND, cover)
    surface.blit(plate, rect)
    return rect


_PLATES: dict[tuple[Rating, int], pygame.Surface] = {}


def rating_plate(res: Resources, rating: Rating) -> pygame.Surface:
    """A rating's word on a dark plate edged in its colour."""
    theme = res.theme
    plate = _PLATES.get((rating, theme.unit))
    if plate is None:
        color = RATING_COLORS[rating]
        size = text_px(theme)
        text = res.texts.render(rating.label, size, color, BAND)
        pad = theme.px(0.012)
        plate = pygame.Surface((text.get_width() + 2 * pad, res.texts.line_height(size)))
        plate.fill(BAND)
        pygame.draw.rect(plate, color, plate.get_rect(), width=max(2, theme.unit // 300))
        plate.blit(text, text.get_rect(center=plate.get_rect().center))
        _PLATES[(rating, theme.unit)] = plate
    return plate


def draw_corner_score(surface: pygame.Surface, frame: Frame, res: Resources) -> list[pygame.Rect]:
    """The running score of each part at the bottom left of the band under the header (lyrics
    only, CD+G and video songs), the latest line's rating beside it (over it where a notice
    could reach), or why the song has no score; returns what it drew."""
    theme, views = res.theme, frame.score.views
    drawn: list[pygame.Rect] = []
    size = text_px(theme)
    line = res.texts.line_height(size)
    room = notices_left(theme) - theme.px(0.01)  # the notices' side of the band
    if not views and frame.score.no_score:
        reason = frame.score.no_score[:1].upper() + frame.score.no_score[1:]
        size = theme.px(0.024)  # small: a remark, not a score
        rows = two_rows(res, reason, size, room - theme.margin)
        step, ink = res.texts.row_metrics(rows, size)
        y = theme.px(BAND_BOTTOM) - step * (len(rows) - 1) - ink
        return [
            res.text(surface, row, size, DIM, None, (theme.margin, y + n * step),
                     max_width=room - theme.margin)
            for n, row in enumerate(rows)
        ]  # fmt: skip
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
        at, cover = (plate.right + theme.px(0.01), y), None
        if at[0] + rating_plate(res, Rating.PERFECT).get_width() > room:
            at, cover = plate.topleft, plate  # no room beside it: in the score's place
        popup = _rating_popup(
            surface, res, view, notes=notes, time_s=frame.lyrics_s, topleft=at, cover=cover
        )
        if popup is not None:
            drawn.append(popup)
        y += line
    return drawn


def two_rows(res: Resources, text: str, size: int, width: int) -> list[str]:
    """``text`` on one row, or broken between words onto two (the second cut with "…" by the
    caller when still too long)."""
    if res.texts.width(text, size) <= width:
        return [text]
    words = text.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        first = " ".join(words[:cut])
        if res.texts.width(first, size) <= width:
            return [first, " ".join(words[cut:])]
    return [text]
