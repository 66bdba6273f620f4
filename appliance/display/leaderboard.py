"""The night's leaderboard on the idle and up-next scenes: the best results so far, as many rows
as fit in the space given, each with its song when the board is wide enough (the core leaves
it empty when the host hides it)::

    rect = draw_leaderboard(screen, res, snapshot.leaderboard, area, bg=BAND)  # None: nothing
"""

from __future__ import annotations

import pygame

from appliance.core.scoring.model import FinalScore
from appliance.display.frame import Resources
from appliance.display.theme import ACCENT, DIM, TEXT, Color

TITLE = "Tonight's best"
MAX_ROWS = 5
MEDALS: tuple[Color, ...] = ((255, 208, 56), (210, 214, 228), (214, 150, 90))


def draw_leaderboard(
    surface: pygame.Surface,
    res: Resources,
    rows: tuple[FinalScore, ...],
    area: pygame.Rect,
    *,
    bg: Color,
    row_px: int = 0,
) -> pygame.Rect | None:
    """The title and the top rows that fit in ``area``; returns the rectangle drawn over (None
    when there is nothing to show or no room for a row)."""
    theme = res.theme
    size = row_px or theme.px(0.036)
    title_size = theme.px(0.04)
    step = res.texts.line_height(size)
    title_step = res.texts.line_height(title_size)
    fit = min(MAX_ROWS, len(rows), (area.height - title_step) // max(1, step))
    if fit <= 0:
        return None
    x, y = area.topleft
    drawn = res.text(surface, TITLE, title_size, ACCENT, bg, (x, y))
    y += title_step
    number_w = res.texts.width("8.", size) + theme.px(0.012)
    score_w = res.texts.width("10,000", size)
    for rank, row in enumerate(rows[:fit], start=1):
        color = MEDALS[rank - 1] if rank <= len(MEDALS) else DIM
        res.text(surface, f"{rank}.", size, color, bg, (x, y))
        score = res.text(surface, f"{row.score:,}", size, color, bg, (area.right, y), "topright")
        room = area.width - number_w - score_w - theme.px(0.02)
        with_song = area.width >= theme.px(0.6)  # a narrow board shows names whole instead
        name = res.text(
            surface, row.singer_name, size, TEXT, bg, (x + number_w, y),
            max_width=room // 2 if with_song else room,
        )  # fmt: skip
        song_room = score.left - theme.px(0.02) - name.right - theme.px(0.015)
        if with_song and song_room > theme.px(0.06):
            res.text(
                surface,
                "·  " + row.song_label,
                size,
                DIM,
                bg,
                (name.right + theme.px(0.015), y),
                max_width=song_room,
            )
        drawn.union_ip(pygame.Rect(x, y, area.width, step))
        y += step
    return drawn
