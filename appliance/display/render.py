"""Draw a frame with the scene its state calls for; a scene that fails draws a fallback.

A bug in a scene must never blank the TV for the night or stop the music: the error is logged
(once per kind of failure) and a plain screen with the title and the address is drawn instead::

    scene = render(screen, frame, res)  # 'lyrics', 'cdg', 'video', 'upnext', 'idle', 'score',
                                        # 'fallback'

The singing scenes show the score when the song is scored: note lanes over the lyrics
(``singing_scene.py``), a corner score over CD+G and video pictures; for a few seconds after a
scored song the score screen (``score_scene.py``) comes before the up-next or idle scene.
"""

from __future__ import annotations

import logging

import pygame

from appliance.core.snapshot import PlaybackState
from appliance.display.cdg_scene import draw_cdg_scene
from appliance.display.frame import Frame, Resources
from appliance.display.pin_overlay import draw_pin_overlay
from appliance.display.qr import short_address
from appliance.display.score_scene import draw_score_scene
from appliance.display.singing_scene import draw_corner_score, draw_singing_scene
from appliance.display.theme import BACKGROUND, DIM, TEXT
from appliance.display.video_scene import draw_video_scene
from appliance.display.waiting_scenes import draw_idle_scene, draw_upnext_scene

log = logging.getLogger(__name__)

SCENES = {
    "lyrics": draw_singing_scene,
    "cdg": draw_cdg_scene,
    "video": draw_video_scene,
    "upnext": draw_upnext_scene,
    "idle": draw_idle_scene,
    "score": draw_score_scene,
}
PICTURE_SCENES = ("cdg", "video")  # their picture stays; the score goes in a corner
_logged: set[str] = set()


def scene_for(frame: Frame) -> str:
    """The scene a frame calls for: the forced one, else by playback state.

    A song with CD+G graphics gets the 'cdg' scene once they are loaded; until then, or if
    they could not be read, the lyrics scene (its title card). A video song gets 'video'
    once its picture feed is open. Between songs, a fresh result shows on the score screen.
    """
    if frame.scene:
        return frame.scene
    state = frame.snapshot.state
    if state in (PlaybackState.PLAYING, PlaybackState.PAUSED) and frame.snapshot.now:
        if frame.video is not None:
            return "video"
        return "cdg" if frame.graphics is not None else "lyrics"
    if frame.score.score_screen_on:
        return "score"
    if state is PlaybackState.UP_NEXT:
        return "upnext"
    return "idle"


def render(surface: pygame.Surface, frame: Frame, res: Resources) -> str:
    """Draw ``frame``; return the scene drawn ('fallback' when the scene failed)."""
    name = scene_for(frame)
    try:
        SCENES[name](surface, frame, res)
        if name in PICTURE_SCENES and (frame.score.views or frame.score.no_score):
            draw_corner_score(surface, frame, res)
        if frame.host_pin:
            draw_pin_overlay(surface, frame.host_pin, res)
        return name
    except Exception as error:
        res.failures += 1
        kind = f"{name}:{type(error).__name__}:{error}"
        if kind not in _logged:
            _logged.add(kind)
            log.exception("display scene %r failed; drawing the fallback", name)
        draw_fallback(surface, frame, res)
        return "fallback"


def draw_fallback(surface: pygame.Surface, frame: Frame, res: Resources) -> None:
    """The simplest useful screen: what plays and where to join. Never raises."""
    try:
        surface.fill(BACKGROUND)
        theme, now = res.theme, frame.snapshot.now
        title = now.song.label if now else "Karaoke"
        res.text(
            surface,
            title,
            theme.px(0.07),
            TEXT,
            BACKGROUND,
            (theme.width // 2, theme.height // 3),
            "midtop",
            max_width=theme.width - 2 * theme.margin,
        )
        if frame.public_url:
            res.text(
                surface,
                short_address(frame.public_url),
                theme.header_px,
                DIM,
                BACKGROUND,
                (theme.width // 2, theme.height * 2 // 3),
                "midtop",
            )
    except Exception:
        try:
            surface.fill(BACKGROUND)
        except Exception:
            log.debug("cannot even clear the screen", exc_info=True)
