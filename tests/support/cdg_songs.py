"""MP3+G songs for the display's tests: a CD+G stream made with tests/support/cdg_gen.py (every
instruction, every time known) next to a tiny WAV, loose or inside a zip.

The stream (5 s, 300 packets a second):

- 0.00 s  palettes, memory preset (with repeats), border preset, a 10x6-tile red block over
          the middle of the screen, an XOR tile, define transparent, scroll copy (right and
          down) and scroll preset (left and up) with offsets h 2, v 3: the block stays over the
          centre of the visible window.
- 2.00 s  a palette-only change: colour 2 (the block) turns from red to green.
- 3.00 s  tiles repaint the middle of the block with colour 3 (yellow).
"""

from __future__ import annotations

from pathlib import Path

from appliance.core.models import Song
from appliance.library.formats.mp3g import read_mp3g_pair, read_mp3g_zip
from tests.support import cdg_gen
from tests.support import mp3g_songs as fixtures

SECONDS = 5.0
PALETTE_CHANGE_S = 2.0
REPAINT_S = 3.0
NAVY, WHITE, RED, YELLOW = (1, 1, 4), (15, 15, 15), (14, 2, 2), (15, 13, 0)
GREEN = (2, 12, 4)
TEAL = (0, 6, 7)
LOW = [NAVY, WHITE, RED, YELLOW, TEAL, (8, 8, 8), (4, 4, 12), (12, 4, 12)]
HIGH = [(n, n, n) for n in range(0, 16, 2)]
SOLID = [0x3F] * 12
STRIPES = [0x3F, 0] * 6
# rgb of palette entries as the decoder gives them (4-bit x 17)
NAMED = {"navy": NAVY, "red": RED, "green": GREEN, "yellow": YELLOW, "teal": TEAL}
RGB = {name: tuple(c * 17 for c in value) for name, value in NAMED.items()}


def schedule() -> list[tuple[int, object]]:
    """(packet index, instruction) of the whole stream."""
    g = cdg_gen
    steps = [
        g.load_colors(False, LOW),
        g.load_colors(True, HIGH),
        g.memory_preset(0, 0),
        g.memory_preset(0, 1),  # a repeat: changes nothing
        g.border_preset(4),
    ]
    steps += [g.tile(0, 2, row, column, SOLID) for row in range(6, 12) for column in range(20, 30)]
    steps += [
        g.tile(0, 1, 2, 3, STRIPES),  # white stripes near the top left
        g.tile(0, 3, 2, 3, SOLID, xor=True),  # XOR with 3: white rows turn red, navy rows yellow
        g.define_transparent([0] * 16),
        g.scroll(0, 1, 2, 1, 3, copy=True),  # right 6 px, down 12 px, offsets 2 / 3
        g.scroll(0, 2, 2, 2, 3),  # back left and up (preset fills with colour 0)
    ]
    timed = [(10 + 2 * n, step) for n, step in enumerate(steps)]
    timed.append((round(PALETTE_CHANGE_S * 300), g.load_colors(False, [*LOW[:2], GREEN, *LOW[3:]])))
    repaint = round(REPAINT_S * 300)
    timed += [
        (repaint + n, g.tile(3, 3, row, column, SOLID))
        for n, (row, column) in enumerate((r, c) for r in range(8, 10) for c in range(24, 26))
    ]
    return timed


def cdg_stream() -> bytes:
    """The stream's bytes (with padding packets of other commands, random high bits)."""
    return cdg_gen.encode(schedule(), total_packets=int(SECONDS * 300), seed=7)


def mp3g_pair(folder: Path, name: str = "Test Band - Blue Tiles") -> Song:
    """A loose pair ``NAME.wav`` + ``NAME.cdg`` in ``folder``, read by the library's reader."""
    folder.mkdir(parents=True, exist_ok=True)
    audio, cdg = folder / f"{name}.wav", folder / f"{name}.cdg"
    audio.write_bytes(fixtures.wav_bytes(SECONDS))
    cdg.write_bytes(cdg_stream())
    return read_mp3g_pair(str(audio), str(cdg), str(folder))


def mp3g_zip(
    folder: Path, name: str = "Test Band - Zipped Tiles", cdg: bytes | None = None
) -> Song:
    """A zip holding ``inner/NAME.mp3`` and ``inner/NAME.cdg`` (deflated), read by the library."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.zip"
    members = {
        f"inner/{name}.mp3": fixtures.mp3_bytes(SECONDS),
        f"inner/{name}.cdg": cdg_stream() if cdg is None else cdg,
    }
    path.write_bytes(fixtures.zip_bytes(members, method=8))
    return read_mp3g_zip(str(path), str(folder))


def lyrics_stream(lines: tuple[str, ...], seconds: float = 20.0, wipe_s: float = 3.0) -> bytes:
    """A song-like stream: lines of text drawn as tiles (white on blue, teal border), then
    each line wiped to yellow left to right with XOR tiles, one tile column after another
    (``wipe_s`` per line), as karaoke discs do. Text comes from pygame's own font."""
    return pages_stream([lines], seconds, wipe_s)


def pages_stream(pages: list[tuple[str, ...]], seconds: float, wipe_s: float) -> bytes:
    """Pages of up to four lines, one after another: each page clears the screen (memory
    preset), draws its lines (one tile per packet) and wipes them (see :func:`lyrics_stream`).
    The stream ends after ``seconds`` (pages that do not fit are left out)."""
    g = cdg_gen
    blue, white, yellow = (1, 2, 7), (15, 15, 15), (15, 13, 0)
    palette = [(0, 0, 0), blue, white, yellow, (0, 6, 7), *HIGH[:3]]
    # palette indices: 1 blue, 2 white, 3 yellow, 4 teal; white ^ 1 = yellow
    timed: list[tuple[int, object]] = [(0, g.load_colors(False, palette))]
    total = int(seconds * 300)
    packet = 2
    for lines in pages:
        page = _page(lines, packet, wipe_s)
        if page[-1][0] >= total:
            break
        timed += page
        packet = page[-1][0] + 30
    unique = dict(timed)
    assert len(unique) == len(timed), "two instructions in one packet"
    return g.encode(sorted(unique.items()), total_packets=total, seed=3)


def _page(lines: tuple[str, ...], packet: int, wipe_s: float) -> list[tuple[int, object]]:
    """The instructions of one page from ``packet`` on, in time order."""
    import pygame

    g = cdg_gen
    timed: list[tuple[int, object]] = [
        (packet, g.memory_preset(1)),
        (packet + 2, g.border_preset(4)),
    ]
    font = pygame.font.Font(None, 30)
    drawn = []
    for number, text in enumerate(lines[:4]):
        ink = font.render(text, False, (255, 255, 255), (0, 0, 0))
        left = max(6, (300 - ink.get_width()) // 2)
        drawn.append(_ink_tiles(ink, left, 2 + number * 4))
    packet += 10
    for tiles in drawn:  # all the text first, one tile per packet
        for (row, column), bits in sorted(tiles.items()):
            timed.append((packet, g.tile(1, 2, row, column, bits)))
            packet += 1
    first_wipe = max(packet, timed[0][0] + 300)
    for number, tiles in enumerate(drawn):  # then the wipes, line after line
        start = first_wipe + round(number * wipe_s * 300)
        ordered = sorted(tiles.items(), key=lambda item: (item[0][1], item[0][0]))
        step = max(1, int(wipe_s * 300) // max(1, len(ordered)))
        for n, ((row, column), bits) in enumerate(ordered):
            timed.append((start + n * step, g.tile(0, 1, row, column, bits, xor=True)))
    return timed


def _ink_tiles(ink, left: int, top_row: int) -> dict[tuple[int, int], list[int]]:
    """Tile bit rows (0x20 = leftmost pixel) of rendered text placed at (left, top_row)."""
    tiles: dict[tuple[int, int], list[int]] = {}
    width, height = ink.get_size()
    for y in range(height):
        for x in range(width):
            if ink.get_at((x, y))[0] < 128:
                continue
            sx, sy = left + x, top_row * 12 + y
            if not (6 <= sx < 294 and 12 <= sy < 204):
                continue
            key = (sy // 12, sx // 6)
            rows = tiles.setdefault(key, [0] * 12)
            rows[sy % 12] |= 0x20 >> (sx % 6)
    return tiles
