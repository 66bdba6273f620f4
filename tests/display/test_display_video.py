"""The video scene with videos written here (each frame's number painted in its colours): the TV
shows frame round(t x fps) of the source within one frame of the engine's true position at tempo
1.0 and 0.8, after seeks back and forth and through a pause; a damaged video shows the title card
with a notice; a decoder that cannot keep up drops frames and says so once; screenshots."""

from __future__ import annotations

import time
from pathlib import Path

import pygame
import pytest

from appliance.buttons.settings import ButtonsConfig
from appliance.cli import main
from appliance.config import parse_config
from appliance.core.catalog import Catalog
from appliance.core.models import MixSettings, Song
from appliance.core.ports import SystemClock
from appliance.core.service import Actor, Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.snapshot import PlaybackState
from appliance.core.store import Store
from appliance.display.part import DisplayLoop
from appliance.display.screenshot import render_screenshot
from appliance.display.settings import KeyControls
from appliance.display.theme import Theme
from appliance.display.video_decoder import VideoSource
from appliance.display.video_feed import VideoFeed
from appliance.display.video_scene import video_rect
from appliance.library.formats.lyrics import Lyrics
from appliance.library.scanning.registry import read_song_at
from tests.support.context import FakeBox
from tests.support.seekable_engine import SeekableEngine
from tests.support.video_gen import frame_number, write_counter_video, write_lyrics_video

HOST = Actor.host()
FPS = 25
SECONDS = 8.0


KEYS = KeyControls(keys={}, volume_step=ButtonsConfig().volume_step)


@pytest.fixture(scope="module")
def video_song(tmp_path_factory) -> Song:
    folder = tmp_path_factory.mktemp("videos")
    path = write_counter_video(folder / "Ada - Counter (Karaoke Version).mp4", seconds=SECONDS)
    return read_song_at(str(path))


@pytest.fixture
def screen():
    return pygame.display.set_mode((640, 360))


def video_loop(screen, song: Song, engine, tempo: float = 1.0) -> tuple[DisplayLoop, Core]:
    store = Store.open_memory()
    core = Core(store, SilentPlayer(SystemClock(), check_files=False))
    Catalog(store).upsert_songs([(song, "sig")])
    ada = core.join("Ada")
    core.queue_song(HOST, ada.singer_id, song.song_id, MixSettings(tempo_ratio=tempo))
    core.start_next_now(HOST)
    box = FakeBox(core, engine)
    loop = DisplayLoop(box.context(parse_config("").display), KEYS, screen, quit_keys=True)
    loop.state.start()
    loop.state.refresh()
    return loop, core


def frame_errors(loop: DisplayLoop, screen, engine, seconds: float, settle_s: float = 0.3):
    """Per frame drawn with a picture after ``settle_s``: |frame shown - round(true t x fps)|."""
    errors: list[int] = []
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        frame = loop.step()
        assert frame.video is not None
        if frame.clock_s - started < settle_s or not frame.video.has_picture:
            continue
        rect = video_rect(loop.res.theme, frame.video.aspect)
        want = round(engine.true_position(frame.clock_s) * FPS)
        errors.append(abs(frame_number(screen, rect) - want))
    return errors


@pytest.mark.parametrize("tempo", [1.0, 0.8])
def test_the_picture_follows_the_engine_within_one_frame(tempo, screen, video_song):
    engine = SeekableEngine(tempo, start_s=1.0)
    loop, _ = video_loop(screen, video_song, engine, tempo)
    try:
        errors = frame_errors(loop, screen, engine, 1.5)
    finally:
        loop.state.stop()
    assert len(errors) > 40, "about 60 frames a second"
    assert max(errors) <= 1, errors


def test_seeks_back_and_forth_are_followed(screen, video_song):
    engine = SeekableEngine(1.0, start_s=1.0)
    loop, _ = video_loop(screen, video_song, engine)
    try:
        frame_errors(loop, screen, engine, 0.4)
        for target in (6.0, 0.5, 4.2):
            engine.jump(target)
            errors = frame_errors(loop, screen, engine, 0.8, settle_s=0.3)
            assert errors and max(errors) <= 1, (target, errors)
    finally:
        loop.state.stop()


def test_a_pause_holds_the_frame(screen, video_song):
    engine = SeekableEngine(1.0, start_s=2.0)
    loop, core = video_loop(screen, video_song, engine)
    try:
        frame_errors(loop, screen, engine, 0.5)
        core.pause(HOST)
        engine.jump(engine.true_position(time.monotonic()), rate=0.0)
        loop.state.refresh()
        assert core.snapshot().state is PlaybackState.PAUSED
        errors = frame_errors(loop, screen, engine, 0.6, settle_s=0.1)
        assert errors and max(errors) <= 1, errors
        rect = video_rect(loop.res.theme, 16 / 9)
        assert frame_number(screen, rect) == round(engine.start_s * FPS)
    finally:
        loop.state.stop()


def test_a_damaged_video_shows_the_title_card_and_says_so(screen, tmp_path):
    good = write_counter_video(tmp_path / "Ada - Broken.mp4", seconds=1.0)
    song = read_song_at(str(good))
    good.write_bytes(b"this file was damaged after the scan" * 50)
    loop, _ = video_loop(screen, song, SeekableEngine(1.0))
    try:
        frame = loop.step()
    finally:
        loop.state.stop()
    assert frame.video is None
    assert "The picture of Broken could not be read" in [n.text for n in frame.notices]


def test_a_decoder_that_cannot_keep_up_drops_frames_and_tells_the_host_once(
    screen, video_song, monkeypatch
):
    convert = VideoSource.surface

    def slow_surface(self, frame, size, masks):  # type: ignore[no-untyped-def]
        time.sleep(0.1)  # four times a frame's time at 25 fps
        return convert(self, frame, size, masks)

    monkeypatch.setattr(VideoSource, "surface", slow_surface)
    engine = SeekableEngine(1.0, start_s=0.5)
    loop, _ = video_loop(screen, video_song, engine)
    texts: list[str] = []
    try:
        started = time.monotonic()
        while time.monotonic() - started < 2.5:
            texts += [notice.text for notice in loop.step().notices]
        feed = loop.state.video(loop.state.current(time.monotonic())[0])
        assert feed is not None and feed.dropped > 20
    finally:
        loop.state.stop()
    warning = "The picture of Counter cannot keep up: frames are dropped"
    assert warning in texts
    assert len(loop.notices.shown(time.monotonic())) <= 1


def test_the_feed_closes_its_thread(video_song):
    feed = VideoFeed(video_song.path)
    assert feed.picture_when_ready(1.0, (320, 176)) is not None
    feed.close()
    assert not feed._thread.is_alive()


@pytest.mark.parametrize("at_s", [0.0, 1.0, 3.52, 7.9])
def test_a_screenshot_shows_the_frame_at_its_time(video_song, resources, save_screen, at_s):
    surface = render_screenshot(video_song, Lyrics(), at_s=at_s, size=(1280, 720))
    rect = video_rect(resources(1280, 720).theme, 16 / 9)
    assert frame_number(surface, rect) == round(at_s * FPS)
    save_screen(surface, f"video-{at_s:.2f}s")


def test_a_screenshot_of_a_damaged_video_is_the_title_card(tmp_path):
    path = write_counter_video(tmp_path / "Ada - Gone.mp4", seconds=1.0)
    song = read_song_at(str(path))
    Path(path).write_bytes(b"")
    surface = render_screenshot(song, Lyrics(), at_s=0.5, size=(640, 360))
    assert surface.get_at((320, 180))[:3] != (0, 0, 0)


def test_the_docs_picture_of_a_video_song(tmp_path, save_screen):
    """docs/images/tv-video.png is this picture (copied by hand when the scene changes)."""
    path = write_lyrics_video(tmp_path / "Ada - Twinkle (Karaoke Version).mp4", seconds=3.0)
    song = read_song_at(str(path))
    surface = render_screenshot(song, Lyrics(), at_s=1.6, size=(1280, 720), singer="Ada")
    save_screen(surface, "tv-video")
    rect = video_rect(Theme.for_size(1280, 720), 16 / 9)
    assert surface.get_at(rect.center)[:3] != (0, 0, 0)


def test_the_screenshot_command_draws_a_video_file_at_a_time(tmp_path, video_song):
    config = tmp_path / "karaoke.toml"
    config.write_text(f'[state]\nstate_dir = "{tmp_path}"\n', encoding="utf-8")
    out = tmp_path / "shot.png"
    arguments = ["--config", str(config), "screenshot", video_song.path, "--at", "2.0"]
    assert main([*arguments, "--out", str(out), "--size", "1280x720"]) == 0
    image = pygame.image.load(str(out))
    assert frame_number(image, video_rect(Theme.for_size(1280, 720), 16 / 9)) == 2 * FPS
