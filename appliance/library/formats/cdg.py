"""CD+G graphics decoder (the "G" of MP3+G), pure Python, driven by the audio position.

A stream is 24-byte packets at 300 per second; only command 9 draws. The screen memory is
300x216 palette indices (16 colours out of 4096); the visible window is 288x192, shifted by the
scroll offsets. Use it from the display loop with the engine's *source* position::

    >>> decoder = CdgDecoder(bytes(24 * 300))        # one second of empty packets
    >>> frame = decoder.frame_at(0.5)
    >>> len(frame.pixels), len(frame.palette), frame.version
    (64800, 48, 0)

Seeking back re-parses from the start (a 4-minute stream decodes in well under a second), and
:meth:`CdgDecoder.last_change_s` tells when the graphics stop changing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 300, 216
VISIBLE_WIDTH, VISIBLE_HEIGHT = 288, 192
TILE_W, TILE_H = 6, 12
COLUMNS, ROWS = 50, 18
PACKET_SIZE = 24
PACKETS_PER_SECOND = 300
GRAPHICS_COMMAND = 9
CHECKPOINT_EVERY = 2048  # graphics packets between saved states, so seeking back is cheap

MEMORY_PRESET, BORDER_PRESET = 1, 2
TILE_NORMAL, TILE_XOR = 6, 38
SCROLL_PRESET, SCROLL_COPY = 20, 24
DEFINE_TRANSPARENT = 28
LOAD_COLORS_LOW, LOAD_COLORS_HIGH = 30, 31

_MASK_TABLE = bytes(value & 0x3F for value in range(256))
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


class CdgDecoder:
    """Decodes a CD+G byte stream up to any position; cheap to call every display frame."""

    def __init__(self, data: bytes, keep_transparent: bool = False) -> None:
        whole = len(data) // PACKET_SIZE * PACKET_SIZE
        masked = data[:whole].translate(_MASK_TABLE)
        commands = masked[0::PACKET_SIZE]
        self._packets = [
            (
                index,
                masked[index * PACKET_SIZE + 1],
                masked[index * PACKET_SIZE + 4 : index * PACKET_SIZE + 20],
            )
            for index, command in enumerate(commands)
            if command == GRAPHICS_COMMAND
        ]
        self.packet_count = len(commands)
        self.keep_transparent = keep_transparent
        self._frame: CdgFrame | None = None
        self._last_change: float | None = None
        self._checkpoints: dict[int, tuple] = {}
        self._reset()

    @property
    def duration_s(self) -> float:
        """Length of the stream in seconds."""
        return self.packet_count / PACKETS_PER_SECOND

    def frame_at(self, position_s: float) -> CdgFrame:
        """The screen once every packet up to ``floor(position_s * 300)`` has been applied."""
        target = -1
        if position_s >= 0:  # False for NaN
            target = math.floor(min(position_s, self.duration_s + 1.0) * PACKETS_PER_SECOND)
        if target < self._applied_through:
            self._reset()
        self._jump_to_checkpoint(target)
        self._advance(target)
        if self._frame is not None and self._frame.version == self._version:
            return self._frame
        screen = self._screen
        self._frame = CdgFrame(
            pixels=bytes(screen.pixels),
            palette=bytes(screen.palette),
            h_offset=screen.h_offset,
            v_offset=screen.v_offset,
            version=self._version,
            changed_s=self._changed_s,
            transparency=bytes(screen.transparency),
        )
        return self._frame

    def last_change_s(self) -> float:
        """When the last visible change of the whole stream happens (decodes it once, cached)."""
        if self._last_change is None:
            scratch = CdgDecoder.__new__(CdgDecoder)
            scratch.__dict__.update(self.__dict__)  # same packets and checkpoints, own screen
            scratch._reset()
            scratch._advance(self.packet_count)
            self._last_change = scratch._changed_s
        return self._last_change

    def _reset(self) -> None:
        self._screen = CdgScreen(self.keep_transparent)
        self._next = 0
        self._applied_through = -1
        self._version = 0
        self._changed_s = 0.0
        self._frame = None

    def _jump_to_checkpoint(self, target: int) -> None:
        """Skip ahead to the latest saved state at or before ``target``, if one is ahead of us."""
        ahead = [
            key
            for key, state in self._checkpoints.items()
            if key > self._next and state[0] <= target
        ]
        if not ahead:
            return
        position = max(ahead)
        index, pixels, palette, transparency, offsets, version, changed_s = self._checkpoints[
            position
        ]
        screen = self._screen
        screen.pixels[:], screen.palette[:], screen.transparency[:] = pixels, palette, transparency
        screen.h_offset, screen.v_offset = offsets
        self._next, self._applied_through = position, index
        self._version, self._changed_s = version, changed_s
        self._frame = None

    def _save(self, position: int) -> None:
        screen = self._screen
        self._checkpoints[position] = (
            self._packets[position - 1][0],
            bytes(screen.pixels),
            bytes(screen.palette),
            bytes(screen.transparency),
            (screen.h_offset, screen.v_offset),
            self._version,
            self._changed_s,
        )

    def _advance(self, target: int) -> None:
        packets, screen, position = self._packets, self._screen, self._next
        while position < len(packets) and packets[position][0] <= target:
            if position % CHECKPOINT_EVERY == 0 and position and position not in self._checkpoints:
                self._save(position)
            index, instruction, data = packets[position]
            if screen.apply(instruction, data):
                self._version += 1
                self._changed_s = index / PACKETS_PER_SECOND
            position += 1
        self._next = position
        self._applied_through = max(self._applied_through, target)
