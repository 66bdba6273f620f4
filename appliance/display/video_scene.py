"""The video scene: a karaoke video's picture (its lyrics are in it) between the lyrics scene's
header and footer, like the CD+G scene.

The picture is the feed's frame at the song time (the engine's position: in step with the sound
at any tempo, after seeks; paused, it holds), as large as fits between the bands at the video's
aspect, on black. Until the first frame is decoded the title card shows::

    rect = draw_video_scene(screen, frame, res)   # frame.video: the song's VideoFeed
"""

from __future__ import annotations

import pygame

from appliance.core.snapshot import PlaybackState
from appliance.display.backdrop import screen_masks
from appliance.display.cdg_picture import picture_area
from appliance.display.cdg_scene import badge
from appliance.display.chrome import draw_footer, draw_header
from appliance.display.frame import Frame, Resources
from appliance.display.lyrics_scene import title_card
from appliance.display.overlays import draw_notices
from appliance.display.theme import BACKGROUND, Theme

BLACK = (0, 0, 0)
WIDTH_STEP, HEIGHT_STEP = 16, 8  # the scaler's fast paths want these multiples


def video_rect(theme: Theme, aspect: float) -> pygame.Rect:
    """Where a picture of ``aspect`` (width / height) goes: centred between the bands, as
    large as fits, its width a multiple of 16 and its height of 8.

    >>> video_rect(Theme.for_size(1920, 1080), 16 / 9).size
    (1360, 768)
    """
    area = picture_area(theme)
    height = min(area.height, int(area.width / max(aspect, 0.1)))
    width = min(area.width, round(height * aspect))
    size = (max(WIDTH_STEP, width // WIDTH_STEP * WIDTH_STEP), max(8, height // 8 * 8))
    rect = pygame.Rect((0, 0), size)
    rect.center = area.center
    return rect


def draw_video_scene(surface: pygame.Surface, frame: Frame, res: Resources) -> pygame.Rect | None:
    """Draw the video scene; return where the picture went (None when the title card showed)."""
    now, feed = frame.snapshot.now, frame.video
    if now is None or feed is None:
        raise ValueError("the video scene needs a song playing and its video")
    theme = res.theme
    rect = video_rect(theme, feed.aspect)
    image = feed.picture_at(frame.lyrics_s, rect.size, frame_masks(surface))
    drawn: pygame.Rect | None = None
    if image is None:
        surface.fill(BACKGROUND)
        title_card(surface, res, now.song.title, now.song.artist, theme.px(0.36))
    else:
        surface.fill(BLACK)
        drawn = surface.blit(image, rect)
    draw_header(surface, frame, res, now)
    if frame.snapshot.state is PlaybackState.PAUSED:
        badge(surface, res, "Paused", picture_area(theme).top + theme.px(0.02))
    draw_footer(surface, frame, res, now, frame.lyrics_s)
    draw_notices(surface, frame, res, during_song=True)
    return drawn


def frame_masks(surface: pygame.Surface) -> tuple[int, int, int, int]:
    """The pixel layout frames should come in: the screen's when 32-bit, else 32-bit RGB."""
    return screen_masks(surface)
