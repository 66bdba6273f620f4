"""``karaoke doctor`` checks for the TV: a video driver that can open a screen, the fonts, and
the background folder's files (each picture read, each video's first frame decoded).

>>> [check.name for check in checks(DisplayConfig())]
['display', 'fonts']
"""

from __future__ import annotations

import os

from appliance.core.health import FAIL, OK, WARN, Check
from appliance.display.fonts import CJK, EMOJI, PRIMARY, font_paths
from appliance.display.settings import DisplayConfig

CHECKED_FILES = 100  # background files opened by the doctor at most
NO_SCREEN = "run `karaoke run --no-display`, or connect HDMI and boot to the console"


def checks(config: DisplayConfig) -> list[Check]:
    """The display's findings."""
    found = [_video_check(config), _font_check(config)]
    if config.backgrounds:
        found.append(backgrounds_check(config.backgrounds))
    return found


def backgrounds_check(folder: str) -> Check:
    """Whether the background folder's videos and pictures can be shown (names the others)."""
    from appliance.display.backdrop import BackdropFolder

    backdrops = BackdropFolder(folder)
    if not os.path.isdir(backdrops.folder):
        return Check(
            "backgrounds",
            WARN,
            f"background folder {folder} not found: songs without their own get none",
            fix="fix [display] backgrounds, or leave it empty",
        )
    files = backdrops.files()
    if not files:
        return Check("backgrounds", WARN, f"no videos or pictures in {folder}")
    bad = [
        f"{os.path.basename(path)} ({problem})"
        for path in files[:CHECKED_FILES]
        if (problem := backdrop_problem(path))
    ]
    if bad:
        return Check(
            "backgrounds",
            WARN,
            f"{len(bad)} of {len(files)} files cannot be shown (skipped): {'; '.join(bad[:5])}",
            fix="replace or remove them",
        )
    return Check("backgrounds", OK, f"{len(files)} videos and pictures in {folder}")


def backdrop_problem(path: str) -> str:
    """Why a background file cannot be shown ('' when it can): a picture that does not load,
    a video that does not open or whose first frame does not decode."""
    from appliance.library.formats.audioprobe import VIDEO_EXTENSIONS

    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    if not path.lower().endswith(VIDEO_EXTENSIONS):
        try:
            pygame.image.load(path)
        except (pygame.error, OSError, ValueError) as error:
            return f"unreadable picture: {error}"
        return ""
    from appliance.core.errors import SongFormatError
    from appliance.display.video_decoder import VideoSource

    try:
        source = VideoSource(path)
    except SongFormatError as error:
        return error.reason
    try:
        return "" if source.next_frame() is not None else "no picture can be decoded"
    finally:
        source.close()


def _video_check(config: DisplayConfig) -> Check:
    if not config.enabled:
        return Check("display", OK, "disabled in the configuration (headless box)")
    try:
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame
    except ImportError as error:
        return Check("display", FAIL, f"pygame is missing ({error})", fix="pip install pygame-ce")
    try:
        pygame.display.init()
        driver = pygame.display.get_driver()
        modes = pygame.display.list_modes()
    except pygame.error as error:
        return Check("display", WARN, f"no screen can be opened: {error}", fix=NO_SCREEN)
    finally:
        pygame.display.quit()
    if driver in ("dummy", "offscreen"):
        forced = os.environ.get("SDL_VIDEODRIVER")
        fix = "unset SDL_VIDEODRIVER" if forced else "connect a screen (HDMI): " + NO_SCREEN
        return Check("display", WARN, f"SDL video driver is {driver!r}: nothing is shown", fix=fix)
    best = f"{modes[0][0]}x{modes[0][1]}" if modes and modes != -1 else "any size"
    return Check("display", OK, f"SDL video driver {driver!r}, {best}")


def _font_check(config: DisplayConfig) -> Check:
    paths = font_paths(config.font)
    if config.font and config.font not in paths:
        return Check(
            "fonts",
            WARN,
            f"configured font {config.font} not found",
            fix="fix [display] font, or leave it empty for Noto",
        )
    missing = [
        name
        for name, group in (("Noto Sans", PRIMARY), ("Noto Sans CJK", CJK))
        if not any(path in paths for path in group)
    ]
    if not any(os.path.isfile(path) for path in EMOJI):
        missing.append("Noto Color Emoji")
    if missing:
        return Check(
            "fonts",
            WARN,
            f"{', '.join(missing)} not installed: some lyrics or names show boxes",
            fix="sudo apt install fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji",
        )
    detail = f"{len(paths)} font files for Latin, Cyrillic, Greek, CJK and more, and emoji"
    return Check("fonts", OK, detail)
