"""Text rendered once and cached: each frame only blits surfaces it already has.

Text is drawn with a drop shadow onto the colour behind it, so the cached surfaces are opaque
and blit as plain copies (per-pixel alpha costs several times more on a Pi). Over a picture
(a song's background) text is transparent (``bg=None``) and can carry a dark outline, so it
reads over light and dark pictures alike::

    texts = TextCache(FontChain.find())
    surface = texts.render("Amazing grace", 92, TEXT, bg=BACKGROUND)
    short = texts.render(long_title, 40, DIM, bg=BAND, max_width=800)   # ends with "…"
    over = texts.render("Amazing grace", 92, TEXT, None, outline=True)  # face at outline_px
"""

from __future__ import annotations

from collections import OrderedDict

import pygame

from appliance.display.fonts import EMOJI_STRIKE_PX, FontChain, clean_text
from appliance.display.theme import SHADOW, Color

ELLIPSIS = "…"


class TextCache:
    """Rendered text by (text, size, colour, background, width limit), least recently used out."""

    def __init__(self, fonts: FontChain, capacity: int = 600) -> None:
        self.fonts = fonts
        self.capacity = capacity
        self._surfaces: OrderedDict[tuple[object, ...], pygame.Surface] = OrderedDict()
        self._widths: dict[tuple[str, int], int] = {}
        self.renders = 0

    def width(self, text: str, size: int) -> int:
        """Width in pixels of ``text`` at ``size`` (without the shadow)."""
        key = (text, size)
        width = self._widths.get(key)
        if width is None:
            text = clean_text(text)
            width = sum(self._run_width(piece, emoji, size) for piece, emoji in self._runs(text))
            if len(self._widths) > 50000:
                self._widths.clear()
            self._widths[key] = width
        return width

    def line_height(self, size: int) -> int:
        """Distance between rows of text at ``size``."""
        path = self.fonts.paths[0] if self.fonts.paths else ""
        return self.fonts.font(path, size).get_linesize()

    def row_metrics(self, texts: list[str], size: int) -> tuple[int, int]:
        """(distance between rows, height of a row's ink with its shadow) for rows holding
        ``texts`` at ``size``: the tallest of the fonts they are drawn with (a CJK or Thai
        fallback font is taller than the primary one)."""
        step = self.line_height(size)
        ink = 0
        for text in texts:
            font = self.fonts.font_for(clean_text(text), size)
            step, ink = max(step, font.get_linesize()), max(ink, font.get_height())
        return step, (ink or step) + self.shadow_px(size)

    def shadow_px(self, size: int) -> int:
        """How far the shadow is offset at ``size``."""
        return max(1, size // 22)

    def render(
        self,
        text: str,
        size: int,
        color: Color,
        bg: Color | None = None,
        *,
        max_width: int | None = None,
        shadow: bool = True,
        outline: bool = False,
    ) -> pygame.Surface:
        """``text`` as a surface (opaque on ``bg``, else alpha), cut with "…" to ``max_width``;
        with ``outline`` ringed in dark ``outline_px(size)`` wide (the face that far in)."""
        key = (text, size, color, bg, max_width, shadow, outline)
        surface = self._surfaces.get(key)
        if surface is not None:
            self._surfaces.move_to_end(key)
            return surface
        shown = clean_text(text)
        if max_width is not None:
            shown = self.fit(shown, size, max_width)
        surface = self._draw(shown, size, color, bg, shadow, outline)
        self._surfaces[key] = surface
        if len(self._surfaces) > self.capacity:
            self._surfaces.popitem(last=False)
        return surface

    def has(
        self,
        text: str,
        size: int,
        color: Color,
        bg: Color | None = None,
        *,
        shadow: bool = True,
        outline: bool = False,
    ) -> bool:
        """True when that text is rendered already (no width limit)."""
        return (text, size, color, bg, None, shadow, outline) in self._surfaces

    def outline_px(self, size: int) -> int:
        """How wide the outline of text at ``size`` is (3 px at 92 px)."""
        return max(1, size // 30)

    def fit(self, text: str, size: int, max_width: int) -> str:
        """``text`` cut at a character and ended with "…" so it is at most ``max_width`` wide."""
        if self.width(text, size) <= max_width:
            return text
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if self.width(text[:middle].rstrip() + ELLIPSIS, size) <= max_width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + ELLIPSIS if low else ""

    def _runs(self, text: str) -> list[tuple[str, bool]]:
        return self.fonts.runs(text) if text else [(text, False)]

    def _run_width(self, piece: str, emoji: bool, size: int) -> int:
        if emoji:
            return self._emoji(piece, size).get_width()
        return self.fonts.font_for(piece, size).size(piece)[0] if piece else 0

    def _emoji(self, piece: str, size: int) -> pygame.Surface:
        """Emoji drawn at their font's one size, scaled so their em is the text's."""
        key = (piece, size, "emoji")
        surface = self._surfaces.get(key)
        if surface is None:
            strike = self.fonts.font(self.fonts.emoji_path, EMOJI_STRIKE_PX)
            try:
                drawn = strike.render(piece, True, (255, 255, 255))
            except pygame.error:
                drawn = pygame.Surface((1, 1), pygame.SRCALPHA)
            scale = size / EMOJI_STRIKE_PX
            target = (
                max(1, round(drawn.get_width() * scale)),
                max(1, round(drawn.get_height() * scale)),
            )
            surface = pygame.transform.smoothscale(
                drawn.convert_alpha() if pygame.display.get_surface() else drawn, target
            )
            self._surfaces[key] = surface
        return surface

    def _draw(  # noqa: PLR0917 (the cache key's parts, in its order)
        self, text: str, size: int, color: Color, bg: Color | None, shadow: bool, outline: bool
    ) -> pygame.Surface:
        runs = self._runs(text)
        if len(runs) > 1 or runs[0][1]:
            return self._draw_runs(runs, size, color, bg, (shadow, outline))
        self.renders += 1
        font = self.fonts.font_for(text, size)
        try:
            face = font.render(text or " ", True, color)
        except pygame.error:  # only zero-width characters: draw a space
            text = " "
            face = font.render(text, True, color)
        offset = self.shadow_px(size) if shadow else 0
        if outline:
            return _rle(_fast(self._outlined(font, text or " ", face, offset, size), bg is None))
        width, height = face.get_width() + offset, face.get_height() + offset
        if bg is None:
            surface = pygame.Surface((width, height), pygame.SRCALPHA)
        else:
            surface = pygame.Surface((width, height))
            surface.fill(bg)
        if offset:
            surface.blit(font.render(text or " ", True, SHADOW), (offset, offset))
        surface.blit(face, (0, 0))
        return _fast(surface, bg is None)

    def _outlined(
        self, font: pygame.font.Font, text: str, face: pygame.Surface, offset: int, size: int
    ) -> pygame.Surface:
        """``face`` on its dark outline, with the outline's drop shadow (alpha)."""
        ring = self.outline_px(size)
        font.outline = ring
        try:
            edge = font.render(text, True, SHADOW)
        finally:
            font.outline = 0
        surface = pygame.Surface(
            (edge.get_width() + offset, edge.get_height() + offset), pygame.SRCALPHA
        )
        if offset:
            surface.blit(edge, (offset, offset))
        surface.blit(edge, (0, 0))
        surface.blit(face, (ring, ring))
        return surface

    def _draw_runs(
        self,
        runs: list[tuple[str, bool]],
        size: int,
        color: Color,
        bg: Color | None,
        style: tuple[bool, bool],
    ) -> pygame.Surface:
        """Text and emoji runs side by side, on one baseline band (emoji centred on it)."""
        faces = [
            self._emoji(piece, size) if emoji else self._draw(piece, size, color, bg, *style)
            for piece, emoji in runs
        ]
        height = max(face.get_height() for face in faces)
        surface = pygame.Surface((sum(face.get_width() for face in faces), height), pygame.SRCALPHA)
        if bg is not None:
            surface = pygame.Surface(surface.get_size())
            surface.fill(bg)
        x = 0
        for face in faces:
            surface.blit(face, (x, (height - face.get_height()) // 2))
            x += face.get_width()
        return _fast(surface, bg is None)


def _rle(surface: pygame.Surface) -> pygame.Surface:
    """Run-length encode an alpha surface of text (mostly clear or solid pixels): its blits copy
    the solid runs and skip the clear ones, 1.7x faster than a per-pixel blend here, about the
    cost of the opaque text's copy (the lyrics over a picture stay as cheap as on a plain
    background). Only text never drawn on again is encoded (locking decodes it)."""
    if surface.get_flags() & pygame.SRCALPHA:
        surface.set_alpha(255, pygame.RLEACCEL)
    return surface


def _fast(surface: pygame.Surface, alpha: bool) -> pygame.Surface:
    """The surface in the screen's pixel format when there is a screen (blits are copies)."""
    if pygame.display.get_init() and pygame.display.get_surface() is not None:
        return surface.convert_alpha() if alpha else surface.convert()
    return surface
