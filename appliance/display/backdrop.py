"""Pictures behind the lyrics: an UltraStar song's own video (``#VIDEO`` at ``#VIDEOGAP``) or
picture, else one from the host's background folder (``[display] backgrounds``).

The picture fills the space between the header and the footer, scaled to cover it (centred,
the overflow cut), dimmed to ``DIM`` of its brightness so the lyrics (drawn with an outline
over it) stay legible. A video is decoded by a :class:`VideoFeed` (its own thread, frames
scaled, converted and dimmed there), at the song time + the gap, so it follows the engine at
any tempo and after seeks; a picture is scaled and dimmed once, when it is opened (the
display's refresh thread). The frame loop only blits::

    backdrop = open_backdrop(SongBackdrop("/usb/x.mp4", True, gap_s=-1.5), layout)
    drawn = draw_backdrop(screen, frame, res)   # the area filled, or None (plain background)
    folder = BackdropFolder("/media/usb/backgrounds")
    folder.pick(turn=7)   # the same turn always gets the same file; the next turn the next one
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Protocol

import pygame

from appliance.core.errors import SongFormatError
from appliance.display.frame import Frame, Resources
from appliance.display.theme import Theme
from appliance.display.video_feed import DEFAULT_MASKS, Masks, VideoFeed
from appliance.library.formats.audioprobe import VIDEO_EXTENSIONS
from appliance.library.formats.songfiles import PICTURE_EXTENSIONS, SongBackdrop

log = logging.getLogger(__name__)

DIM = 0.5  # the brightness a background keeps (white becomes 128: the lyrics are outlined)
DIM_COLOR = (round(255 * DIM),) * 3
HEADER, FOOTER = 0.155, 0.11  # the bands' heights (chrome.py), fractions of the layout unit
WIDTH_STEP, HEIGHT_STEP = 16, 8  # the scaler's fast paths (video_scene.py)
MAX_FILES = 2000  # a folder's files looked at


@dataclass(frozen=True)
class Layout:
    """Where backdrops go on one screen: the area's size and the screen's pixel layout."""

    size: tuple[int, int]
    masks: Masks = DEFAULT_MASKS


def backdrop_area(theme: Theme) -> pygame.Rect:
    """The space between the header and the footer.

    >>> backdrop_area(Theme.for_size(1920, 1080))
    Rect(0, 167, 1920, 794)
    """
    top = theme.px(HEADER)
    return pygame.Rect(0, top, theme.width, theme.height - theme.px(FOOTER) - top)


def cover_size(aspect: float, size: tuple[int, int]) -> tuple[int, int]:
    """The smallest picture of ``aspect`` covering ``size`` (width a multiple of 16, height of 8).

    >>> cover_size(16 / 9, (1920, 794)), cover_size(4 / 3, (1920, 794))
    ((1920, 1080), (1920, 1440))
    """
    width, height = size
    if width / max(1, height) < aspect:
        width = round(height * aspect)
    else:
        height = round(width / max(aspect, 0.01))
    return (-(-width // WIDTH_STEP) * WIDTH_STEP, -(-height // HEIGHT_STEP) * HEIGHT_STEP)


def crop(image: pygame.Surface, size: tuple[int, int]) -> pygame.Rect:
    """The part of ``image`` (a covering picture) shown in an area of ``size``: its centre."""
    rect = pygame.Rect((0, 0), size)
    rect.center = image.get_rect().center
    return rect


def dim(surface: pygame.Surface) -> None:
    """Darken ``surface`` to ``DIM`` of its brightness, in place."""
    surface.fill(DIM_COLOR, special_flags=pygame.BLEND_MULT)


class Backdrop(Protocol):
    """A picture behind the lyrics."""

    @property
    def has_picture(self) -> bool: ...

    def image_at(self, t: float, layout: Layout) -> pygame.Surface | None: ...

    def close(self) -> None: ...


class VideoBackdrop:
    """A video behind the lyrics: frame at song time + ``gap_s`` (before its start, the first)."""

    def __init__(self, path: str, gap_s: float = 0.0) -> None:
        self.feed = VideoFeed(path, finish=dim)  # SongFormatError when it cannot be opened
        self.gap_s = gap_s

    @property
    def has_picture(self) -> bool:
        """True once a frame was handed out."""
        return self.feed.has_picture

    def video_s(self, t: float) -> float:
        """The video's time at song time ``t``."""
        return max(0.0, t + self.gap_s)

    def cover(self, layout: Layout) -> tuple[int, int]:
        """The size frames are decoded at: covering the area."""
        return cover_size(self.feed.aspect, layout.size)

    def image_at(self, t: float, layout: Layout) -> pygame.Surface | None:
        """The dimmed frame at song time ``t``, covering ``layout.size``; None until decoded."""
        return self.feed.picture_at(self.video_s(t), self.cover(layout), layout.masks)

    def close(self) -> None:
        """Stop the decoder thread."""
        self.feed.close()


class PictureBackdrop:
    """A still picture behind the lyrics, scaled to cover and dimmed once per layout."""

    def __init__(self, path: str, layout: Layout | None = None) -> None:
        try:
            self.source = pygame.image.load(path)
        except (pygame.error, OSError, ValueError) as error:
            raise SongFormatError(path, f"the picture cannot be read ({error})") from None
        self.path = path
        self._ready: tuple[Layout, pygame.Surface] | None = None
        if layout is not None:
            self.image_at(0.0, layout)

    @property
    def has_picture(self) -> bool:
        """Always: the picture was read when opened."""
        return True

    def image_at(self, t: float, layout: Layout) -> pygame.Surface:
        """The picture covering ``layout.size``, dimmed, in the screen's pixel layout."""
        if self._ready is None or self._ready[0] != layout:
            width, height = self.source.get_size()
            size = cover_size(width / max(1, height), layout.size)
            scaled = pygame.transform.smoothscale(self.source.convert(32, 0), size)
            image = pygame.Surface(layout.size, 0, 32, layout.masks)
            image.blit(scaled, (0, 0), crop(scaled, layout.size))
            dim(image)
            self._ready = (layout, image)
        return self._ready[1]

    def close(self) -> None:
        """Nothing to stop."""


def open_backdrop(source: SongBackdrop, layout: Layout | None = None) -> Backdrop:
    """The backdrop of ``source``; SongFormatError when it cannot be read."""
    if source.is_video:
        return VideoBackdrop(source.path, source.gap_s)
    return PictureBackdrop(source.path, layout)


def draw_backdrop(surface: pygame.Surface, frame: Frame, res: Resources) -> pygame.Rect | None:
    """Blit the frame's backdrop between the bands; the area drawn, or None when there is
    none, the host turned the night's ``tv_backgrounds`` off, or it has no picture yet (the
    caller keeps the plain background)."""
    if frame.backdrop is None or not frame.snapshot.settings.tv_backgrounds:
        return None
    area = backdrop_area(res.theme)
    image = frame.backdrop.image_at(frame.lyrics_s, Layout(area.size, screen_masks(surface)))
    if image is None:
        return None
    return surface.blit(image, area, crop(image, area.size))


def backdrop_shown(frame: Frame) -> bool:
    """True when the frame's backdrop has a picture to draw (text then goes over it)."""
    backdrop = frame.backdrop
    return backdrop is not None and backdrop.has_picture and frame.snapshot.settings.tv_backgrounds


def screen_masks(surface: pygame.Surface) -> Masks:
    """The pixel layout backdrops should come in: the screen's when 32-bit."""
    if surface.get_bitsize() == 32:
        red, green, blue, _ = surface.get_masks()
        return red, green, blue, 0
    return DEFAULT_MASKS


class BackdropFolder:
    """The host's folder of background videos and pictures, in name order; listed again when
    the folder changes."""

    def __init__(self, folder: str) -> None:
        self.folder = os.path.expanduser(folder) if folder else ""
        self._listed: tuple[float, list[str]] | None = None

    def files(self) -> list[str]:
        """The folder's videos and pictures (absolute paths, sorted by name)."""
        if not self.folder:
            return []
        try:
            changed = os.stat(self.folder).st_mtime
            if self._listed is None or self._listed[0] != changed:
                names = sorted(os.listdir(self.folder), key=str.casefold)[:MAX_FILES]
                kept = [os.path.join(self.folder, name) for name in names if is_backdrop(name)]
                self._listed = (changed, [path for path in kept if os.path.isfile(path)])
        except OSError as error:
            log.warning("background folder %s: %s", self.folder, error)
            return []
        return self._listed[1]

    def pick(self, turn: int, skip: int = 0) -> SongBackdrop | None:
        """The file for ``turn`` (a queue entry's number: each next song the next file),
        ``skip`` files further on (after unreadable ones)."""
        files = self.files()
        if not files:
            return None
        path = files[(turn + skip) % len(files)]
        return SongBackdrop(path, path.lower().endswith(VIDEO_EXTENSIONS))


def is_backdrop(name: str) -> bool:
    """True for the videos and pictures a background folder may hold (not hidden files)."""
    lower = name.lower()
    return not name.startswith(".") and lower.endswith(VIDEO_EXTENSIONS + PICTURE_EXTENSIONS)
