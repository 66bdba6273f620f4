"""The CD+G picture of an MP3+G song: loaded off the frame loop, converted only when it changes.

``load_cdg`` reads the ``.cdg`` a song names (beside its audio, or ``zip-member:NAME`` inside
its zip) and decodes it once on the calling thread, so later seeks are cheap on the frame loop.
``CdgPicture`` turns the decoder's frame into a screen-ready surface at 4:3, converting only when
the decoder's change counter moves (a palette-only change counts)::

    decoder = load_cdg(song)                    # on a worker thread; SongFormatError if unreadable
    picture = CdgPicture()
    rect = picture_rect(theme)                  # where the picture goes on this screen
    image = picture.image(decoder.frame_at(t), rect.size)
    surface.blit(image, rect)

Scaling: the 288x192 window is shown at 4:3 (its pixels are wider than tall, as on a TV). When
a whole-number vertical scale fills at least 85 % of the space, the picture uses it with
nearest-neighbour scaling (crisp blocks, every pixel exactly a CD+G colour); otherwise it is
smooth-scaled to fill the space.
"""

from __future__ import annotations

import pygame

from appliance.core.errors import SongFormatError
from appliance.core.models import Song
from appliance.display.theme import Color, Theme
from appliance.library.formats.cdg import CdgDecoder
from appliance.library.formats.cdg_screen import (
    PACKET_SIZE,
    VISIBLE_HEIGHT,
    VISIBLE_WIDTH,
    CdgFrame,
)
from appliance.library.formats.mp3g import read_song_file
from appliance.library.formats.songfiles import has_graphics_lyrics

ASPECT = 4 / 3
CRISP_SHARE = 0.85  # a whole-number scale is used when it fills this much of the height
HEADER_SHARE = 0.155  # the header band's height (chrome.draw_header), in layout units
FOOTER_SHARE = 0.11  # the footer band's height (chrome.draw_footer)
GAP_SHARE = 0.012  # space between the bands and the picture


def is_cdg_song(song: Song) -> bool:
    """True when the song's lyrics are CD+G graphics (MP3+G pairs and zips)."""
    return bool(song.lyrics_file) and has_graphics_lyrics(song)


def load_cdg(song: Song) -> CdgDecoder:
    """The song's CD+G stream, decoded once ahead (raises :class:`SongFormatError`).

    Decoding the whole stream here (off the frame loop) leaves saved states every few seconds
    of it, so a seek on the TV later replays a few thousand packets at most.
    """
    data = read_song_file(song.path, song.lyrics_file)
    if len(data) < PACKET_SIZE:
        raise SongFormatError(song.path, "the .cdg file holds no CD+G packets", song.lyrics_file)
    decoder = CdgDecoder(data)
    decoder.frame_at(decoder.duration_s)  # decodes everything once, saving states on the way
    decoder.frame_at(0.0)  # back to the start (restarts from scratch: nothing to replay)
    return decoder


def picture_area(theme: Theme) -> pygame.Rect:
    """The space between the header and the footer bands, less a small gap."""
    gap = theme.px(GAP_SHARE)
    top = theme.px(HEADER_SHARE) + gap
    bottom = theme.height - theme.px(FOOTER_SHARE) - gap
    return pygame.Rect(0, top, theme.width, max(1, bottom - top))


def picture_size(space: tuple[int, int]) -> tuple[tuple[int, int], bool]:
    """((width, height), crisp) of the 4:3 picture in ``space``.

    >>> picture_size((1920, 794))     # 1080p: 4 x 192 rows fills 97 %: crisp
    ((1024, 768), True)
    >>> picture_size((1280, 529))     # 720p: 2 x 192 would fill only 73 %: smooth
    ((705, 529), False)
    """
    width, height = space
    fit_height = min(height, int(width / ASPECT))
    whole = fit_height // VISIBLE_HEIGHT
    if whole >= 1 and whole * VISIBLE_HEIGHT >= CRISP_SHARE * fit_height:
        fit_height = whole * VISIBLE_HEIGHT
        return (round(fit_height * ASPECT), fit_height), True
    return (round(fit_height * ASPECT), fit_height), False


def picture_rect(theme: Theme) -> pygame.Rect:
    """Where the picture goes: centred in :func:`picture_area`."""
    area = picture_area(theme)
    size, _ = picture_size(area.size)
    rect = pygame.Rect((0, 0), size)
    rect.center = area.center
    return rect


def border_color(frame: CdgFrame) -> Color:
    """The colour of the CD+G border (its top-left pixel), for the space around the picture."""
    return frame.rgb(frame.pixels[0])


class CdgPicture:
    """One screen's converted CD+G picture: redone only when the frame or the size changes.

    The decoder hands out the same (immutable) frame object until its change counter moves, or
    a new one after a seek back, so the frame's identity is the cache key.
    """

    def __init__(self) -> None:
        self._size = (0, 0)
        self._frame: CdgFrame | None = None
        self._image: pygame.Surface | None = None
        self.conversions = 0

    def image(self, frame: CdgFrame, size: tuple[int, int]) -> pygame.Surface:
        """The picture of ``frame`` scaled to ``size`` (a surface in the screen's format)."""
        if self._image is None or frame is not self._frame or size != self._size:
            self._image = convert(frame, size)
            self._frame, self._size = frame, size
            self.conversions += 1
        return self._image


def convert(frame: CdgFrame, size: tuple[int, int]) -> pygame.Surface:
    """``frame``'s visible window as an 8-bit surface with its palette, scaled to ``size``."""
    small = pygame.image.frombuffer(frame.viewport(), (VISIBLE_WIDTH, VISIBLE_HEIGHT), "P")
    palette = frame.palette
    small.set_palette([tuple(palette[i : i + 3]) for i in range(0, 48, 3)])
    if size[1] % VISIBLE_HEIGHT == 0:  # whole-number scale: crisp blocks
        scaled = pygame.transform.scale(small, size)
    else:
        scaled = pygame.transform.smoothscale(_to_rgb(small), size)
    return _screen_format(scaled)


def _to_rgb(surface: pygame.Surface) -> pygame.Surface:
    rgb = pygame.Surface(surface.get_size(), depth=32)
    rgb.blit(surface, (0, 0))
    return rgb


def _screen_format(surface: pygame.Surface) -> pygame.Surface:
    """In the display's pixel format when there is a display (fast blits), else 32-bit."""
    if pygame.display.get_init() and pygame.display.get_surface() is not None:
        return surface.convert()
    return _to_rgb(surface) if surface.get_bitsize() == 8 else surface
