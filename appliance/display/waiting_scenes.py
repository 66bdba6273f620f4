"""Between singers ("Up next" with a countdown and the queue) and idle (a big "Scan to sing").

Both show the QR code of the phone remote with its short address, and a Wi-Fi QR code when
the box runs its own hotspot (``frame.wifi_payload``), and the night's leaderboard unless the
host hides it (``leaderboard.py``)::

    draw_upnext_scene(screen, frame, res)
    draw_idle_scene(screen, frame, res)
"""

from __future__ import annotations

import math

import pygame

from appliance.display.chrome import upcoming_rows
from appliance.display.frame import Frame, Resources
from appliance.display.leaderboard import draw_leaderboard
from appliance.display.overlays import draw_notices
from appliance.display.qr import qr_surface, short_address
from appliance.display.theme import ACCENT, BACKGROUND, BAND, DIM, TEXT


def draw_upnext_scene(surface: pygame.Surface, frame: Frame, res: Resources) -> None:
    """Who sings next and when, the singers after them with ETAs, and the QR code to join."""
    theme = res.theme
    surface.fill(BACKGROUND)
    split = int(theme.width * 0.62)
    surface.fill(BAND, (split, 0, theme.width - split, theme.height))
    column = split - 2 * theme.margin
    x = theme.margin
    y = _draw_next_singer(surface, frame, res, (x, theme.px(0.05)), column)
    y = _draw_countdown(surface, frame, res, (x, y + theme.px(0.03)), column)
    board = frame.score.leaderboard
    beside = bool(board) and bool(frame.wifi_payload)  # two codes fill the panel
    y = _draw_queue(surface, frame, res, at=(x, y + theme.px(0.035)), width=column, first=1,
                    count=2 if beside else 5)  # fmt: skip
    if beside:  # the night's best under the queue, above the notices at the foot
        area = pygame.Rect(x, y + theme.px(0.03), column, theme.height - theme.px(0.1) - y)
        draw_leaderboard(surface, res, board, area, bg=BACKGROUND)
    panel = pygame.Rect(split, 0, theme.width - split, theme.height)
    y = _draw_join_panel(surface, frame, res, panel, BAND)
    if board and not beside:  # under the join code
        pad = theme.px(0.04)
        area = pygame.Rect(split + pad, y + theme.px(0.05), panel.width - 2 * pad, 0)
        area.height = theme.height - theme.px(0.1) - area.y
        draw_leaderboard(surface, res, board, area, bg=BAND)
    draw_notices(surface, frame, res)


def _draw_next_singer(
    surface: pygame.Surface, frame: Frame, res: Resources, at: tuple[int, int], column: int
) -> int:
    """ "Up next", the singer, the song and its artist; returns the y below them."""
    theme = res.theme
    (x, y), item = at, frame.snapshot.up_next
    if item is None:
        waiting = "Waiting for the next singer"
        return res.text(
            surface, waiting, theme.px(0.06), TEXT, BACKGROUND, (x, y), max_width=column
        ).bottom
    y = res.text(surface, "Up next", theme.header_px, ACCENT, BACKGROUND, (x, y)).bottom
    lines = [(item.singer.name, theme.px(0.11), TEXT), (item.song.title, theme.px(0.055), TEXT)]
    if item.song.artist:
        lines.append((item.song.artist, theme.header_px, DIM))
    for text, size, color in lines:
        y = res.text(surface, text, size, color, BACKGROUND, (x, y), max_width=column).bottom
    return y


def _draw_countdown(
    surface: pygame.Surface, frame: Frame, res: Resources, at: tuple[int, int], column: int
) -> int:
    """ "Starting in N" while the countdown runs; returns the y below it."""
    theme = res.theme
    x, y = at
    if frame.snapshot.countdown_s is None:
        return y
    left = max(0, math.ceil(frame.snapshot.countdown_s - frame.snapshot_age_s))
    y = res.text(surface, f"Starting in {left}", theme.px(0.065), ACCENT, BACKGROUND, (x, y)).bottom
    hint = "The host can start it now (Start button or Enter)"
    return res.text(surface, hint, theme.small_px, DIM, BACKGROUND, (x, y), max_width=column).bottom


def draw_idle_scene(surface: pygame.Surface, frame: Frame, res: Resources) -> None:
    """A large QR code and "Scan to sing" while nothing is queued (break music plays)."""
    theme = res.theme
    surface.fill(BACKGROUND)
    top = res.text(
        surface,
        "Scan to sing",
        theme.px(0.10),
        ACCENT,
        BACKGROUND,
        (theme.width // 2, theme.px(0.04)),
        "midtop",
    ).bottom
    area = pygame.Rect(0, top + theme.px(0.02), theme.width, theme.height - top - theme.px(0.15))
    codes = _codes_width(frame, res)
    if frame.score.leaderboard and theme.width - theme.margin - codes >= theme.px(0.35):
        board = pygame.Rect(codes, area.y + theme.px(0.04), 0, area.height - theme.px(0.04))
        board.width, area.width = theme.width - theme.margin - codes, codes
        draw_leaderboard(surface, res, frame.score.leaderboard, board, bg=BACKGROUND)
    _draw_join_codes(surface, frame, res, area)
    _draw_idle_hint(surface, frame, res)
    draw_notices(surface, frame, res)


def _codes_width(frame: Frame, res: Resources) -> int:
    """How wide the join codes' area must stay beside a leaderboard: their captions whole."""
    theme = res.theme
    captions = [short_address(frame.public_url) + "2. "]
    if frame.wifi_payload:
        captions.append(f"1. Join the Wi-Fi: {frame.wifi_name}")
    widest = max(res.texts.width(text, theme.header_px) for text in captions) + theme.px(0.06)
    return max(int(theme.width * (0.64 if frame.wifi_payload else 0.55)), widest * len(captions))


def _draw_join_codes(
    surface: pygame.Surface, frame: Frame, res: Resources, area: pygame.Rect
) -> None:
    """The remote's QR code; in hotspot mode the Wi-Fi's first, side by side."""
    theme = res.theme
    if not frame.public_url:
        res.text(
            surface,
            "Starting the phone remote…",
            theme.header_px,
            DIM,
            BACKGROUND,
            area.center,
            "center",
        )
        return
    address = short_address(frame.public_url)
    if not frame.wifi_payload:
        size = area.height - theme.px(0.10)
        _qr_with_caption(surface, res, frame.public_url, address, area=area, size=size)
        return
    half = area.width // 2
    size = min(area.height - theme.px(0.12), int(half * 0.8))
    left = pygame.Rect(area.x, area.y, half, area.height)
    right = pygame.Rect(area.x + half, area.y, half, area.height)
    wifi_caption = f"1. Join the Wi-Fi: {frame.wifi_name}"
    _qr_with_caption(surface, res, frame.wifi_payload, wifi_caption, area=left, size=size)
    _qr_with_caption(surface, res, frame.public_url, "2. " + address, area=right, size=size)


IDLE_HINTS = {
    "fair": "Pick a song on your phone: the queue is fair, everyone gets a turn",
    "fifo": "Pick a song on your phone: songs are sung in the order they are queued",
}
"""What the idle scene says of the queue, by the night's rotation mode."""


def _draw_idle_hint(surface: pygame.Surface, frame: Frame, res: Resources) -> None:
    """How to sing, or who is next when someone queued during the break."""
    theme = res.theme
    hint = IDLE_HINTS.get(frame.snapshot.settings.mode, IDLE_HINTS["fair"])
    rows = upcoming_rows(frame, 0, 1)
    if rows:
        item, eta = rows[0]
        hint = f"Next: {item.singer.name}  ·  {item.song.title}  ({eta})"
    res.text(
        surface,
        hint,
        theme.small_px,
        DIM,
        BACKGROUND,
        (theme.width // 2, theme.height - theme.px(0.05)),
        "midbottom",
        max_width=theme.width - 2 * theme.margin,
    )


def _draw_queue(
    surface: pygame.Surface,
    frame: Frame,
    res: Resources,
    *,
    at: tuple[int, int],
    width: int,
    first: int,
    count: int = 5,
) -> int:
    """The singers after the next one with their ETAs; returns the y below them."""
    theme = res.theme
    rows = upcoming_rows(frame, first, count)
    x, y = at
    if not rows:
        return y
    y = res.text(surface, "Then", theme.small_px, DIM, BACKGROUND, (x, y)).bottom
    size = theme.px(0.038)
    for item, eta in rows:
        eta_rect = res.text(surface, eta, size, DIM, BACKGROUND, (x + width, y), "topright")
        name = res.text(
            surface, item.singer.name, size, TEXT, BACKGROUND, (x, y), max_width=width // 2
        )
        song_left = name.right + theme.px(0.02)
        res.text(
            surface,
            "·  " + item.song.title,
            size,
            DIM,
            BACKGROUND,
            (song_left, y),
            max_width=max(10, eta_rect.left - theme.px(0.02) - song_left),
        )
        y = max(name.bottom, eta_rect.bottom)
    return y


def _draw_join_panel(
    surface: pygame.Surface, frame: Frame, res: Resources, panel: pygame.Rect, bg: tuple
) -> int:
    """ "Scan to sing", the remote's code (and the Wi-Fi's); returns the y below them."""
    theme = res.theme
    y = res.text(
        surface,
        "Scan to sing",
        theme.px(0.06),
        ACCENT,
        bg,
        (panel.centerx, panel.y + theme.px(0.06)),
        "midtop",
    ).bottom
    if not frame.public_url:
        return res.text(
            surface,
            "Starting the phone remote…",
            theme.small_px,
            DIM,
            bg,
            (panel.centerx, y + theme.px(0.05)),
            "midtop",
        ).bottom
    share = 0.30 if frame.wifi_payload else 0.36 if frame.score.leaderboard else 0.46
    size = int(min(panel.width * 0.75, theme.height * share))
    rest = pygame.Rect(panel.x, y + theme.px(0.02), panel.width, size + theme.px(0.08))
    y = _qr_with_caption(
        surface,
        res,
        frame.public_url,
        short_address(frame.public_url),
        area=rest,
        size=size,
        bg=bg,
        top=True,
    )
    if frame.wifi_payload:
        wifi = pygame.Rect(panel.x, y + theme.px(0.03), panel.width, size + theme.px(0.08))
        y = _qr_with_caption(
            surface,
            res,
            frame.wifi_payload,
            f"Wi-Fi: {frame.wifi_name}",
            area=wifi,
            size=size,
            bg=bg,
            top=True,
        )
    return y


def _qr_with_caption(
    surface: pygame.Surface,
    res: Resources,
    payload: str,
    caption: str,
    *,
    area: pygame.Rect,
    size: int,
    bg: tuple = BACKGROUND,
    top: bool = False,
) -> int:
    """A QR code centred in ``area`` (or at its top) with a caption under it; returns the bottom."""
    code = qr_surface(payload, max(64, size))
    top_y = area.y if top else area.centery - size // 2 - res.theme.px(0.03)
    rect = code.get_rect(midtop=(area.centerx, top_y + (size - code.get_height()) // 2))
    surface.blit(code, rect)
    return res.text(
        surface,
        caption,
        res.theme.header_px,
        TEXT,
        bg,
        (area.centerx, rect.bottom + res.theme.px(0.012)),
        "midtop",
        max_width=area.width - res.theme.px(0.04),
    ).bottom
