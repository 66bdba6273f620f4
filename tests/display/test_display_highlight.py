"""Pixel tests: the sung part of a word has the "sung" colour, the rest the "unsung" colour, and
between words nothing is half filled."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from appliance.display.frame import Frame
from appliance.display.lyrics_scene import draw_lyrics_scene
from appliance.library.formats.lyrics import LyricLine, Lyrics, Word
from tests.support import display_scenes as sample


def colour_count(surface: pygame.Surface, rect: pygame.Rect, colour) -> int:
    """Pixels of exactly ``colour`` inside ``rect``."""
    if rect.width <= 0:
        return 0
    pixels = pygame.surfarray.array3d(surface.subsurface(rect))
    return int(np.all(pixels == np.array(colour, dtype=pixels.dtype), axis=2).sum())


def draw(at_s: float, lyrics: Lyrics, size=(1920, 1080), res=None):
    surface = pygame.Surface(size)
    drawn = draw_lyrics_scene(surface, Frame(sample.playing(at_s), lyrics, lyrics_s=at_s), res)
    return surface, drawn


@pytest.mark.parametrize("at_s", [5.25, 5.5, 5.9, 6.3, 9.2])
def test_inside_a_word_the_sung_part_is_sung_and_the_rest_unsung(at_s, resources, save_screen):
    surface, drawn = draw(at_s, sample.grace_lyrics(), res=resources())
    piece = next(p for p in drawn if 0 < p.progress < 1)
    edge = piece.rect.x + round(piece.rect.width * piece.progress)
    left = pygame.Rect(piece.rect.x, piece.rect.y, edge - piece.rect.x - 1, piece.rect.height)
    right = pygame.Rect(edge + 1, piece.rect.y, piece.rect.right - edge - 1, piece.rect.height)
    assert colour_count(surface, left, piece.sung) > 30
    assert colour_count(surface, left, piece.unsung) == 0
    assert colour_count(surface, right, piece.unsung) > 30
    assert colour_count(surface, right, piece.sung) == 0
    save_screen(surface, f"highlight-{at_s:g}s")


GAPPY = Lyrics(
    lines=(
        LyricLine((Word("one ", 1.0, 1.5), Word("two ", 2.0, 2.5), Word("three", 3.0, 3.5))),
        LyricLine((Word("four ", 5.0, 5.5), Word("five", 6.0, 6.5))),
    )
)


@pytest.mark.parametrize("at_s", [0.5, 1.75, 2.75, 3.75, 4.9])
def test_between_words_nothing_is_half_filled(at_s, resources):
    surface, drawn = draw(at_s, GAPPY, res=resources())
    assert drawn
    for piece in drawn:
        assert piece.progress in (0.0, 1.0), piece
        wrong = piece.unsung if piece.progress == 1.0 else piece.sung
        right = piece.sung if piece.progress == 1.0 else piece.unsung
        assert colour_count(surface, piece.rect, wrong) == 0, piece.text
        assert colour_count(surface, piece.rect, right) > 30, piece.text


def test_words_sung_and_not_yet_sung_at_a_line_boundary(resources):
    _, drawn = draw(11.2, sample.grace_lyrics(), res=resources())
    first = [p for p in drawn if p.rect.y == drawn[0].rect.y]
    assert all(p.progress == 1.0 for p in first)  # the finished line holds for a moment
    _, drawn = draw(11.6, sample.grace_lyrics(), res=resources())
    assert drawn[0].text.startswith("That") and drawn[0].progress == 0.0
