"""A CD+G stream generator and an independent reference model of the screen, for tests.

The generator writes packets the way discs do (command 9 for graphics, random parity bytes, the
two high bits of every byte set at random so the decoder must mask them, padding packets of
other commands between instructions). The reference model is a plain 2-D list of palette
indices with each instruction written from the spec sheet, pixel by pixel, so it shares no code
with the decoder.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

W, H = 300, 216


@dataclass
class Instruction:
    """One graphics instruction: its code and its 16 data bytes (low 6 bits meaningful)."""

    code: int
    data: list[int]


def memory_preset(color: int, repeat: int = 0) -> Instruction:
    return Instruction(1, [color, repeat] + [0] * 14)


def border_preset(color: int) -> Instruction:
    return Instruction(2, [color] + [0] * 15)


def tile(color0: int, color1: int, row: int, column: int, bits: list[int], *, xor=False):
    assert len(bits) == 12
    return Instruction(38 if xor else 6, [color0, color1, row, column, *bits])


def scroll(color: int, h_cmd: int, h_off: int, v_cmd: int, v_off: int, *, copy=False):
    return Instruction(
        24 if copy else 20, [color, (h_cmd << 4) | h_off, (v_cmd << 4) | v_off] + [0] * 13
    )


def define_transparent(values: list[int]) -> Instruction:
    return Instruction(28, list(values))


def load_colors(high: bool, colors: list[tuple[int, int, int]]) -> Instruction:
    """8 colours as 4-bit (r, g, b)."""
    data = []
    for red, green, blue in colors:
        data.append((red << 2) | (green >> 2))
        data.append(((green & 3) << 4) | blue)
    return Instruction(31 if high else 30, data)


def encode(schedule: list[tuple[int, Instruction]], total_packets: int, seed: int = 1) -> bytes:
    """Bytes of a stream with each instruction at its packet index; the rest is padding."""
    rng = random.Random(seed)
    by_index = dict(schedule)
    out = bytearray()
    for index in range(total_packets):
        instruction = by_index.get(index)
        if instruction is None:
            command = rng.choice([0, 0, 0, 1, 8, 10, 0x3F])  # zero padding and non-graphics
            packet = [command] + [rng.randrange(64) for _ in range(23)]
        else:
            packet = [9, instruction.code, rng.randrange(256), rng.randrange(256)]
            packet += instruction.data + [rng.randrange(256) for _ in range(4)]
        out += bytes(value | (rng.randrange(4) << 6) for value in packet)
    return bytes(out)


@dataclass
class Reference:
    """The spec sheet, executed naively."""

    screen: list[list[int]] = field(default_factory=lambda: [[0] * W for _ in range(H)])
    palette: list[tuple[int, int, int]] = field(default_factory=lambda: [(0, 0, 0)] * 16)
    h_offset: int = 0
    v_offset: int = 0

    def run(self, instruction: Instruction) -> None:
        code, d = instruction.code, instruction.data
        if code == 1:
            self.screen = [[d[0] & 15] * W for _ in range(H)]
        elif code == 2:
            for y in range(H):
                for x in range(W):
                    if x < 6 or x >= W - 6 or y < 12 or y >= H - 12:
                        self.screen[y][x] = d[0] & 15
        elif code in (6, 38):
            self._tile(d, code == 38)
        elif code in (20, 24):
            self._scroll(d, code == 24)
        elif code in (30, 31):
            base = 8 if code == 31 else 0
            for i in range(8):
                hi, lo = d[2 * i], d[2 * i + 1]
                r, g, b = (hi >> 2) & 15, ((hi & 3) << 2) | ((lo >> 4) & 3), lo & 15
                self.palette[base + i] = (r * 17, g * 17, b * 17)

    def _tile(self, d: list[int], xor: bool) -> None:
        row, column = d[2] & 31, d[3] & 63
        if row >= 18 or column >= 50:
            return
        for line in range(12):
            for px in range(6):
                on = d[4 + line] & (0x20 >> px)
                color = d[1] & 15 if on else d[0] & 15
                y, x = row * 12 + line, column * 6 + px
                self.screen[y][x] = (self.screen[y][x] ^ color) if xor else color

    def _scroll(self, d: list[int], copy: bool) -> None:
        h_cmd, v_cmd = (d[1] >> 4) & 3, (d[2] >> 4) & 3
        self.h_offset, self.v_offset = min(d[1] & 7, 5), min(d[2] & 15, 11)
        dx = 6 if h_cmd == 1 else -6 if h_cmd == 2 else 0
        dy = 12 if v_cmd == 1 else -12 if v_cmd == 2 else 0
        old = self.screen
        new = [[0] * W for _ in range(H)]
        for y in range(H):
            for x in range(W):
                sx, sy = x - dx, y - dy
                if copy:
                    new[y][x] = old[sy % H][sx % W]
                elif 0 <= sx < W and 0 <= sy < H:
                    new[y][x] = old[sy][sx]
                else:
                    new[y][x] = d[0] & 15
        self.screen = new

    def pixels(self) -> bytes:
        return bytes(value for row in self.screen for value in row)

    def palette_bytes(self) -> bytes:
        return bytes(channel for rgb in self.palette for channel in rgb)

    def viewport(self) -> bytes:
        rows = self.screen[12 + self.v_offset : 12 + self.v_offset + 192]
        return bytes(v for row in rows for v in row[6 + self.h_offset : 6 + self.h_offset + 288])


def random_instruction(rng: random.Random) -> Instruction:
    """Any instruction with random fields, occasionally out of range (rows/columns)."""
    kind = rng.choice(["mem", "border", "tile", "xor", "scroll", "copy", "transp", "lo", "hi"])
    c = rng.randrange(16)
    if kind == "mem":
        return memory_preset(c, rng.randrange(16))
    if kind == "border":
        return border_preset(c)
    if kind in ("tile", "xor"):
        row, column = rng.randrange(20), rng.randrange(52)
        bits = [rng.randrange(64) for _ in range(12)]
        return tile(c, rng.randrange(16), row, column, bits, xor=kind == "xor")
    if kind in ("scroll", "copy"):
        return scroll(
            c,
            rng.randrange(4),
            rng.randrange(8),
            rng.randrange(4),
            rng.randrange(16),
            copy=kind == "copy",
        )
    if kind == "transp":
        return define_transparent([rng.randrange(64) for _ in range(16)])
    colors = [(rng.randrange(16), rng.randrange(16), rng.randrange(16)) for _ in range(8)]
    return load_colors(kind == "hi", colors)
