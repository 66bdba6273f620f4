"""Property: the lyrics scene never draws a lyric row under the footer (or over the header),
whatever the lines (long words, CJK, many short words, mixed scripts), the time, the font and
the screen.

Real pygame surfaces on SDL's dummy video driver, real fonts (Noto with its CJK fallback, or a
configured DejaVu Serif, whose rows are taller, or pygame's own font), at every screen size the
theme serves (1920x1080, 1280x720, 1024x768) and a small 800x480 panel.
"""

from __future__ import annotations

import os

import pygame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appliance.display.frame import Frame, Resources
from appliance.display.lyrics_scene import draw_lyrics_scene
from appliance.library.formats.lyrics import LyricLine, Lyrics, Word
from tests.support import display_scenes as sample

SIZES = [(1920, 1080), (1280, 720), (1024, 768), (800, 480)]
SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
FONTS = ["", *([SERIF] if os.path.isfile(SERIF) else [])]
_RESOURCES: dict[tuple[int, int, str], Resources] = {}


def resources_for(size: tuple[int, int], font: str) -> Resources:
    """Resources per screen size and configured font, made once (fonts load once)."""
    key = (*size, font)
    if key not in _RESOURCES:
        _RESOURCES[key] = Resources.create(size[0], size[1], font)
    return _RESOURCES[key]


LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüßéèçñøæ'.,!?"
CJK = "夜空ノムコウ君の名は愛してる사랑해我们的歌"

latin_words = st.text(LATIN, min_size=1, max_size=12)
long_words = st.text(LATIN, min_size=20, max_size=60)
cjk_runs = st.text(CJK, min_size=1, max_size=40)
word_text = st.one_of(latin_words, latin_words, long_words, cjk_runs)
line_words = st.lists(word_text, min_size=1, max_size=30)


def timed_line(texts: list[str], start_s: float) -> LyricLine:
    words = tuple(
        Word(text + " ", start_s + 0.4 * number, start_s + 0.4 * (number + 1))
        for number, text in enumerate(texts)
    )
    return LyricLine(words)


def lyrics_of(lines: list[list[str]]) -> Lyrics:
    timed, start = [], 1.0
    for texts in lines:
        timed.append(timed_line(texts, start))
        start += 0.4 * len(texts) + 0.5
    return Lyrics(lines=tuple(timed), title="T", artist="A")


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    lines=st.lists(line_words, min_size=1, max_size=7),
    size=st.sampled_from(SIZES),
    font=st.sampled_from(FONTS),
    moment=st.floats(0.0, 1.0),
)
def test_no_lyric_row_is_drawn_under_the_footer(lines, size, font, moment):
    res = resources_for(size, font)
    lyrics = lyrics_of(lines)
    time_s = lyrics.lines[0].start_s + moment * (lyrics.lines[-1].end_s - 1.0)
    surface = pygame.Surface(size)
    drawn = draw_lyrics_scene(surface, Frame(sample.playing(time_s), lyrics, time_s), res)
    theme = res.theme
    footer_top = size[1] - theme.px(0.11)
    header_bottom = theme.px(0.155)
    for piece in drawn:
        where = f"{piece.text!r} at {piece.rect} on {size}"
        assert piece.rect.bottom <= footer_top, f"{where}: under the footer at {footer_top}"
        assert piece.rect.top >= header_bottom, f"{where}: over the header"
        assert piece.rect.left >= 0, where
        assert piece.rect.right <= size[0], where


def test_home_on_the_range_at_21_s_keeps_its_rows_above_the_footer(resources):
    """The case found by hand: a long line shrunk to fit, then a fifth row half under the footer."""
    text = (
        "Where seldom is heard a discouraging word,\nAnd the skies are not cloudy all day.\n"
        "Home, home on the range,\nWhere the deer and the antelope play,\n"
        "Where seldom is heard a discouraging word,\nAnd the skies are not cloudy all day."
    )
    lyrics = lyrics_of([line.split() for line in text.splitlines()])
    for size in [(1920, 1080), (1280, 720)]:
        res = resources(*size)
        drawn = draw_lyrics_scene(
            pygame.Surface(size), Frame(sample.playing(1.5), lyrics, 1.5), res
        )
        footer_top = size[1] - res.theme.px(0.11)
        assert drawn, "the lines are drawn"
        assert max(piece.rect.bottom for piece in drawn) <= footer_top
