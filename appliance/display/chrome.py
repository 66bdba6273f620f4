"""Around the lyrics: title, artist, singer, key/tempo badges, times, who is next (notices, the
mute sign and the corner QR code: :mod:`appliance.display.overlays`)."""

from __future__ import annotations

import pygame

from appliance.core.models import MixSettings
from appliance.core.snapshot import NowPlaying, QueueItem
from appliance.display.frame import Frame, Resources
from appliance.display.theme import ACCENT, BAND, DIM, TEXT

TRACK = (50, 56, 96)


def mix_badges(settings: MixSettings) -> list[str]:
    """What differs from the original: ['Key +2', 'Tempo 80%', 'Guide off'].

    >>> mix_badges(MixSettings(key_semitones=-1, tempo_ratio=0.8, guide_level=0.0))
    ['Key -1', 'Tempo 80%', 'Guide off']
    """
    badges = []
    if settings.key_semitones:
        badges.append(f"Key {settings.key_semitones:+d}")
    if abs(settings.tempo_ratio - 1.0) > 1e-6:
        badges.append(f"Tempo {round(settings.tempo_ratio * 100)}%")
    if settings.guide_level <= 0.0:
        badges.append("Guide off")
    return badges


def clock_text(seconds: float) -> str:
    """'m:ss' (or 'h:mm:ss').

    >>> clock_text(62.4), clock_text(3725)
    ('1:02', '1:02:05')
    """
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def eta_text(seconds: float) -> str:
    """How long until someone sings, as a guest reads it: 'next', 'in 3 min', 'in 1 h 05'.

    >>> eta_text(20), eta_text(185), eta_text(3900)
    ('next', 'in 3 min', 'in 1 h 05')
    """
    if seconds < 60:
        return "next"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"in {minutes} min"
    return f"in {minutes // 60} h {minutes % 60:02d}"


def draw_header(surface: pygame.Surface, frame: Frame, res: Resources, now: NowPlaying) -> None:
    """Title and artist on the left; the singer and what differs from the original on the right."""
    theme, width = res.theme, res.theme.width
    height = theme.px(0.155)
    surface.fill(BAND, (0, 0, width, height))
    top = theme.px(0.018)
    right = width - theme.margin
    name_rect = res.text(
        surface,
        now.singer.name,
        theme.name_px,
        ACCENT,
        BAND,
        (right, top),
        "topright",
        max_width=int(width * 0.34),
    )
    badges = "   ".join(mix_badges(now.settings))
    if badges:
        res.text(surface, badges, theme.small_px, TEXT, BAND, (right, name_rect.bottom), "topright")
    left_width = name_rect.left - theme.margin - theme.px(0.04)
    res.text(
        surface,
        now.song.title,
        theme.header_px,
        TEXT,
        BAND,
        (theme.margin, top),
        max_width=max(50, left_width),
    )
    if now.song.artist:
        res.text(
            surface,
            now.song.artist,
            theme.small_px,
            DIM,
            BAND,
            (theme.margin, top + res.texts.line_height(theme.header_px)),
            max_width=max(50, left_width),
        )


def draw_footer(
    surface: pygame.Surface, frame: Frame, res: Resources, now: NowPlaying, position_s: float
) -> None:
    """Elapsed and remaining time (wall seconds at the tempo), a progress bar, and who is next."""
    theme = res.theme
    top = theme.height - theme.px(0.11)
    surface.fill(BAND, (0, top, theme.width, theme.height - top))
    tempo = now.settings.tempo_ratio or 1.0
    duration = max(now.song.duration_s, 0.001)
    shown = min(max(position_s, 0.0), duration)
    times = f"{clock_text(shown / tempo)}  /  -{clock_text((duration - shown) / tempo)}"
    row_y = top + theme.px(0.014)
    times_rect = res.text(surface, times, theme.small_px, TEXT, BAND, (theme.margin, row_y))
    nxt = frame.snapshot.up_next
    if nxt is not None:
        left = times_rect.right + theme.px(0.06)
        res.text(
            surface,
            f"Next: {nxt.singer.name}  ·  {nxt.song.title}",
            theme.small_px,
            DIM,
            BAND,
            (theme.width - theme.margin, row_y),
            "topright",
            max_width=theme.width - theme.margin - left,
        )
    bar = pygame.Rect(
        theme.margin, theme.height - theme.px(0.03), theme.width - 2 * theme.margin, theme.px(0.009)
    )
    surface.fill(TRACK, bar)
    surface.fill(ACCENT, (bar.x, bar.y, round(bar.width * shown / duration), bar.height))


def upcoming_rows(frame: Frame, first: int, count: int) -> list[tuple[QueueItem, str]]:
    """Upcoming entries ``first``.. with their ETA text, counted down since the snapshot."""
    items = frame.snapshot.upcoming[first : first + count]
    return [(item, eta_text(item.eta_s - frame.snapshot_age_s)) for item in items]
