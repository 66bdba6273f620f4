"""What sits over a scene: notices, the mute sign and (during songs) a small join QR code.

Each has its own place so none covers what people read (issue 13, point 7)::

    during a song:   header band
                     [Muted]          notice (newest on top)          [QR]
                     ---- lyric rows start below this band ----
                     footer band
    between songs:   ... the scene, its QR codes and address ...
                     [Muted]          notice (newest lowest)

During a song the band between the header and the first lyric row holds them: the mute sign
on the left, notices in the middle (as many as fit, never reaching the lyric rows) and the
join QR code on the right when the night's ``qr_during_songs`` setting is on. Between songs
notices sit at the screen's foot, below the join codes and their address. Notices are drawn
at ``notice_px`` (5% of the screen height: 54 px on 1080p, 36 px on 720p). Every function
returns the rectangles it drew, for the tests.
"""

from __future__ import annotations

import pygame

from appliance.display.frame import Frame, Resources, ShownNotice
from appliance.display.qr import qr_surface, short_address
from appliance.display.theme import ACCENT, ERROR, TEXT, WARN, Theme

NOTICE_BG = {"info": (34, 40, 78), "warn": (90, 58, 10), "error": (100, 24, 24)}
NOTICE_EDGE = {"info": ACCENT, "warn": WARN, "error": ERROR}
MUTE_BG = (60, 20, 20)
NOTICE_WIDTH = 0.56  # of the screen's width, at most
BAND_TOP, BAND_BOTTOM = 0.165, 0.325
"""The band between the header (0.155) and the first lyric row (0.33), in layout units."""


def notice_px(theme: Theme) -> int:
    """Font size of notices."""
    return theme.px(0.05)


def notices_left(theme: Theme) -> int:
    """The leftmost x a notice reaches during a song (the widest toast, centred): the corner
    score keeps left of it."""
    return (theme.width - (int(theme.width * NOTICE_WIDTH) + 2 * theme.px(0.02))) // 2


def draw_notices(
    surface: pygame.Surface, frame: Frame, res: Resources, *, during_song: bool = False
) -> list[pygame.Rect]:
    """Notices, the mute sign and (during a song, if the host wants it) the join QR code."""
    if during_song:
        return _song_overlays(surface, frame, res)
    return _waiting_overlays(surface, frame, res)


def _song_overlays(surface: pygame.Surface, frame: Frame, res: Resources) -> list[pygame.Rect]:
    theme = res.theme
    top, bottom = theme.px(BAND_TOP), theme.px(BAND_BOTTOM)
    drawn: list[pygame.Rect] = []
    if frame.snapshot.muted:
        drawn.append(_blit(surface, mute_sign(res), topleft=(theme.margin, top)))
    if frame.snapshot.settings.qr_during_songs and frame.public_url:
        drawn.append(_corner_qr(surface, res, frame.public_url, top, bottom))
    y = top
    for notice in reversed(frame.notices[-2:]):  # newest first, from the top
        toast = _faded(res, notice)
        rect = toast.get_rect(midtop=(theme.width // 2, y))
        if rect.bottom > bottom:
            break
        drawn.append(_blit(surface, toast, topleft=rect.topleft))
        y = rect.bottom + theme.px(0.01)
    return drawn


def _waiting_overlays(surface: pygame.Surface, frame: Frame, res: Resources) -> list[pygame.Rect]:
    theme = res.theme
    foot = theme.height - theme.px(0.015)
    drawn: list[pygame.Rect] = []
    if frame.snapshot.muted:
        drawn.append(_blit(surface, mute_sign(res), bottomleft=(theme.margin, foot)))
    y = foot
    for notice in reversed(frame.notices[-1:]):  # the newest, at the foot
        toast = _faded(res, notice)
        rect = toast.get_rect(midbottom=(theme.width // 2, y))
        drawn.append(_blit(surface, toast, topleft=rect.topleft))
    return drawn


def _blit(surface: pygame.Surface, image: pygame.Surface, **where: tuple[int, int]) -> pygame.Rect:
    rect = image.get_rect(**where)
    surface.blit(image, rect)
    return rect


def _corner_qr(
    surface: pygame.Surface, res: Resources, url: str, top: int, bottom: int
) -> pygame.Rect:
    """The join QR code at the band's right, its address to its left."""
    theme = res.theme
    code = qr_surface(url, bottom - top)
    rect = _blit(surface, code, topright=(theme.width - theme.margin, top))
    size = theme.px(0.028)
    caption = res.texts.render(short_address(url), size, TEXT, None)
    label = res.texts.render("Scan to sing", size, ACCENT, None)
    right = rect.left - theme.px(0.015)
    surface.blit(label, label.get_rect(bottomright=(right, rect.centery)))
    surface.blit(caption, caption.get_rect(topright=(right, rect.centery)))
    return rect.union(label.get_rect(bottomright=(right, rect.centery)))


_SIGNS: dict[int, pygame.Surface] = {}


def mute_sign(res: Resources) -> pygame.Surface:
    """A speaker with a cross and "Muted", on a dark red pill (shown while the box is muted)."""
    theme = res.theme
    sign = _SIGNS.get(theme.unit)
    if sign is None:
        size = theme.small_px
        text = res.texts.render("Muted", size, TEXT, MUTE_BG)
        icon = text.get_height()
        pad = theme.px(0.012)
        sign = pygame.Surface((icon + text.get_width() + 3 * pad, text.get_height() + pad))
        sign.fill(MUTE_BG)
        pygame.draw.rect(sign, WARN, sign.get_rect(), width=_edge(theme))
        _speaker(sign, pygame.Rect(pad, pad // 2, icon, icon))
        sign.blit(text, (icon + 2 * pad, pad // 2))
        _SIGNS[theme.unit] = sign
    return sign


def _edge(theme: Theme) -> int:
    """Border width: 0.4% of the layout unit (4 px on 1080p), at least 2 px."""
    return max(2, theme.unit // 250)


def _speaker(surface: pygame.Surface, box: pygame.Rect) -> None:
    """A loudspeaker crossed out, drawn in ``box`` (no emoji font needed)."""

    def at(fx: float, fy: float) -> tuple[float, float]:
        return box.x + box.width * fx, box.y + box.height * fy

    body = [at(0.05, 0.38), at(0.25, 0.38), at(0.5, 0.15), at(0.5, 0.85), at(0.25, 0.62),
            at(0.05, 0.62)]  # fmt: skip
    pygame.draw.polygon(surface, TEXT, body)
    line = max(2, box.width // 10)
    pygame.draw.line(surface, WARN, at(0.62, 0.32), at(0.95, 0.68), line)
    pygame.draw.line(surface, WARN, at(0.62, 0.68), at(0.95, 0.32), line)


_TOASTS: dict[tuple[str, str, int], pygame.Surface] = {}


def _faded(res: Resources, notice: ShownNotice) -> pygame.Surface:
    toast = _toast(res, notice)
    toast.set_alpha(round(255 * max(0.0, min(1.0, notice.alpha))))
    return toast


def _toast(res: Resources, notice: ShownNotice) -> pygame.Surface:
    theme = res.theme
    key = (notice.text, notice.level, theme.unit)
    toast = _TOASTS.get(key)
    if toast is None:
        bg = NOTICE_BG.get(notice.level, NOTICE_BG["info"])
        text = res.texts.render(notice.text, notice_px(theme), TEXT, bg,
                                max_width=int(theme.width * NOTICE_WIDTH))  # fmt: skip
        pad = theme.px(0.02)
        toast = pygame.Surface((text.get_width() + 2 * pad, text.get_height() + pad))
        toast.fill(bg)
        edge = NOTICE_EDGE.get(notice.level, ACCENT)
        pygame.draw.rect(toast, edge, toast.get_rect(), width=_edge(theme))
        toast.blit(text, (pad, pad // 2))
        if len(_TOASTS) > 64:
            _TOASTS.clear()
        _TOASTS[key] = toast
    return toast
