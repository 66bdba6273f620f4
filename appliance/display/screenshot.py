"""One scene drawn at a chosen song time, without sound or a screen: for docs, bug reports, tests.

    surface = render_screenshot(song, lyrics, at_s=42.0, size=(1920, 1080), scene="lyrics")
    save_screenshot(surface, "grace-42s.png")
    lanes = render_screenshot(song, lyrics, at_s=7.2, score=ScoreShow(views=(view,)))

The snapshot is made up around the song: a singer (``singer``), the song itself as the
next entry on the "Up next" scene, and the remote's address (``public_url``). An MP3+G song's
"lyrics" scene is its CD+G picture (read from the song's files unless ``graphics`` is given);
if its ``.cdg`` cannot be read, the title card shows, as on the TV. A video song's is its
picture at that time (the frame the TV would show), decoded there and then. Other songs are
drawn over their background as the TV draws it: the UltraStar song's own video (at the song
time + ``#VIDEOGAP``) or picture, else the first file of ``backgrounds`` (a folder).
"""

from __future__ import annotations

import logging
import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame

from appliance.core.errors import KaraokeError
from appliance.core.models import EntryId, MixSettings, QueueEntry, Singer, SingerId, Song
from appliance.core.snapshot import NowPlaying, PlaybackState, QueueItem, Snapshot
from appliance.display.backdrop import (
    Backdrop,
    BackdropFolder,
    Layout,
    VideoBackdrop,
    backdrop_area,
    open_backdrop,
    screen_masks,
)
from appliance.display.cdg_picture import is_cdg_song, load_cdg
from appliance.display.frame import Frame, Resources, ShownNotice
from appliance.display.render import SCENES, render
from appliance.display.score_show import ScoreShow
from appliance.display.state import is_video_song
from appliance.display.video_feed import VideoFeed
from appliance.display.video_scene import frame_masks, video_rect
from appliance.library.formats.cdg import CdgDecoder
from appliance.library.formats.lyrics import Lyrics
from appliance.library.formats.songfiles import song_backdrop

log = logging.getLogger(__name__)

STATES = {
    "lyrics": PlaybackState.PLAYING,
    "upnext": PlaybackState.UP_NEXT,
    "idle": PlaybackState.IDLE,
}


def screenshot_snapshot(
    song: Song, at_s: float, scene: str, singer: str = "Singer", settings: MixSettings | None = None
) -> Snapshot:
    """A made-up snapshot showing ``song`` in ``scene``."""
    settings = settings or MixSettings()
    person = Singer(SingerId(1), singer, joined_order=1)
    entry = QueueEntry(EntryId(1), person.singer_id, song.song_id, settings)
    if scene == "lyrics":
        now = NowPlaying(entry, person, song, settings, at_s)
        return Snapshot(version=1, state=PlaybackState.PLAYING, now=now)
    if scene == "upnext":
        item = QueueItem(entry, person, song, eta_s=max(0.0, at_s), locked=True)
        return Snapshot(
            version=1, state=PlaybackState.UP_NEXT, countdown_s=max(0.0, at_s), upcoming=(item,)
        )
    return Snapshot(version=1, state=PlaybackState.IDLE)


def render_screenshot(
    song: Song,
    lyrics: Lyrics,
    *,
    at_s: float,
    size: tuple[int, int] = (1920, 1080),
    scene: str = "lyrics",
    singer: str = "Singer",
    public_url: str = "http://karaoke.local:8080/",
    wifi_payload: str = "",
    graphics: CdgDecoder | None = None,
    score: ScoreShow | None = None,
    backgrounds: str = "",
) -> pygame.Surface:
    """Draw ``scene`` at song time ``at_s`` (the countdown on "upnext" and "score") on a new
    surface.

    ``scene`` 'lyrics' means the singing scene: the CD+G one for an MP3+G song. ``score``:
    the scoring to show (note lanes with singing views, the result on 'score', the leaderboard
    on 'upnext' and 'idle'). ``backgrounds``: the host's folder of background pictures.
    """
    if scene not in SCENES:
        raise ValueError(f"unknown scene {scene!r}; known: {', '.join(SCENES)}")
    notices: tuple[ShownNotice, ...] = ()
    if scene in ("lyrics", "cdg") and graphics is None and is_cdg_song(song):
        graphics, notices = _try_load_cdg(song)
    if scene == "lyrics" and graphics is not None:
        scene = "cdg"
    elif scene == "cdg" and graphics is None:
        scene = "lyrics"
    pygame.font.init()
    surface = pygame.Surface(size)
    res = Resources.create(*size)
    video = None
    if scene in ("lyrics", "video") and is_video_song(song):
        video, notices = _try_open_video(song, at_s, res, surface)
        scene = "video" if video is not None else "lyrics"
    backdrop = None
    if scene == "lyrics":
        layout = Layout(backdrop_area(res.theme).size, screen_masks(surface))
        backdrop = _try_open_backdrop(song, at_s, layout, backgrounds)
    shown = {"cdg": "lyrics", "video": "lyrics", "score": "upnext"}.get(scene, scene)
    frame = Frame(
        snapshot=screenshot_snapshot(song, at_s, shown, singer),
        lyrics=lyrics,
        lyrics_s=at_s,
        public_url=public_url,
        wifi_payload=wifi_payload,
        scene=scene,
        graphics=graphics,
        notices=notices,
        video=video,
        backdrop=backdrop,
        score=score or ScoreShow(),
    )
    try:
        render(surface, frame, res)
    finally:
        for feed in (video, backdrop):
            if feed is not None:
                feed.close()
    return surface


def _try_open_backdrop(song: Song, at_s: float, layout: Layout, folder: str) -> Backdrop | None:
    """The song's background (its own, else the folder's first) with the picture at ``at_s``
    ready; None when there is none or it cannot be read (logged: the plain background)."""
    try:
        source = song_backdrop(song) or BackdropFolder(folder).pick(turn=0)
        if source is None:
            return None
        backdrop = open_backdrop(source, layout)
    except Exception as error:
        log.warning("background of %s: %s", song.label, error)
        return None
    if isinstance(backdrop, VideoBackdrop):
        size = backdrop.cover(layout)
        backdrop.feed.picture_when_ready(backdrop.video_s(at_s), size, layout.masks)
    return backdrop


def _try_open_video(
    song: Song, at_s: float, res: Resources, surface: pygame.Surface
) -> tuple[VideoFeed | None, tuple[ShownNotice, ...]]:
    """The song's picture feed with the frame at ``at_s`` decoded, or None and the notice."""
    try:
        feed = VideoFeed(song.path)
    except KaraokeError as error:
        log.warning("video of %s: %s", song.label, error)
        return None, (ShownNotice(f"The picture of {song.title} could not be read", "warn"),)
    feed.picture_when_ready(at_s, video_rect(res.theme, feed.aspect).size, frame_masks(surface))
    return feed, ()


def _try_load_cdg(song: Song) -> tuple[CdgDecoder | None, tuple[ShownNotice, ...]]:
    """The decoder, or None and the notice the TV shows when the .cdg cannot be read."""
    try:
        return load_cdg(song), ()
    except KaraokeError as error:
        log.warning("CD+G graphics of %s: %s", song.label, error)
        return None, (ShownNotice(f"The graphics of {song.title} could not be read", "warn"),)


def save_screenshot(surface: pygame.Surface, path: str) -> str:
    """Save as PNG (folders made as needed); return the path."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    pygame.image.save(surface, path)
    return path
