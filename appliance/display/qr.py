"""QR codes as pygame surfaces: black modules on white with the 4-module quiet zone phones need.

Built with segno, scaled by a whole number of pixels per module so every module stays sharp::

    surface = qr_surface("http://192.168.1.20:8080/", 540)   # at most 540 px square
"""

from __future__ import annotations

from functools import lru_cache

import pygame
import segno

from appliance.display.theme import QR_DARK, QR_LIGHT

QUIET_ZONE = 4


def qr_matrix(payload: str) -> list[list[bool]]:
    """The modules of ``payload``'s QR code (medium error correction), quiet zone included."""
    code = segno.make(payload, error="m", micro=False)
    return [[bool(cell) for cell in row] for row in code.matrix_iter(scale=1, border=QUIET_ZONE)]


@lru_cache(maxsize=16)
def qr_surface(payload: str, max_px: int) -> pygame.Surface:
    """The QR code of ``payload``, as large as fits in ``max_px`` (at least 2 px per module)."""
    matrix = qr_matrix(payload)
    modules = len(matrix)
    small = pygame.Surface((modules, modules))
    small.fill(QR_LIGHT)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                small.set_at((x, y), QR_DARK)
    scale = max(2, max_px // modules)
    return pygame.transform.scale(small, (modules * scale, modules * scale))


def short_address(url: str) -> str:
    """The address as people type it: no scheme, no trailing slash.

    >>> short_address("http://192.168.1.20:8080/")
    '192.168.1.20:8080'
    """
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            url = url[len(scheme) :]
    return url.rstrip("/")
