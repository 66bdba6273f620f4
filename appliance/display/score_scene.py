"""The score screen, for a few seconds after a scored song (``SCORE_SCREEN_S``, during the up-next
countdown or the break): the singer, the song, the score out of the maximum with a bar, the word
the whole song earned, each line's rating as a coloured cell with the counts under it, "New
personal best!" when the singer beat their best on the song, and who sings next::

    drawn = draw_score_scene(screen, frame, res)   # frame.score.final: the result to show
    drawn["score"], drawn["bar"], drawn["cells"]   # rectangles, for tests
"""

from __future__ import annotations

import math
from collections import Counter

import pygame

from appliance.core.scoring.model import FinalScore, Rating
from appliance.display.frame import Frame, Resources
from appliance.display.overlays import draw_notices
from appliance.display.singing_scene import RATING_COLORS
from appliance.display.theme import ACCENT, BACKGROUND, BAND, DIM, TEXT

TRACK = (50, 56, 96)
BEST = "New personal best!"
_BY_LABEL = {rating.label: rating for rating in Rating}


def draw_score_scene(
    surface: pygame.Surface, frame: Frame, res: Resources
) -> dict[str, pygame.Rect]:
    """Draw the last result; return where its parts went."""
    final = frame.score.final
    if final is None:
        raise ValueError("the score scene needs a result")
    theme = res.theme
    surface.fill(BACKGROUND)
    centre = theme.width // 2
    wide = theme.width - 2 * theme.margin
    drawn: dict[str, pygame.Rect] = {}
    y = res.text(surface, final.singer_name, theme.px(0.1), ACCENT, BACKGROUND,
                 (centre, theme.px(0.04)), "midtop", max_width=wide).bottom  # fmt: skip
    y = res.text(surface, final.song_label, theme.header_px, TEXT, BACKGROUND, (centre, y),
                 "midtop", max_width=wide).bottom  # fmt: skip
    drawn["score"] = _draw_score(surface, res, final, y + theme.px(0.03))
    bar = pygame.Rect(0, 0, int(theme.width * 0.6), theme.px(0.03))
    bar.midtop = (centre, drawn["score"].bottom + theme.px(0.02))
    surface.fill(TRACK, bar)
    share = final.score / final.max_score if final.max_score > 0 else 0.0
    surface.fill(ACCENT, (bar.x, bar.y, round(bar.width * min(1.0, share)), bar.height))
    drawn["bar"] = bar
    y = bar.bottom + theme.px(0.025)
    if _beat_best(final):
        drawn["best"] = _best_plate(surface, res, (centre, y))
        y = drawn["best"].bottom + theme.px(0.02)
    elif final.best_before is not None:
        best = f"Your best on this song: {final.best_before:,}"
        y = res.text(surface, best, theme.small_px, DIM, BACKGROUND, (centre, y), "midtop").bottom
        y += theme.px(0.02)
    drawn["cells"] = _draw_ratings(surface, res, final.ratings, y)
    _draw_next(surface, frame, res)
    draw_notices(surface, frame, res)
    return drawn


def _beat_best(final: FinalScore) -> bool:
    return final.best_before is not None and final.score > final.best_before


def _draw_score(surface: pygame.Surface, res: Resources, final: FinalScore, y: int) -> pygame.Rect:
    """'8,450' large, '/ 10,000' and the song's rating word beside it, centred together."""
    theme = res.theme
    big = res.texts.render(f"{final.score:,}", theme.px(0.16), TEXT, BACKGROUND)
    rest = res.texts.render(f"/ {final.max_score:,}", theme.px(0.05), DIM, BACKGROUND)
    share = final.score / final.max_score if final.max_score > 0 else 0.0
    rating = Rating.for_fraction(share)
    word = res.texts.render(rating.label, theme.px(0.05), RATING_COLORS[rating], BACKGROUND)
    gap = theme.px(0.02)
    width = big.get_width() + gap + max(rest.get_width(), word.get_width())
    left = (theme.width - width) // 2
    rect = surface.blit(big, (left, y))
    side = rect.right + gap
    surface.blit(word, (side, rect.centery - word.get_height()))
    surface.blit(rest, (side, rect.centery))
    return rect


def _best_plate(surface: pygame.Surface, res: Resources, midtop: tuple[int, int]) -> pygame.Rect:
    theme = res.theme
    text = res.texts.render(BEST, theme.px(0.05), BACKGROUND, ACCENT, shadow=False)
    plate = text.get_rect(midtop=midtop).inflate(theme.px(0.04), theme.px(0.012))
    plate.midtop = midtop
    surface.fill(ACCENT, plate)
    surface.blit(text, text.get_rect(center=plate.center))
    return plate


def _draw_ratings(
    surface: pygame.Surface, res: Resources, ratings: tuple[str, ...], y: int
) -> pygame.Rect:
    """One cell per line in its rating's colour (wrapped onto rows), then the counts."""
    theme = res.theme
    wide = int(theme.width * 0.6)
    count = max(1, len(ratings))
    per_row = min(count, 40)
    cell = max(6, min(theme.px(0.04), wide // per_row))
    rows = math.ceil(count / per_row)
    left = (theme.width - per_row * cell) // 2
    area = pygame.Rect(left, y, per_row * cell, rows * cell)
    for index, label in enumerate(ratings):
        rating = _BY_LABEL.get(label, Rating.AWFUL)
        row, column = divmod(index, per_row)
        box = pygame.Rect(left + column * cell, y + row * cell, cell, cell).inflate(-2, -2)
        surface.fill(RATING_COLORS[rating], box)
    counts = Counter(_BY_LABEL.get(label, Rating.AWFUL) for label in ratings)
    size, bg = theme.small_px, BACKGROUND
    words = [
        res.texts.render(f"{rating.label} {counts[rating]}", size, RATING_COLORS[rating], bg)
        for rating in Rating
        if counts[rating]
    ]
    gap = theme.px(0.03)
    x = (theme.width - sum(word.get_width() for word in words) - gap * (len(words) - 1)) // 2
    y = area.bottom + theme.px(0.015)
    for word in words:
        area.union_ip(surface.blit(word, (x, y)))
        x += word.get_width() + gap
    return area


def _draw_next(surface: pygame.Surface, frame: Frame, res: Resources) -> None:
    """Who sings next (and the countdown) on a band at the bottom."""
    item = frame.snapshot.up_next
    if item is None:
        return
    theme = res.theme
    top = theme.height - theme.px(0.1)
    surface.fill(BAND, (0, top, theme.width, theme.height - top))
    text = f"Up next: {item.singer.name}  ·  {item.song.title}"
    if frame.snapshot.countdown_s is not None:
        left = max(0, math.ceil(frame.snapshot.countdown_s - frame.snapshot_age_s))
        text += f"  ·  starting in {left}"
    res.text(surface, text, theme.header_px, TEXT, BAND,
             (theme.width // 2, top + theme.px(0.025)), "midtop",
             max_width=theme.width - 2 * theme.margin)  # fmt: skip
