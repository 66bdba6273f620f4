"""Colours and sizes of the TV screen, scaled to its size: readable from across a bar.

Sizes are fractions of the screen height (capped by the width on 4:3 screens), so one
layout serves 1920x1080, 1280x720 and 1024x768::

    >>> theme = Theme.for_size(1920, 1080)
    >>> theme.lyric_px, theme.margin
    (92, 96)
    >>> Theme.for_size(1024, 768).lyric_px < Theme.for_size(1366, 768).lyric_px
    True
"""

from __future__ import annotations

from dataclasses import dataclass

Color = tuple[int, int, int]

BACKGROUND: Color = (10, 12, 28)
BAND: Color = (22, 26, 52)
TEXT: Color = (255, 255, 255)
DIM: Color = (170, 176, 200)
ACCENT: Color = (255, 196, 40)
SHADOW: Color = (0, 0, 0)
WARN: Color = (255, 150, 40)
ERROR: Color = (235, 70, 70)
QR_DARK: Color = (0, 0, 0)
QR_LIGHT: Color = (255, 255, 255)

# Lyric colours per duet part: 0 everyone, 1 and 2 the two voices. (unsung, sung)
PART_COLORS: dict[int, tuple[Color, Color]] = {
    0: ((255, 255, 255), (255, 196, 40)),
    1: ((200, 230, 255), (40, 170, 255)),
    2: ((255, 215, 235), (255, 80, 170)),
}
UPCOMING: Color = (205, 208, 222)


def part_colors(part: int) -> tuple[Color, Color]:
    """(unsung, sung) colours of a duet part; unknown parts sing like part 0."""
    return PART_COLORS.get(part, PART_COLORS[0])


@dataclass(frozen=True)
class Theme:
    """Pixel sizes for one screen size."""

    width: int
    height: int
    unit: int  # one "em" of the layout: the height-based size on 16:9, less on narrow screens

    @classmethod
    def for_size(cls, width: int, height: int) -> Theme:
        """The theme of a ``width`` x ``height`` screen."""
        unit = min(height, width * 9 // 16)
        return cls(width, height, max(120, unit))

    def px(self, fraction: float) -> int:
        """``fraction`` of the layout unit, in whole pixels (at least 8)."""
        return max(8, round(self.unit * fraction))

    @property
    def margin(self) -> int:
        """Space kept free at the screen's left and right edges (5%)."""
        return round(self.width * 0.05)

    @property
    def lyric_px(self) -> int:
        """Font size of the line being sung."""
        return self.px(0.085)

    @property
    def lyric_min_px(self) -> int:
        """The smallest a long lyric line may shrink to before it wraps onto more rows."""
        return self.px(0.055)

    @property
    def upcoming_px(self) -> int:
        """Font size of the lines after the one being sung."""
        return self.px(0.068)

    @property
    def header_px(self) -> int:
        """Title and artist in the header."""
        return self.px(0.042)

    @property
    def name_px(self) -> int:
        """The singer's name in the header."""
        return self.px(0.052)

    @property
    def small_px(self) -> int:
        """Times, badges, notices, the address under a QR code."""
        return self.px(0.036)
