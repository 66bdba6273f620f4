"""The TV screen as a part of the box: ``run(context, keys)`` owns the main thread until
``context.stop`` is set.

Draws at ``[display] fps`` while lyrics move or notices fade, at ``idle_fps`` otherwise; reads
the engine's position each frame (shared memory: no waiting) and the core's snapshot only
through :class:`DisplayState`; hands key presses to the core's own thread. A failing scene
draws a fallback; a failing screen raises to the composition root, which keeps the music and
the web remote running::

    from appliance.display.part import run
    run(context, keys)   # PartContext[DisplayConfig], KeyControls; returns when context.stop
                         # is set, or the window is closed

What it shows besides the core's snapshot comes from the context: ``public_url`` (the web
part's address) and ``network.wifi_qr`` (the system part's hotspot payload).
"""

from __future__ import annotations

import functools
import logging
import os
import time

import pygame

from appliance.core.actions import perform
from appliance.core.scoring.model import SingingView
from appliance.core.snapshot import PlaybackState, Snapshot
from appliance.display.backdrop import Layout, backdrop_area, screen_masks
from appliance.display.frame import Frame, Resources
from appliance.display.keys import QUIT, action_for, build_keymap
from appliance.display.notices import Notices
from appliance.display.position import PositionTracker
from appliance.display.render import render, scene_for
from appliance.display.score_show import ScoreClock, ScoreShow, score_show_of
from appliance.display.settings import DisplayConfig, KeyControls
from appliance.display.state import DisplayState
from appliance.parts import PartContext

log = logging.getLogger(__name__)

WINDOW_SIZE = (1280, 720)
# Actions whose effect is on screen already, or announced by a core event's notice.
QUIET_ACTIONS = {
    "play_pause", "key_up", "key_down", "key_reset", "tempo_up", "tempo_down", "guide_toggle",
    "volume_up", "volume_down", "mute_toggle",
}  # fmt: skip


DESKTOP_DRIVERS = frozenset({"x11", "wayland", "windows", "cocoa"})
"""SDL video drivers that run under a desktop: Esc or q leaves the box, full screen or not.
On the appliance's console (``kmsdrm``) there is no desktop to go back to, and a keyboard
plugged into the box must not stop the night: the keys do nothing there."""


def run(context: PartContext[DisplayConfig], keys: KeyControls) -> None:
    """Open the screen and draw until ``context.stop`` is set (``karaoke run --windowed``: the
    composition root turns ``[display] fullscreen`` off)."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    pygame.display.init()
    pygame.font.init()
    try:
        windowed = not context.settings.fullscreen
        screen = open_screen(context.settings, windowed)
        on_desktop = pygame.display.get_driver() in DESKTOP_DRIVERS
        DisplayLoop(context, keys, screen, quit_keys=windowed or on_desktop).run()
    finally:
        pygame.display.quit()


def parse_size(text: str) -> tuple[int, int] | None:
    """'1280x720' -> (1280, 720); '' or nonsense -> None.

    >>> parse_size("1920x1080"), parse_size("")
    ((1920, 1080), None)
    """
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        return None
    return (width, height) if width >= 320 and height >= 240 else None


def open_screen(config: DisplayConfig, windowed: bool) -> pygame.Surface:
    """The display surface: full screen at the screen's own size, or a window."""
    size = parse_size(config.size)
    pygame.display.set_caption("Karaoke")
    if config.fullscreen and not windowed:
        screen = pygame.display.set_mode(size or (0, 0), pygame.FULLSCREEN)
        pygame.mouse.set_visible(False)
    else:
        screen = pygame.display.set_mode(size or WINDOW_SIZE)
    log.info("display: %dx%d (%s)", *screen.get_size(), pygame.display.get_driver())
    return screen


def wifi_name(payload: str) -> str:
    r"""The network name in a ``WIFI:`` payload.

    >>> wifi_name("WIFI:T:WPA;S:Bar\\;Karaoke;P:12345678;;")
    'Bar;Karaoke'
    """
    name, index, escaped, found = [], payload.find("S:"), False, False
    if index < 0:
        return ""
    for char in payload[index + 2 :]:
        if escaped:
            name.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ";":
            found = True
            break
        else:
            name.append(char)
    return "".join(name) if found else ""


class DisplayLoop:
    """One screen's frame loop."""

    def __init__(
        self,
        context: PartContext[DisplayConfig],
        keys: KeyControls,
        screen: pygame.Surface,
        *,
        quit_keys: bool,
    ) -> None:
        self.context, self.screen, self.quit_keys = context, screen, quit_keys
        self.config = context.settings
        self.volume_step = keys.volume_step
        self.host_pin = keys.host_pin
        self._shown_pin: str | None = None
        self.res = Resources.create(*screen.get_size(), font=self.config.font)
        self.notices = Notices()
        self.state = DisplayState(context.core, self.notices, backgrounds=self.config.backgrounds)
        area = backdrop_area(self.res.theme)
        self.state.layout = Layout(area.size, screen_masks(screen))
        self.tracker = PositionTracker()
        self.score_clock = ScoreClock()
        self._views_failed = False
        self.keymap = build_keymap(dict(keys.keys))
        self.clock = pygame.time.Clock()
        self._last_beat = 0.0
        self.frames = 0

    def run(self) -> None:
        """Draw frames until the box stops."""
        self.state.start()
        try:
            while not self.context.stop.is_set():
                self.step()
        finally:
            self.state.stop()

    def step(self) -> Frame:
        """Handle input, draw one frame, show it, keep the pace; returns the frame drawn."""
        now = time.monotonic()
        self.handle_input()
        frame = self.frame(now)
        render(self.screen, frame, self.res)
        pygame.display.flip()
        self.frames += 1
        if now - self._last_beat >= 1.0:
            self._last_beat = now
            self.context.beat()
        self.clock.tick(self.fps(frame, now))
        return frame

    def fps(self, frame: Frame, now: float) -> int:
        """Full rate while lyrics move or a notice fades, else the idle rate."""
        moving = frame.snapshot.state is PlaybackState.PLAYING and scene_for(frame) in (
            "lyrics",
            "cdg",
            "video",
        )
        busy = moving or frame.notices or frame.host_pin
        return self.config.fps if busy else self.config.idle_fps

    def frame(self, now: float) -> Frame:
        """What to draw at ``now``."""
        snapshot, age, lyrics, graphics = self.state.current(now)
        wifi = self.context.network.wifi_qr
        return Frame(
            snapshot=snapshot,
            lyrics=lyrics,
            lyrics_s=self.position(snapshot, age, now) + self.config.lyrics_offset_ms / 1000.0,
            clock_s=now,
            snapshot_age_s=age,
            public_url=self.context.public_url,
            wifi_payload=wifi,
            wifi_name=wifi_name(wifi),
            notices=self.notices.shown(now),
            host_pin=self._pin_to_show(now),
            graphics=graphics,
            video=self.state.video(snapshot),
            backdrop=self.state.backdrop(snapshot),
            score=self.score(snapshot, now),
        )

    def score(self, snapshot: Snapshot, now: float) -> ScoreShow:
        """Scoring to draw: the core's singing views while a song is on (the pitch of the
        last seconds: read every frame, lock-free in the core), the rest from the snapshot."""
        views: tuple[SingingView, ...] = ()
        if snapshot.now is not None:
            try:
                views = self.context.core.singing_views()
            except Exception:
                if not self._views_failed:  # once: this runs every frame
                    log.exception("the core's singing views could not be read")
                self._views_failed = True
        return score_show_of(snapshot, views, self.score_clock.age(snapshot.final_score, now))

    def _pin_to_show(self, now: float) -> str:
        """The host PIN while the box's request to show it lasts (read once per request)."""
        if now >= self.state.pin_until_s:
            self._shown_pin = None
            return ""
        if self._shown_pin is None:
            try:
                self._shown_pin = self.host_pin()
            except Exception as error:  # a PIN that cannot be read must not blank the TV
                log.warning("cannot read the host PIN to show it: %s", error)
                self._shown_pin = ""
        return self._shown_pin

    def position(self, snapshot: Snapshot, age: float, now: float) -> float:
        """The engine's position in song seconds, smoothed (the snapshot's when no engine)."""
        current = snapshot.now
        if current is None:
            self.tracker.reset()
            return 0.0
        playing = snapshot.state is PlaybackState.PLAYING
        rate = current.settings.tempo_ratio if playing else 0.0
        try:
            reading = float(self.context.player.position_s())
        except Exception:
            reading = current.position_s + age * rate
        return self.tracker.update(reading, now, rate)

    def handle_input(self) -> None:
        """Window close and key presses (mapped to the shared host actions)."""
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                self.context.stop.set()
            elif event.type == pygame.KEYDOWN:
                action = action_for(self.keymap, pygame.key.name(event.key), event.unicode)
                if action == QUIT:
                    if self.quit_keys:
                        self.context.stop.set()
                    else:
                        log.info("Esc/q ignored on the appliance's console (no desktop)")
                elif action:
                    self.context.core.post(functools.partial(self._perform, action))

    def _perform(self, action: str) -> None:
        """Runs on the core's thread."""
        result = perform(self.context.core, action, volume_step=self.volume_step)
        if not result.ok:
            self.notices.add(result.message, "warn")
        elif action not in QUIET_ACTIONS:
            self.notices.add(result.message)
