"""The CD+G scene: an MP3+G song's own graphics at 4:3, with the lyrics scene's header and footer.

The picture is the decoder's frame at the song time (the engine's source position, so it stays
in sync at any tempo and after seeks), centred between the header and the up-next bar on the
CD+G border colour. Before the stream draws anything the title card shows instead::

    rect = draw_cdg_scene(screen, frame, res)   # frame.graphics: the song's CdgDecoder
"""

from __future__ import annotations

import pygame

from appliance.core.snapshot import PlaybackState
from appliance.display.cdg_picture import border_color, picture_area, picture_rect
from appliance.display.chrome import draw_footer, draw_header
from appliance.display.frame import Frame, Resources
from appliance.display.lyrics_scene import title_card
from appliance.display.overlays import draw_notices
from appliance.display.theme import ACCENT, BACKGROUND, BAND


def draw_cdg_scene(surface: pygame.Surface, frame: Frame, res: Resources) -> pygame.Rect | None:
    """Draw the CD+G scene; return where the picture went (None when the title card showed)."""
    now, decoder = frame.snapshot.now, frame.graphics
    if now is None or decoder is None:
        raise ValueError("the CD+G scene needs a song playing and its graphics")
    theme = res.theme
    cdg = decoder.frame_at(frame.lyrics_s)
    drawn: pygame.Rect | None = None
    if cdg.version == 0:  # nothing drawn yet: an all-black stream start
        surface.fill(BACKGROUND)
        title_card(surface, res, now.song.title, now.song.artist, res.theme.px(0.36))
    else:
        surface.fill(border_color(cdg))  # the header and footer bands cover their part
        drawn = picture_rect(theme)
        surface.blit(res.cdg.image(cdg, drawn.size), drawn)
    draw_header(surface, frame, res, now)
    if frame.snapshot.state is PlaybackState.PAUSED:
        badge(surface, res, "Paused", picture_area(theme).top + theme.px(0.02))
    draw_footer(surface, frame, res, now, frame.lyrics_s)
    draw_notices(surface, frame, res, during_song=True)
    return drawn


def badge(surface: pygame.Surface, res: Resources, text: str, top: int) -> None:
    """``text`` on a padded band-coloured plate, centred: readable over any picture."""
    theme = res.theme
    ink = res.texts.render(text, theme.px(0.07), ACCENT, BAND)
    pad = theme.px(0.015)
    plate = ink.get_rect(midtop=(theme.width // 2, top)).inflate(4 * pad, 2 * pad)
    plate.top = top
    surface.fill(BAND, plate)
    surface.blit(ink, ink.get_rect(center=plate.center))
