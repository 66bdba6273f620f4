"""The lyrics scene: the line being sung and the next ones, each word filling with colour.

The line in focus is the first one not yet finished (it stays a moment after its last word).
Before the first line and after a long instrumental break, dots count the singer in: one goes
out per beat (per second when the song's tempo is unknown). Duet parts have their own colours.
Over a background picture (``frame.backdrop``: :mod:`backdrop`) the text is transparent and
outlined in dark; on the plain background it is opaque. ``draw_lyrics_scene`` returns where
every piece of text went, for tests::

    drawn = draw_lyrics_scene(screen, frame, res)
    drawn[0].rect, drawn[0].progress
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from appliance.core.models import Song
from appliance.core.snapshot import PlaybackState
from appliance.display.backdrop import draw_backdrop
from appliance.display.chrome import draw_footer, draw_header
from appliance.display.frame import Frame, Resources
from appliance.display.layout import LineLayout, Row
from appliance.display.overlays import draw_notices
from appliance.display.theme import ACCENT, BACKGROUND, DIM, TEXT, UPCOMING, Color, part_colors
from appliance.library.formats.lyrics import Lyrics

HOLD_S = 0.4
LONG_GAP_S = 6.0
COUNT_IN_BEATS = 4
COUNT_IN_SECONDS = 3
TRACK = (50, 56, 96)
WARM_LINES = 4  # lines whose text is rendered ahead
WARM_PER_FRAME = 2  # pieces rendered ahead per frame at most


@dataclass(frozen=True)
class DrawnPiece:
    """A piece of lyric text as drawn: its ink on screen and how much of it is sung."""

    text: str
    rect: pygame.Rect
    progress: float
    sung: Color
    unsung: Color


def draw_lyrics_scene(
    surface: pygame.Surface, frame: Frame, res: Resources, *, top: int | None = None
) -> list[DrawnPiece]:
    """Draw the whole lyrics scene for ``frame``; return the lyric pieces drawn. ``top``: where
    the first lyric row goes (lower than usual under the note lanes)."""
    now = frame.snapshot.now
    bg: Color | None = None if now and draw_backdrop(surface, frame, res) else BACKGROUND
    if bg is not None:
        surface.fill(BACKGROUND)
    if now is None:
        title_card(surface, res, "Nothing is playing", "", res.theme.px(0.40))
        draw_notices(surface, frame, res)
        return []
    draw_header(surface, frame, res, now)
    drawn: list[DrawnPiece] = []
    lyrics = frame.lyrics
    paused = frame.snapshot.state is PlaybackState.PAUSED
    if lyrics is None or lyrics.is_empty:
        title_card(surface, res, now.song.title, now.song.artist, res.theme.px(0.30), bg=bg)
        message = "Loading lyrics…" if lyrics is None else "No lyrics for this song"
        res.text(
            surface,
            message,
            res.theme.header_px,
            DIM,
            bg,
            (res.theme.width // 2, res.theme.px(0.62)),
            "midtop",
            outline=bg is None,
        )
    else:
        drawn = _draw_lines(
            surface, frame, res, lyrics, song=now.song, show_intro=not paused, top=top, bg=bg
        )
    if paused:
        res.text(
            surface,
            "Paused",
            res.theme.px(0.07),
            ACCENT,
            bg,
            (res.theme.width // 2, res.theme.px(0.16)),
            "midtop",
            outline=bg is None,
        )
    draw_footer(surface, frame, res, now, frame.lyrics_s)
    draw_notices(surface, frame, res, during_song=True)
    return drawn


def sung_line_indices(lyrics: Lyrics) -> list[int]:
    """Indices of the lines that have words (breaks are not drawn)."""
    return [index for index, line in enumerate(lyrics.lines) if line.words]


def focus_position(lyrics: Lyrics, sung: list[int], time_s: float) -> int:
    """Position in ``sung`` of the first line not finished at ``time_s`` (len(sung) at the end)."""
    for position, index in enumerate(sung):
        if lyrics.lines[index].end_s + HOLD_S > time_s:
            return position
    return len(sung)


def _draw_lines(
    surface: pygame.Surface,
    frame: Frame,
    res: Resources,
    lyrics: Lyrics,
    *,
    song: Song,
    show_intro: bool,
    top: int | None = None,
    bg: Color | None = BACKGROUND,
) -> list[DrawnPiece]:
    theme, time_s = res.theme, frame.lyrics_s
    sung = sung_line_indices(lyrics)
    position = focus_position(lyrics, sung, time_s)
    if position == len(sung):
        title_card(surface, res, song.title, song.artist, theme.px(0.36), bg=bg)
        return []
    focus = lyrics.lines[sung[position]]
    gap_start = lyrics.lines[sung[position - 1]].end_s if position else 0.0
    wait = focus.start_s - time_s
    beat, dots = count_in(song)
    if position == 0 and wait > beat * dots and show_intro:
        title_card(
            surface, res, song.title, song.artist, theme.px(0.165), size=theme.px(0.055), bg=bg
        )
    elif (position == 0 or focus.start_s - gap_start >= LONG_GAP_S) and wait > 0:
        _draw_count_in(surface, res, song, wait=wait, gap_start=gap_start, line_start=focus.start_s)
    drawn: list[DrawnPiece] = []
    y, bottom = top or theme.px(0.33), theme.height - theme.px(0.13)  # under notices, above footer
    for offset, index in enumerate(sung[position:]):
        layout = res.layouts.line(lyrics, index)
        texts = [piece.text for row in layout.rows for piece in row.pieces]
        step, ink = res.texts.row_metrics(texts, layout.size)
        fit = rows_that_fit_in(bottom - y, step, ink)
        if offset and fit < len(layout.rows):
            break  # a coming line is shown whole or not at all, never under the footer
        rows = _rows_to_show(layout, max(1, fit), time_s)
        started = lyrics.lines[index].start_s <= time_s
        lead = offset == 0 or started
        drawn += _draw_rows(
            surface, res, layout, rows, y=y, step=step, time_s=time_s, lead=lead, bg=bg
        )
        y += len(rows) * step + theme.px(0.02)
    _warm_up(res, lyrics, sung[position : position + WARM_LINES], bg)
    return drawn


def _warm_up(res: Resources, lyrics: Lyrics, indices: list[int], bg: Color | None) -> None:
    """Render a few pieces of the coming lines ahead of time, so no frame renders many at once."""
    budget = WARM_PER_FRAME
    for index in indices:
        layout = res.layouts.line(lyrics, index)
        unsung, sung = part_colors(layout.part)
        colours = (unsung, sung, UPCOMING) if layout.part == 0 else (unsung, sung)
        for row in layout.rows:
            for piece in row.pieces:
                for colour in colours:
                    outline = bg is None
                    if not res.texts.has(piece.text, layout.size, colour, bg, outline=outline):
                        res.texts.render(piece.text, layout.size, colour, bg, outline=outline)
                        budget -= 1
                        if budget <= 0:
                            return


def rows_that_fit_in(space: int, step: int, ink: int) -> int:
    """How many rows ``step`` apart, each ``ink`` tall, fit whole in ``space`` pixels.

    >>> rows_that_fit_in(300, 100, 120), rows_that_fit_in(119, 100, 120)
    (2, 0)
    """
    if space < ink:
        return 0
    return 1 + (space - ink) // max(1, step)


def _rows_to_show(layout: LineLayout, fit: int, time_s: float) -> tuple[Row, ...]:
    """All rows, or (a very long line) the ``fit`` rows around the one being sung."""
    rows = layout.rows
    if len(rows) <= fit:
        return rows
    singing = next(
        (n for n, row in enumerate(rows) if row.pieces[-1].end_s > time_s), len(rows) - 1
    )
    first = min(max(0, singing - 1), len(rows) - fit)
    return rows[first : first + fit]


def _draw_rows(
    surface: pygame.Surface,
    res: Resources,
    layout: LineLayout,
    rows: tuple[Row, ...],
    *,
    y: int,
    step: int,
    time_s: float,
    lead: bool,
    bg: Color | None = BACKGROUND,
) -> list[DrawnPiece]:
    unsung, sung = part_colors(layout.part)
    if not lead and layout.part == 0:
        unsung = UPCOMING
    drawn = []
    outline = bg is None  # over a picture: the face sits ``ring`` px inside its outline
    ring = res.texts.outline_px(layout.size) if outline else 0
    for row in rows:
        left = (res.theme.width - row.width) // 2
        for piece in row.pieces:
            progress = piece.progress_at(time_s)
            x = left + piece.x
            color = sung if progress >= 1 else unsung
            base = res.texts.render(piece.text, layout.size, color, bg, outline=outline)
            surface.blit(base, (x - ring, y - ring))
            if 0 < progress < 1:
                lit = res.texts.render(piece.text, layout.size, sung, bg, outline=outline)
                wipe = round(piece.ink_width * progress) + ring
                surface.blit(lit, (x - ring, y - ring), pygame.Rect(0, 0, wipe, lit.get_height()))
            rect = pygame.Rect(x, y, piece.ink_width, base.get_height() - 2 * ring)
            drawn.append(DrawnPiece(piece.text, rect, progress, sung, unsung))
        y += step
    return drawn


def count_in(song: Song) -> tuple[float, int]:
    """(seconds per dot, number of dots): four beats when the tempo is known, else 3 seconds."""
    if 40 <= song.bpm <= 240:
        return 60.0 / song.bpm, COUNT_IN_BEATS
    return 1.0, COUNT_IN_SECONDS


def _draw_count_in(
    surface: pygame.Surface,
    res: Resources,
    song: Song,
    *,
    wait: float,
    gap_start: float,
    line_start: float,
) -> None:
    theme = res.theme
    beat, dots_total = count_in(song)
    window = dots_total * beat
    centre_x, y = theme.width // 2, theme.px(0.285)
    if wait <= window:
        count = min(dots_total, math.ceil(wait / beat))
        radius, step = theme.px(0.018), theme.px(0.06)
        first_x = centre_x - (dots_total - 1) * step // 2
        for dot in range(dots_total):
            color = ACCENT if dot < count else TRACK
            pygame.draw.circle(surface, color, (first_x + dot * step, y), radius)
        return
    span = max(0.001, line_start - window - gap_start)
    done = min(1.0, max(0.0, 1.0 - (wait - window) / span))
    bar = pygame.Rect(0, 0, theme.width // 4, theme.px(0.008))
    bar.center = (centre_x, y)
    surface.fill(TRACK, bar)
    surface.fill(DIM, (bar.x, bar.y, round(bar.width * done), bar.height))


def title_card(
    surface: pygame.Surface,
    res: Resources,
    title: str,
    artist: str,
    y: int,
    *,
    size: int = 0,
    bg: Color | None = BACKGROUND,
) -> None:
    """The song's title (and artist under it), centred from ``y``: for songs without lyrics,
    CD+G songs before their graphics start, and the moments before a song (``bg`` None: over
    a picture, outlined)."""
    theme = res.theme
    rect = res.text(
        surface,
        title,
        size or theme.px(0.075),
        TEXT,
        bg,
        (theme.width // 2, y),
        "midtop",
        max_width=theme.width - 2 * theme.margin,
        outline=bg is None,
    )
    if artist:
        res.text(
            surface,
            artist,
            theme.header_px,
            DIM,
            bg,
            (theme.width // 2, rect.bottom + theme.px(0.01)),
            "midtop",
            max_width=theme.width - 2 * theme.margin,
            outline=bg is None,
        )
