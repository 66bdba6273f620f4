"""The note lane (UltraStar-style): one line of notes as bars over time, pitch upwards, a "now"
cursor, the singer's pitch drawn as a trace and the parts of the notes they hit filled.

A frame costs one blit of the line's cached bars, a few fills, one polyline and the cursor;
the bars are drawn again only when the line, the key or the lane's size changes::

    lanes = LaneCache()
    drawn = draw_lane(surface, rect, LaneInput(notes, line, key, memory, time_s, part), lanes)
    drawn.geometry.note_rect(note)    # where a note's bar is (tests)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import pygame

from appliance.core.scoring.model import NoteType, ScoreNote
from appliance.display.lane_model import (
    FRAME_S,
    LaneLine,
    PartNotes,
    PitchMemory,
    pitch_range,
)
from appliance.display.theme import Color

LANE_BG: Color = (16, 19, 44)
GRID: Color = (26, 30, 62)
OCTAVE_GRID: Color = (40, 46, 92)
NOTE_BODY: Color = (58, 70, 124)
NOTE_EDGE: Color = (118, 136, 208)
GOLD_BODY: Color = (150, 110, 14)
GOLD_EDGE: Color = (255, 208, 56)
GOLD_FILL: Color = (255, 222, 92)
RAP_BODY: Color = (28, 96, 88)
RAP_EDGE: Color = (80, 208, 176)
FREESTYLE_EDGE: Color = (112, 114, 144)
CURSOR: Color = (235, 238, 255)
LANE_COLORS: dict[int, tuple[Color, Color]] = {  # part: (hit fill, pitch trace)
    0: ((40, 170, 255), (255, 255, 255)),
    1: ((40, 170, 255), (200, 236, 255)),
    2: ((255, 80, 170), (255, 214, 236)),
}
PAD_S = 0.35  # time shown before the first and after the last note of a line
GAP_S = 0.1  # a longer silence between two points breaks the trace


def lane_colors(part: int) -> tuple[Color, Color]:
    """(hit fill, pitch trace) colours of a part."""
    return LANE_COLORS.get(part, LANE_COLORS[0])


@dataclass(frozen=True)
class LaneGeometry:
    """Where times and pitches go inside a lane's ``rect``."""

    rect: pygame.Rect
    start_s: float
    end_s: float
    low: float
    high: float
    key: int

    @classmethod
    def of(cls, rect: pygame.Rect, line: LaneLine, key: int) -> LaneGeometry:
        """The geometry showing ``line`` at ``key`` in ``rect``."""
        low, high = pitch_range(line, key)
        return cls(rect, line.start_s - PAD_S, line.end_s + PAD_S, low, high, key)

    def x_of(self, time_s: float) -> int:
        """The x of a song time (clamped to the lane)."""
        share = (time_s - self.start_s) / max(1e-6, self.end_s - self.start_s)
        return self.rect.x + round(self.rect.width * min(1.0, max(0.0, share)))

    def y_of(self, midi: float) -> int:
        """The y of a pitch's centre (clamped to the lane)."""
        share = (midi - self.low) / max(1e-6, self.high - self.low)
        return self.rect.bottom - round(self.rect.height * min(1.0, max(0.0, share)))

    @property
    def row_px(self) -> float:
        """Height of one semitone."""
        return self.rect.height / max(1e-6, self.high - self.low)

    def note_rect(self, note: ScoreNote) -> pygame.Rect:
        """The bar of ``note``: its time across, about a semitone high around its pitch (a
        tenth of the lane at least, so a short duet lane keeps readable bars)."""
        height = max(4, round(self.row_px * 0.9), self.rect.height // 10)
        left, right = self.x_of(note.start_s), self.x_of(note.end_s)
        rect = pygame.Rect(left, 0, max(2, right - left - 1), height)
        rect.centery = self.y_of(note.pitch_midi + self.key)
        return rect


@dataclass(frozen=True)
class LaneInput:
    """What one lane draws: the part's notes, the line shown, the key, what was sung, when."""

    notes: PartNotes
    line: LaneLine
    key: int
    memory: PitchMemory
    time_s: float
    part: int = 0


@dataclass(frozen=True)
class DrawnLane:
    """A lane as drawn (for tests and the scene's layout)."""

    geometry: LaneGeometry
    line: LaneLine


class LaneCache:
    """The bars of the line each lane shows, drawn once per line, key and size."""

    def __init__(self) -> None:
        self._bars: dict[int, tuple[tuple[object, ...], pygame.Surface]] = {}
        self.redraws = 0

    def bars(self, geometry: LaneGeometry, line: LaneLine, part: int) -> pygame.Surface:
        """The lane's background with the line's bars, at the geometry's size."""
        key = (line.line, line.start_s, geometry.key, geometry.rect.size)
        cached = self._bars.get(part)
        if cached is not None and cached[0] == key:
            return cached[1]
        surface = pygame.Surface(geometry.rect.size)
        local = LaneGeometry(
            surface.get_rect(), geometry.start_s, geometry.end_s, geometry.low, geometry.high,
            geometry.key,
        )  # fmt: skip
        _draw_background(surface, local)
        for note in line.notes:
            _draw_bar(surface, local, note)
        if pygame.display.get_init() and pygame.display.get_surface() is not None:
            surface = surface.convert()
        self._bars[part] = (key, surface)
        self.redraws += 1
        return surface


def draw_lane(
    surface: pygame.Surface, rect: pygame.Rect, lane: LaneInput, cache: LaneCache
) -> DrawnLane:
    """Draw one lane in ``rect``: bars, the hit parts, the pitch trace, the cursor."""
    geometry = LaneGeometry.of(rect, lane.line, lane.key)
    surface.blit(cache.bars(geometry, lane.line, lane.part), rect)
    fill, trace = lane_colors(lane.part)
    clip = surface.get_clip()
    surface.set_clip(rect.clip(clip) if clip else rect)
    try:
        _draw_hits(surface, geometry, lane, fill)
        _draw_trace(surface, geometry, lane, trace)
        cursor = geometry.x_of(lane.time_s)
        width = max(2, rect.height // 90)
        surface.fill(CURSOR, (cursor - width // 2, rect.y, width, rect.height))
    finally:
        surface.set_clip(clip)
    return DrawnLane(geometry, lane.line)


def _draw_background(surface: pygame.Surface, geometry: LaneGeometry) -> None:
    surface.fill(LANE_BG)
    first = int(geometry.low) + 1
    for midi in range(first, int(geometry.high) + 1):
        if midi % 12 == 0:
            color, y = OCTAVE_GRID, geometry.y_of(midi - 0.5)
        elif midi % 2 == 0:
            color, y = GRID, geometry.y_of(midi - 0.5)
        else:
            continue
        surface.fill(color, (0, y, surface.get_width(), 1))


def _draw_bar(surface: pygame.Surface, geometry: LaneGeometry, note: ScoreNote) -> None:
    rect = geometry.note_rect(note)
    radius = rect.height // 2
    edge = max(1, rect.height // 7)
    if note.kind is NoteType.FREESTYLE:
        pygame.draw.rect(surface, FREESTYLE_EDGE, rect, width=edge, border_radius=radius)
        return
    golden = note.kind in (NoteType.GOLDEN, NoteType.GOLDEN_RAP)
    body = GOLD_BODY if golden else RAP_BODY if note.is_rap else NOTE_BODY
    border = RAP_EDGE if note.is_rap else GOLD_EDGE if golden else NOTE_EDGE
    pygame.draw.rect(surface, body, rect, border_radius=radius)
    pygame.draw.rect(surface, border, rect, width=edge, border_radius=radius)


def _draw_hits(
    surface: pygame.Surface, geometry: LaneGeometry, lane: LaneInput, fill: Color
) -> None:
    """The sung-on-pitch stretches of the shown line's notes, filled inside their bars."""
    notes = lane.notes.notes
    start, end = lane.line.start_s, lane.line.end_s
    for span in reversed(lane.memory.hits):
        if span.end_s < start:
            break
        if span.start_s > end:
            continue
        note = notes[span.note]
        bar = geometry.note_rect(note)
        left = geometry.x_of(span.start_s)
        right = geometry.x_of(min(note.end_s, span.end_s + FRAME_S))
        inset = max(1, bar.height // 5)
        color = GOLD_FILL if note.kind in (NoteType.GOLDEN, NoteType.GOLDEN_RAP) else fill
        surface.fill(color, (left, bar.y + inset, max(1, right - left), bar.height - 2 * inset))


def _draw_trace(
    surface: pygame.Surface, geometry: LaneGeometry, lane: LaneInput, color: Color
) -> None:
    """The pitch heard from the line's start to now, as lines broken at silences."""
    points = lane.memory.points
    first = bisect.bisect_left(points, geometry.start_s, key=lambda point: point[0])
    width = max(3, round(geometry.row_px * 0.35))
    run: list[tuple[int, int]] = []
    last_x, last_s = -10, float("-inf")
    for time_s, midi in points[first:]:
        if time_s > lane.time_s:
            break
        if midi is None or time_s - last_s > GAP_S:
            _polyline(surface, color, run, width)
            run = []
        last_s = time_s
        if midi is None:
            continue
        x = geometry.x_of(time_s)
        if run and x - last_x < 2:
            continue  # one point per two pixels is enough
        run.append((x, geometry.y_of(midi)))
        last_x = x
    _polyline(surface, color, run, width)


def _polyline(
    surface: pygame.Surface, color: Color, run: list[tuple[int, int]], width: int
) -> None:
    if len(run) >= 2:
        pygame.draw.lines(surface, color, False, run, width)
    if run:
        pygame.draw.circle(surface, color, run[-1], width // 2 + 1)
        if len(run) == 1:
            return
        pygame.draw.circle(surface, color, run[0], width // 2)
