"""The CD+G screen: 300x216 palette indices (16 colours out of 4096), the visible 288x192
window shifted by the scroll offsets, and every graphics instruction applied to it (memory and
border preset, tiles normal and XOR, scroll preset and copy, transparent colour, palettes).
The stream over time (which packets, up to which position): :mod:`.cdg`."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 300, 216
VISIBLE_WIDTH, VISIBLE_HEIGHT = 288, 192
TILE_W, TILE_H = 6, 12
COLUMNS, ROWS = 50, 18
PACKET_SIZE = 24
PACKETS_PER_SECOND = 300
GRAPHICS_COMMAND = 9

MEMORY_PRESET, BORDER_PRESET = 1, 2
TILE_NORMAL, TILE_XOR = 6, 38
SCROLL_PRESET, SCROLL_COPY = 20, 24
DEFINE_TRANSPARENT = 28
LOAD_COLORS_LOW, LOAD_COLORS_HIGH = 30, 31

MASK_TABLE = bytes(value & 0x3F for value in range(256))
_PATTERNS = tuple(bytes((bits >> (5 - i)) & 1 for i in range(6)) for bits in range(64))
_COLOR_TABLES: dict[tuple[int, int], bytes] = {}


def _color_table(color0: int, color1: int) -> bytes:
    """A bytes.translate table turning a 0/1 pattern into the two colours."""
    table = _COLOR_TABLES.get((color0, color1))
    if table is None:
        table = bytes((color0, color1)) + bytes(254)
        _COLOR_TABLES[color0, color1] = table
    return table


@dataclass(frozen=True)
class CdgFrame:
    """The screen at one moment: 300x216 indices (row-major), palette as 16 RGB byte triplets.

    ``version`` counts visible changes so far: a display redraws only when it moves.
    ``transparency`` holds the 16 per-colour values of "define transparent" (all 0 if ignored).
    """

    pixels: bytes
    palette: bytes
    h_offset: int = 0
    v_offset: int = 0
    version: int = 0
    changed_s: float = 0.0
    transparency: bytes = bytes(16)

    def viewport(self) -> bytes:
        """The 288x192 visible window, scroll offsets applied (row-major indices)."""
        rows = []
        left = TILE_W + self.h_offset
        for y in range(TILE_H + self.v_offset, TILE_H + self.v_offset + VISIBLE_HEIGHT):
            start = y * WIDTH + left
            rows.append(self.pixels[start : start + VISIBLE_WIDTH])
        return b"".join(rows)

    def rgb(self, index: int) -> tuple[int, int, int]:
        """The colour of palette entry ``index`` as 8-bit RGB."""
        red, green, blue = self.palette[index * 3 : index * 3 + 3]
        return red, green, blue


class CdgScreen:
    """The decoder's mutable state and one method per instruction; each says if it changed."""

    def __init__(self, keep_transparent: bool = False) -> None:
        self.pixels = bytearray(WIDTH * HEIGHT)
        self.palette = bytearray(48)
        self.transparency = bytearray(16)
        self.keep_transparent = keep_transparent
        self.h_offset = 0
        self.v_offset = 0

    def apply(self, instruction: int, data: bytes) -> bool:
        """Run one graphics instruction (masked to 6 bits); True if anything visible moved."""
        handler = _HANDLERS.get(instruction)
        return handler(self, data) if handler else False

    def memory_preset(self, data: bytes) -> bool:
        color = data[0] & 0x0F
        if self.pixels.count(color) == len(self.pixels):
            return False
        self.pixels[:] = bytes([color]) * len(self.pixels)
        return True

    def border_preset(self, data: bytes) -> bool:
        color = data[0] & 0x0F
        changed = False
        full, side = bytes([color]) * WIDTH, bytes([color]) * TILE_W
        for y in range(HEIGHT):
            row = y * WIDTH
            if y < TILE_H or y >= HEIGHT - TILE_H:
                changed |= self.pixels[row : row + WIDTH] != full
                self.pixels[row : row + WIDTH] = full
            else:
                for start in (row, row + WIDTH - TILE_W):
                    changed |= self.pixels[start : start + TILE_W] != side
                    self.pixels[start : start + TILE_W] = side
        return changed

    def tile(self, data: bytes, xor: bool) -> bool:
        row, column = data[2] & 0x1F, data[3] & 0x3F
        if row >= ROWS or column >= COLUMNS:
            return False
        table = _color_table(data[0] & 0x0F, data[1] & 0x0F)
        pixels = self.pixels
        start = row * TILE_H * WIDTH + column * TILE_W
        changed = False
        for bits in data[4:16]:
            end = start + TILE_W
            drawn = _PATTERNS[bits & 0x3F].translate(table)
            old = pixels[start:end]
            if xor:
                value = int.from_bytes(old) ^ int.from_bytes(drawn)
                drawn = value.to_bytes(TILE_W)
            if drawn != old:
                pixels[start:end] = drawn
                changed = True
            start += WIDTH
        return changed

    def tile_normal(self, data: bytes) -> bool:
        return self.tile(data, xor=False)

    def tile_xor(self, data: bytes) -> bool:
        return self.tile(data, xor=True)

    def scroll(self, data: bytes, wrap: bool) -> bool:
        color = data[0] & 0x0F
        h_cmd, h_offset = (data[1] & 0x30) >> 4, data[1] & 0x07
        v_cmd, v_offset = (data[2] & 0x30) >> 4, data[2] & 0x0F
        dx = {1: TILE_W, 2: -TILE_W}.get(h_cmd, 0)
        dy = {1: TILE_H, 2: -TILE_H}.get(v_cmd, 0)
        h_offset, v_offset = min(h_offset, TILE_W - 1), min(v_offset, TILE_H - 1)
        changed = (h_offset, v_offset) != (self.h_offset, self.v_offset)
        self.h_offset, self.v_offset = h_offset, v_offset
        if dx or dy:
            self.pixels[:] = _shifted(self.pixels, dx, dy, None if wrap else color)
            changed = True
        return changed

    def scroll_preset(self, data: bytes) -> bool:
        return self.scroll(data, wrap=False)

    def scroll_copy(self, data: bytes) -> bool:
        return self.scroll(data, wrap=True)

    def define_transparent(self, data: bytes) -> bool:
        if not self.keep_transparent:
            return False
        new = bytes(value & 0x3F for value in data[:16])
        changed = new != self.transparency
        self.transparency[:] = new
        return changed

    def load_colors(self, data: bytes, first: int) -> bool:
        new = bytearray(24)
        for i in range(8):
            high, low = data[2 * i] & 0x3F, data[2 * i + 1] & 0x3F
            red = (high >> 2) & 0x0F
            green = ((high & 0x03) << 2) | ((low >> 4) & 0x03)
            blue = low & 0x0F
            new[3 * i : 3 * i + 3] = bytes((red * 17, green * 17, blue * 17))
        region = slice(first * 3, first * 3 + 24)
        changed = self.palette[region] != new
        self.palette[region] = new
        return changed

    def load_colors_low(self, data: bytes) -> bool:
        return self.load_colors(data, 0)

    def load_colors_high(self, data: bytes) -> bool:
        return self.load_colors(data, 8)


_HANDLERS = {
    MEMORY_PRESET: CdgScreen.memory_preset,
    BORDER_PRESET: CdgScreen.border_preset,
    TILE_NORMAL: CdgScreen.tile_normal,
    TILE_XOR: CdgScreen.tile_xor,
    SCROLL_PRESET: CdgScreen.scroll_preset,
    SCROLL_COPY: CdgScreen.scroll_copy,
    DEFINE_TRANSPARENT: CdgScreen.define_transparent,
    LOAD_COLORS_LOW: CdgScreen.load_colors_low,
    LOAD_COLORS_HIGH: CdgScreen.load_colors_high,
}


def _shifted(pixels: bytearray, dx: int, dy: int, fill: int | None) -> bytearray:
    """The screen moved by (dx, dy) pixels; the uncovered band wraps (fill None) or is filled."""
    moved = bytearray(pixels)
    if dy:
        cut = abs(dy) * WIDTH
        band = bytes([fill]) * cut if fill is not None else None
        if dy > 0:
            moved = bytearray((band or moved[-cut:]) + moved[:-cut])
        else:
            moved = bytearray(moved[cut:] + (band or moved[:cut]))
    if dx:
        step = abs(dx)
        side = bytes([fill]) * step if fill is not None else None
        for start in range(0, WIDTH * HEIGHT, WIDTH):
            row = moved[start : start + WIDTH]
            if dx > 0:
                moved[start : start + WIDTH] = (side or row[-step:]) + row[:-step]
            else:
                moved[start : start + WIDTH] = row[step:] + (side or row[:step])
    return moved
