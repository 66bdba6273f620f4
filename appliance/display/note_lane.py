"""The note lane (UltraStar-style): one line of notes as bars over time, pitch upwards, a "now"
cursor, the singer's pitch drawn as a trace and the parts of the notes they hit filled.

A frame costs one blit of the lane's ink and the cursor: the ink (the line's bars, then the hit
parts and the trace) gets only the pitch points new since the last frame, and is drawn afresh
only when the line, the key, the lane's size or the pitch memory (a seek back) changes::

    lanes = LaneCache()
    drawn = draw_lane(surface, rect, LaneInput(notes, line, key, memory, time_s, part), lanes)
    drawn.geometry.note_rect(note)    # where a note's bar is (tests)
    draw_lane(surface, rect, lane, lanes, over_picture=True)   # a background shows through

Over a song's background picture the lane's own background is a dark veil (``VEIL_ALPHA``)
and the ink is blitted with its background colour as the colour key: the bars, grid, fills
and trace stay solid, the picture shows dimly between them.
"""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass

import pygame

from appliance.core.scoring.model import NoteType, ScoreNote
from appliance.display.lane_model import FRAME_S, LaneLine, PartNotes, PitchMemory, pitch_range
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
VEIL_ALPHA = 170  # how much of the lane's background colour covers a picture behind it
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


class LaneInk:
    """One lane's picture of the line it shows: the bars, then the hits and the trace added as
    points come (never redrawn whole while the line, key, size and memory stay)."""

    def __init__(self, key: tuple[object, ...], geometry: LaneGeometry, line: LaneLine) -> None:
        self.key = key
        self.geometry = geometry  # at (0, 0): the ink's own coordinates
        self.surface = pygame.Surface(geometry.rect.size)
        _draw_background(self.surface, geometry)
        for note in line.notes:
            _draw_bar(self.surface, geometry, note)
        if pygame.display.get_init() and pygame.display.get_surface() is not None:
            self.surface = self.surface.convert()
        self.used = 0  # memory points drawn (or skipped) so far
        self.last: tuple[int, int] | None = None  # the trace's last point
        self.last_s = float("-inf")

    def catch_up(self, lane: LaneInput) -> None:
        """Draw the memory's points up to the song time that are not drawn yet."""
        points, geometry = lane.memory.points, self.geometry
        if self.used == 0:
            self.used = bisect.bisect_left(points, geometry.start_s, key=lambda point: point[0])
        fill, trace = lane_colors(lane.part)
        width = max(3, round(geometry.row_px * 0.35))
        while self.used < len(points) and points[self.used][0] <= lane.time_s:
            time_s, midi, hit = points[self.used]
            self.used += 1
            if hit >= 0:
                _fill_hit(self.surface, geometry, lane.notes.notes[hit], time_s, fill)
            self._trace_to(time_s, midi, trace, width)

    def _trace_to(self, time_s: float, midi: float | None, color: Color, width: int) -> None:
        if midi is None or time_s - self.last_s > GAP_S:
            self.last = None
        self.last_s = time_s
        if midi is None:
            return
        point = (self.geometry.x_of(time_s), self.geometry.y_of(midi))
        if self.last is None:
            pygame.draw.circle(self.surface, color, point, width // 2)
        elif point[0] - self.last[0] < 2 and abs(point[1] - self.last[1]) < width:
            return  # one point per two pixels is enough
        else:
            pygame.draw.line(self.surface, color, self.last, point, width)
            pygame.draw.circle(self.surface, color, point, width // 2)
        self.last = point


class LaneCache:
    """Each part's lane ink, kept while its line, key, size and pitch memory stay."""

    def __init__(self) -> None:
        self._inks: dict[int, LaneInk] = {}
        self.redraws = 0

    def ink(self, geometry: LaneGeometry, lane: LaneInput) -> LaneInk:
        """The part's ink for ``geometry``, started afresh when anything it shows changed."""
        memory = lane.memory
        key = (lane.line.line, lane.line.start_s, geometry.key, geometry.rect.size,
               memory.serial, memory.generation)  # fmt: skip
        ink = self._inks.get(lane.part)
        if ink is None or ink.key != key:
            local = dataclasses.replace(geometry, rect=pygame.Rect((0, 0), geometry.rect.size))
            ink = self._inks[lane.part] = LaneInk(key, local, lane.line)
            self.redraws += 1
        return ink


def draw_lane(
    surface: pygame.Surface,
    rect: pygame.Rect,
    lane: LaneInput,
    cache: LaneCache,
    *,
    over_picture: bool = False,
) -> DrawnLane:
    """Draw one lane in ``rect``: bars, the hit parts, the pitch trace, the cursor (over a
    picture: its background a veil the picture shows through)."""
    geometry = LaneGeometry.of(rect, lane.line, lane.key)
    ink = cache.ink(geometry, lane)
    ink.catch_up(lane)
    if over_picture:
        surface.blit(_veil(rect.size), rect)
    ink.surface.set_colorkey(LANE_BG if over_picture else None)
    surface.blit(ink.surface, rect)
    cursor = geometry.x_of(lane.time_s)
    width = max(2, rect.height // 90)
    surface.fill(CURSOR, pygame.Rect(cursor - width // 2, rect.y, width, rect.height).clip(rect))
    return DrawnLane(geometry, lane.line)


_VEILS: dict[tuple[int, int], pygame.Surface] = {}


def _veil(size: tuple[int, int]) -> pygame.Surface:
    """The lane's background colour at ``VEIL_ALPHA`` (one surface alpha: a cheap blit)."""
    veil = _VEILS.get(size)
    if veil is None:
        veil = pygame.Surface(size)
        veil.fill(LANE_BG)
        if pygame.display.get_init() and pygame.display.get_surface() is not None:
            veil = veil.convert()
        veil.set_alpha(VEIL_ALPHA)
        _VEILS.clear()
        _VEILS[size] = veil
    return veil


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


def _fill_hit(
    surface: pygame.Surface, geometry: LaneGeometry, note: ScoreNote, time_s: float, fill: Color
) -> None:
    """The stretch of ``note`` one frame at ``time_s`` covers, filled inside its bar."""
    bar = geometry.note_rect(note)
    left = geometry.x_of(time_s)
    right = geometry.x_of(min(note.end_s, time_s + FRAME_S))
    inset = max(1, bar.height // 5)
    color = GOLD_FILL if note.kind in (NoteType.GOLDEN, NoteType.GOLDEN_RAP) else fill
    surface.fill(color, (left, bar.y + inset, max(1, right - left), bar.height - 2 * inset))
