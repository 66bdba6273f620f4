"""``karaoke doctor`` checks for the TV: a video driver that can open a screen, and the fonts.

>>> [check.name for check in checks(DisplayConfig())][:2]
['display', 'fonts']
"""

from __future__ import annotations

import os

from appliance.core.health import FAIL, OK, WARN, Check
from appliance.display.fonts import CJK, EMOJI, PRIMARY, font_paths
from appliance.display.settings import DisplayConfig

NO_SCREEN = "run `karaoke run --no-display`, or connect HDMI and boot to the console"


def checks(config: DisplayConfig) -> list[Check]:
    """The display's findings."""
    return [_video_check(config), _font_check(config)]


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
