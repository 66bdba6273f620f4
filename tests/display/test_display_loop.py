"""The frame loop with a real core: the highlight follows the engine within one frame at tempo 1.0
and 0.8, keys reach the core, events become notices, and the loop stops when the box does."""

from __future__ import annotations

import math
import threading
import time

import pygame
import pytest

from appliance.buttons.settings import ButtonsConfig
from appliance.config import parse_config
from appliance.core.catalog import Catalog
from appliance.core.models import MixSettings, Song, SongId
from appliance.core.ports import SystemClock
from appliance.core.service import Actor, Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.snapshot import PlaybackState
from appliance.core.store import Store
from appliance.display.part import DESKTOP_DRIVERS, DisplayLoop
from appliance.display.position import PositionTracker
from appliance.display.settings import KeyControls
from tests.support.context import FakeBox
from tests.support.waiting import eventually

HOST = Actor.host()
FRAME_S = 1 / 60
BLOCK_S = 1024 / 48000  # how often the engine publishes its position


class BlockEngine:
    """An engine's published position: song seconds, updated once per audio block."""

    def __init__(self, rate: float, start_s: float = 10.0) -> None:
        self.rate, self.start_s, self.t0 = rate, start_s, time.monotonic()

    def true_position(self, now: float) -> float:
        return self.start_s + self.rate * (now - self.t0)

    def position_s(self) -> float:
        blocks = math.floor((time.monotonic() - self.t0) / BLOCK_S)
        return self.start_s + self.rate * blocks * BLOCK_S


KEYS = KeyControls(keys={}, volume_step=ButtonsConfig().volume_step)


def playing_core(tempo: float = 1.0, player: SilentPlayer | None = None) -> Core:
    store = Store.open_memory()
    core = Core(store, player or SilentPlayer(SystemClock(), check_files=False))
    song = Song(SongId("grace"), "Amazing Grace", "John Newton", 120.0, "/nowhere")
    Catalog(store).upsert_songs([(song, "sig")])
    ada = core.join("Ada")
    core.queue_song(HOST, ada.singer_id, "grace", MixSettings(tempo_ratio=tempo))
    core.start_next_now(HOST)
    assert core.snapshot().state is PlaybackState.PLAYING
    return core


@pytest.fixture
def screen():
    return pygame.display.set_mode((640, 360))


def make_loop(screen, core, player, **config) -> tuple[DisplayLoop, FakeBox]:
    text = "\n".join(f"{k} = {v}" for k, v in config.items())
    box = FakeBox(core, player, public_url="http://127.0.0.1:8080/")
    settings = parse_config("[display]\n" + text).display
    loop = DisplayLoop(box.context(settings), KEYS, screen, quit_keys=True)
    loop.state.start()
    loop.state.refresh()
    return loop, box


@pytest.mark.parametrize("tempo", [1.0, 0.8])
def test_the_highlight_follows_the_engine_within_one_frame(tempo, screen):
    engine = BlockEngine(tempo)
    loop, _box = make_loop(screen, playing_core(tempo), engine)
    errors = []
    try:
        started = time.monotonic()
        while time.monotonic() - started < 1.5:
            frame = loop.step()
            error_s = abs(frame.lyrics_s - engine.true_position(frame.clock_s)) / tempo
            if frame.clock_s - started > 0.3:  # after a few blocks have been seen
                errors.append(error_s)
    finally:
        loop.state.stop()
    assert len(errors) > 40  # about 60 frames a second
    assert max(errors) <= FRAME_S, f"worst {max(errors) * 1000:.1f} ms"


@pytest.mark.parametrize("tempo", [1.0, 0.8])
def test_the_tracker_converges_on_block_readings(tempo):
    tracker, rate = PositionTracker(), tempo
    worst = 0.0
    for frame in range(600):
        now = frame * FRAME_S + (0.002 if frame % 3 else -0.001)  # jittery frames
        reading = rate * math.floor(now / BLOCK_S) * BLOCK_S
        shown = tracker.update(reading, now, rate)
        if frame > 10:
            worst = max(worst, abs(shown - rate * now) / rate)
    assert worst <= 0.002


def test_pause_seek_and_a_new_song_are_followed_at_once():
    tracker = PositionTracker()
    for step in range(30):
        tracker.update(5.0 + step * FRAME_S, step * FRAME_S, 1.0)
    assert tracker.update(5.5, 0.6, 0.0) == 5.5  # paused: the reading as it is
    assert tracker.update(40.0, 0.7, 1.0) == 40.0  # seek forward
    assert tracker.update(0.0, 0.8, 1.0) == 0.0  # the next song


def test_the_lyric_offset_moves_the_highlight(screen):
    engine = BlockEngine(1.0)
    loop, _ = make_loop(screen, playing_core(), engine, lyrics_offset_ms=250)
    try:
        frame = loop.step()
    finally:
        loop.state.stop()
    assert frame.lyrics_s - engine.true_position(frame.clock_s) == pytest.approx(0.25, abs=0.03)


def test_keys_reach_the_core_and_changes_come_back_as_notices(screen):
    player = SilentPlayer(SystemClock(), check_files=False)
    core = playing_core(player=player)
    loop, _box = make_loop(screen, core, player)
    try:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_UP, unicode=""))
        loop.step()
        core.tick()  # the core's thread runs the posted action
        assert core.current_settings().key_semitones == 1
        deadline = time.monotonic() + 3
        texts: list[str] = []
        while time.monotonic() < deadline and "Key +1" not in texts:
            texts = [notice.text for notice in loop.step().notices]
        assert "Key +1" in texts
        assert texts.count("Key +1") == 1
    finally:
        loop.state.stop()


def test_a_refused_key_says_why(screen):
    player = SilentPlayer(SystemClock(), check_files=False)
    core = Core(Store.open_memory(), player)
    loop, _ = make_loop(screen, core, player)
    try:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_n, unicode="n"))
        loop.step()
        core.tick()
        assert [n.text for n in loop.step().notices] == ["no song is playing"]
        assert loop.fps(loop.step(), time.monotonic()) == 60  # a notice fades: full rate
    finally:
        loop.state.stop()


def test_idle_draws_slowly_and_quit_stops_the_box_in_a_window(screen):
    player = SilentPlayer(SystemClock(), check_files=False)
    core = Core(Store.open_memory(), player)
    loop, box = make_loop(screen, core, player)
    try:
        frame = loop.step()
        assert loop.fps(frame, time.monotonic()) == loop.config.idle_fps
        assert box.beats == 1
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, unicode=""))
        loop.step()
        assert box.stop.is_set()
    finally:
        loop.state.stop()


def test_quit_keys_leave_a_desktop_but_not_the_appliance_console(screen):
    player = SilentPlayer(SystemClock(), check_files=False)
    box = FakeBox(Core(Store.open_memory(), player), player)
    console = DisplayLoop(box.context(parse_config("").display), KEYS, screen, quit_keys=False)
    console.state.start()
    try:
        for key, char in ((pygame.K_ESCAPE, ""), (pygame.K_q, "q")):
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, unicode=char))
        console.step()
        assert not box.stop.is_set()
    finally:
        console.state.stop()
    assert {"x11", "wayland"} <= DESKTOP_DRIVERS and "kmsdrm" not in DESKTOP_DRIVERS


def test_run_returns_when_the_box_stops(screen):
    core = playing_core()
    loop, box = make_loop(screen, core, BlockEngine(1.0))
    loop.state.stop()
    loop = DisplayLoop(loop.context, KEYS, screen, quit_keys=True)

    def stop_after_five_frames() -> None:
        eventually(lambda: loop.frames >= 5, timeout_s=20.0)
        box.stop.set()

    threading.Thread(target=stop_after_five_frames, daemon=True).start()
    loop.run()  # returns only because the box stopped (a hang is pytest-timeout's)
    assert loop.frames >= 5 and box.stop.is_set()


def test_an_engine_that_fails_to_answer_falls_back_to_the_snapshot(screen):
    class Broken:
        def position_s(self) -> float:
            raise OSError("engine went away")

    loop, _ = make_loop(screen, playing_core(), Broken())
    try:
        frame = loop.step()
    finally:
        loop.state.stop()
    assert 0.0 <= frame.lyrics_s < 5.0


def test_the_host_pin_shows_big_for_a_while_when_the_box_asks(screen, save_screen):
    """A held box button (here the 'p' key, the same action) shows the PIN over the lyrics for
    PIN_SHOWN_S, read from the web remote once; then it goes."""
    from appliance.core.service import PIN_SHOWN_S
    from appliance.display.theme import ACCENT

    core = playing_core()
    box = FakeBox(core, BlockEngine(1.0), public_url="http://127.0.0.1:8080/")
    reads: list[str] = []

    def host_pin() -> str:
        reads.append("4821")
        return "4821"

    keys = KeyControls(keys={}, volume_step=0.05, host_pin=host_pin)
    loop = DisplayLoop(box.context(parse_config("").display), keys, screen, quit_keys=True)
    loop.state.start()
    try:
        assert loop.step().host_pin == ""
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_p, unicode="p"))
        loop.step()
        core.tick()  # the key's action runs on the core's thread
        assert eventually(lambda: loop.state.pin_until_s > 0)
        frame = loop.step()
        assert frame.host_pin == "4821" and len(reads) == 1
        assert loop.fps(frame, time.monotonic()) == 60
        centre = screen.get_at((screen.get_width() // 2, screen.get_height() // 2))
        path = save_screen(screen, "host-pin-over-lyrics")
        assert any(
            tuple(screen.get_at((x, screen.get_height() // 2)))[:3] == ACCENT
            for x in range(screen.get_width())
        ), (path, centre)
        loop.state.pin_until_s = time.monotonic() - 1
        assert loop.step().host_pin == ""
        assert PIN_SHOWN_S == 10.0
    finally:
        loop.state.stop()
