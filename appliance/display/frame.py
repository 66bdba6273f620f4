"""What a scene draws from: one immutable :class:`Frame`, and the caches that make drawing cheap.

Scenes are plain functions ``draw(surface, frame, res)``; everything they show is in the frame
(snapshot, lyrics, song time, address...), so a screenshot, a test and the live loop draw the
same way::

    res = Resources.create(1920, 1080)
    frame = Frame(snapshot=core.snapshot(), lyrics=lyrics, lyrics_s=42.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pygame

from appliance.core.snapshot import Snapshot
from appliance.display.cdg_picture import CdgPicture
from appliance.display.fonts import FontChain
from appliance.display.lane_model import PartMemories
from appliance.display.layout import LineLayout, layout_line
from appliance.display.note_lane import LaneCache
from appliance.display.score_show import ScoreShow
from appliance.display.text import TextCache
from appliance.display.theme import Color, Theme
from appliance.display.video_feed import VideoFeed
from appliance.library.formats.cdg import CdgDecoder
from appliance.library.formats.lyrics import Lyrics

if TYPE_CHECKING:
    from appliance.display.backdrop import Backdrop


@dataclass(frozen=True)
class ShownNotice:
    """A notice as drawn now: ``alpha`` 0..1 follows its fade."""

    text: str
    level: str = "info"
    alpha: float = 1.0


@dataclass(frozen=True)
class Frame:
    """Everything one frame shows.

    ``lyrics_s``: the song time the highlight is drawn at (engine position plus the display's
    offset). ``snapshot_age_s``: how long ago the snapshot was taken (countdowns and ETAs tick
    down from it). ``scene``: '' to follow the playback state, or 'lyrics', 'cdg', 'upnext',
    'idle', 'video'. ``graphics``: the CD+G decoder of the song playing (MP3+G songs), once
    loaded; ``video``: the picture feed of the video song playing; ``backdrop``: the picture
    behind the lyrics (the UltraStar song's video, or one from the host's folder).
    ``host_pin``: the PIN to show over the scene ('' almost always: see ``pin_overlay``).
    ``score``: scoring as the TV shows it (note lanes, the last result, the leaderboard).
    """

    snapshot: Snapshot
    lyrics: Lyrics | None = None
    lyrics_s: float = 0.0
    clock_s: float = 0.0
    snapshot_age_s: float = 0.0
    public_url: str = ""
    wifi_payload: str = ""
    wifi_name: str = ""
    notices: tuple[ShownNotice, ...] = ()
    scene: str = ""
    graphics: CdgDecoder | None = None
    host_pin: str = ""
    video: VideoFeed | None = None
    backdrop: Backdrop | None = None
    score: ScoreShow = field(default_factory=ScoreShow)


class LayoutCache:
    """Layouts of one song's lines for one screen, computed when first shown."""

    def __init__(self, texts: TextCache, theme: Theme) -> None:
        self.texts = texts
        self.theme = theme
        self._lyrics: Lyrics | None = None
        self._layouts: dict[int, LineLayout] = {}

    def line(self, lyrics: Lyrics, index: int) -> LineLayout:
        """The layout of line ``index`` of ``lyrics``."""
        if lyrics is not self._lyrics:
            self._lyrics, self._layouts = lyrics, {}
        layout = self._layouts.get(index)
        if layout is None:
            theme = self.theme
            layout = layout_line(
                lyrics.lines[index],
                self.texts.width,
                max_width=theme.width - 2 * theme.margin,
                size=theme.lyric_px,
                min_size=theme.lyric_min_px,
            )
            self._layouts[index] = layout
        return layout


class Resources:
    """Theme, fonts, text, layout, CD+G picture and note lane caches for one screen size. Make
    once, reuse."""

    def __init__(self, theme: Theme, texts: TextCache) -> None:
        self.theme = theme
        self.texts = texts
        self.layouts = LayoutCache(texts, theme)
        self.cdg = CdgPicture()
        self.lanes = LaneCache()
        self.pitch = PartMemories()
        self.failures = 0

    @classmethod
    def create(cls, width: int, height: int, font: str = "") -> Resources:
        """Resources for a ``width`` x ``height`` screen (pygame.font must be initialised)."""
        if not pygame.font.get_init():
            pygame.font.init()
        return cls(Theme.for_size(width, height), TextCache(FontChain.find(font)))

    def text(  # noqa: PLR0917 (drawing call, read like blit)
        self,
        surface: pygame.Surface,
        text: str,
        size: int,
        color: Color,
        bg: Color | None,
        pos: tuple[int, int],
        anchor: str = "topleft",
        max_width: int | None = None,
        *,
        outline: bool = False,
    ) -> pygame.Rect:
        """Draw cached ``text`` with its ``anchor`` ('topleft', 'midtop'...) at ``pos``
        (``outline``: ringed in dark, for text over a picture)."""
        rendered = self.texts.render(text, size, color, bg, max_width=max_width, outline=outline)
        rect = rendered.get_rect(**{anchor: pos})
        surface.blit(rendered, rect)
        return rect
