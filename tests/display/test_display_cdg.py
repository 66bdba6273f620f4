"""The CD+G scene: an MP3+G song's picture drawn from the decoder at the song time, pixel for
pixel, between the header and the up-next bar; palette changes, seeks back, zips, unreadable
.cdg files (title card and a notice), the state thread, the frame loop and `karaoke screenshot`."""

from __future__ import annotations

import dataclasses
import time

import pygame
import pytest

from appliance.buttons.settings import ButtonsConfig
from appliance.cli import main
from appliance.config import parse_config
from appliance.core.catalog import Catalog
from appliance.core.events import EventBus
from appliance.core.models import MixSettings
from appliance.core.ports import SystemClock
from appliance.core.service import Actor, Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.snapshot import PlaybackState
from appliance.core.store import Store
from appliance.display.cdg_picture import (
    CdgPicture,
    load_cdg,
    picture_area,
    picture_rect,
    picture_size,
)
from appliance.display.frame import Frame
from appliance.display.notices import Notices
from appliance.display.part import DisplayLoop
from appliance.display.render import render, scene_for
from appliance.display.settings import KeyControls
from appliance.display.state import DisplayState
from appliance.display.theme import BACKGROUND, BAND, Theme
from appliance.library.formats.cdg import CdgDecoder
from appliance.library.formats.cdg_screen import VISIBLE_HEIGHT, VISIBLE_WIDTH
from appliance.library.formats.songfiles import load_lyrics
from tests.support import cdg_songs
from tests.support import display_scenes as scenes
from tests.support.cdg_songs import PALETTE_CHANGE_S, REPAINT_S, RGB
from tests.support.context import FakeBox

SIZES = [(1920, 1080), (1280, 720), (1024, 768)]


@pytest.fixture(scope="module")
def pair_song(tmp_path_factory):
    return cdg_songs.mp3g_pair(tmp_path_factory.mktemp("mp3g"))


@pytest.fixture(scope="module")
def zip_song(tmp_path_factory):
    return cdg_songs.mp3g_zip(tmp_path_factory.mktemp("mp3gzip"))


def cdg_frame(song, at_s: float, decoder: CdgDecoder, state=PlaybackState.PLAYING) -> Frame:
    return Frame(
        snapshot=scenes.playing(at_s, the_song=song, name="Ada", state=state),
        lyrics=load_lyrics(song),
        lyrics_s=at_s,
        graphics=decoder,
    )


def rgb(surface: pygame.Surface, point: tuple[int, int]) -> tuple[int, int, int]:
    return tuple(surface.get_at(point))[:3]


def screen_point(rect: pygame.Rect, sx: int, sy: int) -> tuple[int, int]:
    """Where the middle of CD+G pixel (sx, sy) of the visible window lands on screen."""
    return (
        rect.x + int((sx + 0.5) * rect.width / VISIBLE_WIDTH),
        rect.y + int((sy + 0.5) * rect.height / VISIBLE_HEIGHT),
    )


def uniform_points(window: bytes, step: int = 5):
    """Visible-window pixels whose 3x3 neighbourhood has one colour (exact after any scaling)."""
    for sy in range(1, VISIBLE_HEIGHT - 1, step):
        for sx in range(1, VISIBLE_WIDTH - 1, step):
            index = window[sy * VISIBLE_WIDTH + sx]
            if all(
                window[(sy + dy) * VISIBLE_WIDTH + sx + dx] == index
                for dy in (-1, 0, 1)
                for dx in (-1, 0, 1)
            ):
                yield sx, sy, index


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_picture_is_the_decoders_frame_scaled_at_4_3(pair_song, resources, save_screen, size):
    res = resources(*size)
    decoder = load_cdg(pair_song)
    surface = pygame.Surface(size)
    assert render(surface, cdg_frame(pair_song, 1.5, decoder), res) == "cdg"
    save_screen(surface, f"cdg-{size[0]}x{size[1]}")

    rect, area = picture_rect(res.theme), picture_area(res.theme)
    assert area.contains(rect) and rect.centerx == size[0] // 2
    assert abs(rect.width / rect.height - 4 / 3) < 0.01
    assert rect.height >= 0.85 * area.height  # as large as fits
    frame = decoder.frame_at(1.5)
    window = frame.viewport()
    centre = window[VISIBLE_HEIGHT // 2 * VISIBLE_WIDTH + VISIBLE_WIDTH // 2]
    assert frame.rgb(centre) == RGB["red"]
    assert rgb(surface, rect.center) == RGB["red"]
    checked = 0
    for sx, sy, index in uniform_points(window):
        assert rgb(surface, screen_point(rect, sx, sy)) == frame.rgb(index), (sx, sy)
        checked += 1
    assert checked > 1000
    # around the picture: the CD+G border colour; above and below: the header and footer bands
    assert rgb(surface, (area.x + 2, area.centery)) == RGB["teal"]
    assert rgb(surface, (2, 2)) == BAND
    assert rgb(surface, (2, size[1] - 2)) == BAND


def test_crisp_scale_when_a_whole_number_fits_else_smooth():
    assert picture_size((1920, 794)) == ((1024, 768), True)
    assert picture_size((1280, 529)) == ((705, 529), False)
    assert picture_size((1024, 600)) == ((768, 576), True)
    assert picture_size((300, 800)) == ((256, 192), True)  # narrow: the width limits
    assert picture_size((250, 800)) == ((249, 187), False)  # smaller than 1:1


def test_a_palette_only_change_redraws_after_its_time(pair_song, resources):
    res = resources(1280, 720)
    decoder = load_cdg(pair_song)
    surface = pygame.Surface((1280, 720))
    rect = picture_rect(res.theme)
    before = PALETTE_CHANGE_S - 0.01
    render(surface, cdg_frame(pair_song, before, decoder), res)
    assert rgb(surface, rect.center) == RGB["red"]
    conversions = res.cdg.conversions
    render(surface, cdg_frame(pair_song, before + 0.005, decoder), res)
    assert res.cdg.conversions == conversions  # nothing changed: no conversion
    render(surface, cdg_frame(pair_song, PALETTE_CHANGE_S + 0.01, decoder), res)
    assert rgb(surface, rect.center) == RGB["green"]
    assert res.cdg.conversions == conversions + 1


def test_seeking_back_redraws_the_earlier_frame(pair_song, resources, save_screen):
    res = resources(1920, 1080)
    decoder = load_cdg(pair_song)
    surface = pygame.Surface((1920, 1080))
    rect = picture_rect(res.theme)
    for at_s, colour in (
        (REPAINT_S + 0.5, "yellow"),
        (1.5, "red"),
        (2.5, "green"),
        (4.0, "yellow"),
    ):
        began = time.perf_counter()
        render(surface, cdg_frame(pair_song, at_s, decoder), res)
        elapsed = time.perf_counter() - began
        assert rgb(surface, rect.center) == RGB[colour], at_s
        assert elapsed < 0.25  # a seek costs a few thousand packets at most
    render(surface, cdg_frame(pair_song, 1.5, decoder), res)
    save_screen(surface, "cdg-seek-back-1920x1080")


def test_a_song_inside_a_zip(zip_song, resources, save_screen):
    assert zip_song.lyrics_file.startswith("zip-member:")
    res = resources(1280, 720)
    decoder = load_cdg(zip_song)
    surface = pygame.Surface((1280, 720))
    assert render(surface, cdg_frame(zip_song, REPAINT_S + 1, decoder), res) == "cdg"
    assert rgb(surface, picture_rect(res.theme).center) == RGB["yellow"]
    save_screen(surface, "cdg-zip-1280x720")


def test_before_the_stream_draws_the_title_card_shows(pair_song, resources, save_screen):
    res = resources(1280, 720)
    surface = pygame.Surface((1280, 720))
    assert render(surface, cdg_frame(pair_song, 0.0, load_cdg(pair_song)), res) == "cdg"
    title_y = res.theme.px(0.36) + res.theme.px(0.075) // 2
    row = [rgb(surface, (x, title_y)) for x in range(0, 1280, 2)]
    assert (255, 255, 255) in row  # the title's ink
    assert rgb(surface, (5, 400)) == BACKGROUND  # the theme's background, no picture yet
    save_screen(surface, "cdg-before-graphics-1280x720")


def test_paused_shows_over_the_picture(pair_song, resources, save_screen):
    res = resources(1280, 720)
    surface = pygame.Surface((1280, 720))
    frame = cdg_frame(pair_song, 2.5, load_cdg(pair_song), state=PlaybackState.PAUSED)
    assert render(surface, frame, res) == "cdg"
    save_screen(surface, "cdg-paused-1280x720")


def test_a_song_like_stream_on_the_tv(tmp_path, resources, save_screen):
    """A stream of text lines wiped with XOR tiles, as discs draw lyrics: to look at."""
    lines = ("AMAZING GRACE", "HOW SWEET THE SOUND", "THAT SAVED A WRETCH", "LIKE ME")
    song = cdg_songs.mp3g_pair(tmp_path, "John Newton - Amazing Grace")
    song = dataclasses.replace(song, duration_s=185.0)  # as if the whole song were there
    (tmp_path / "John Newton - Amazing Grace.cdg").write_bytes(cdg_songs.lyrics_stream(lines))
    decoder = load_cdg(song)
    settings = MixSettings(key_semitones=2, tempo_ratio=0.9)
    for size in ((1920, 1080), (1280, 720)):
        surface = pygame.Surface(size)
        frame = Frame(
            snapshot=scenes.playing(5.0, settings, the_song=song, name="Ada"),
            lyrics_s=5.0,
            graphics=decoder,
        )
        assert render(surface, frame, resources(*size)) == "cdg"
        save_screen(surface, f"cdg-song-{size[0]}x{size[1]}")


class OneSongCore:
    """A core's snapshot: ``song`` playing (the state thread only calls snapshot())."""

    def __init__(self, song, position_s: float = 1.5) -> None:
        self.song, self.position_s = song, position_s

    def snapshot(self):
        return scenes.playing(self.position_s, the_song=self.song, upcoming=scenes.QUEUE[:2])


def state_for(song) -> tuple[DisplayState, Notices]:
    notices = Notices()
    state = DisplayState(OneSongCore(song), notices, events=EventBus())
    state.refresh()
    return state, notices


def test_the_state_thread_loads_the_graphics_of_the_song_playing(pair_song):
    state, notices = state_for(pair_song)
    snapshot, _, lyrics, graphics = state.current(time.monotonic())
    assert isinstance(graphics, CdgDecoder)
    assert lyrics is not None and lyrics.is_empty
    assert scene_for(Frame(snapshot, lyrics, graphics=graphics)) == "cdg"
    state.refresh()
    assert state.current(time.monotonic())[3] is graphics  # loaded once, kept
    assert not notices.shown(time.monotonic())


@pytest.mark.parametrize("damage", ["missing", "corrupt-zip", "empty"])
def test_an_unreadable_cdg_falls_back_to_the_title_card_with_a_notice(
    tmp_path, resources, save_screen, damage
):
    if damage == "missing":
        song = cdg_songs.mp3g_pair(tmp_path)
        (tmp_path / "Test Band - Blue Tiles.cdg").unlink()
    elif damage == "corrupt-zip":
        song = cdg_songs.mp3g_zip(tmp_path)
        path = tmp_path / "Test Band - Zipped Tiles.zip"
        path.write_bytes(path.read_bytes()[:200])
    else:
        song = cdg_songs.mp3g_zip(tmp_path, cdg=b"\x09\x01")
    state, notices = state_for(song)
    snapshot, _, lyrics, graphics = state.current(time.monotonic())
    assert graphics is None
    shown = notices.shown(time.monotonic() + 1.0)  # faded in
    assert [n.text for n in shown] == [f"The graphics of {song.title} could not be read"]
    frame = Frame(snapshot, lyrics, lyrics_s=1.5, notices=shown)
    surface = pygame.Surface((1280, 720))
    res = resources(1280, 720)
    assert render(surface, frame, res) == "lyrics"
    assert res.texts.has(
        "No lyrics for this song", res.theme.header_px, (170, 176, 200), (10, 12, 28)
    )
    save_screen(surface, f"cdg-unreadable-{damage}-1280x720")


def test_the_picture_converts_only_when_the_decoder_moves(pair_song):
    decoder = load_cdg(pair_song)
    picture = CdgPicture()
    first = picture.image(decoder.frame_at(1.0), (705, 529))
    assert picture.image(decoder.frame_at(1.9), (705, 529)) is first
    assert picture.image(decoder.frame_at(2.1), (705, 529)) is not first
    assert picture.conversions == 2
    picture.image(decoder.frame_at(2.2), (1024, 768))  # another size
    assert picture.conversions == 3


class SeekableEngine:
    """An engine's published position (song seconds, once per 1024-frame block); seekable."""

    BLOCK_S = 1024 / 48000

    def __init__(self, rate: float, start_s: float) -> None:
        self.rate = rate
        self.seek(start_s)

    def seek(self, start_s: float) -> None:
        self.start_s, self.t0 = start_s, time.monotonic()

    def position_s(self) -> float:
        blocks = int((time.monotonic() - self.t0) / self.BLOCK_S)
        return self.start_s + self.rate * blocks * self.BLOCK_S


def test_the_frame_loop_draws_the_cdg_at_the_engines_position_at_tempo_and_after_seeks(pair_song):
    store = Store.open_memory()
    core = Core(store, SilentPlayer(SystemClock(), check_files=False))
    Catalog(store).upsert_songs([(pair_song, "sig")])
    ada = core.join("Ada")
    core.queue_song(Actor.host(), ada.singer_id, pair_song.song_id, MixSettings(tempo_ratio=0.8))
    core.start_next_now(Actor.host())
    engine = SeekableEngine(0.8, start_s=1.8)
    screen = pygame.display.set_mode((1280, 720))
    context = FakeBox(core, engine).context(parse_config("").display)
    keys = KeyControls(keys={}, volume_step=ButtonsConfig().volume_step)
    loop = DisplayLoop(context, keys, screen, quit_keys=True)
    loop.state.start()
    loop.state.refresh()
    rect = picture_rect(loop.res.theme)
    seen: list[tuple[float, str]] = []
    try:
        for seek_to, seconds in ((1.8, 0.5), (1.0, 0.2)):
            engine.seek(seek_to)
            started = time.monotonic()
            while time.monotonic() - started < seconds:
                frame = loop.step()
                assert scene_for(frame) == "cdg"
                assert loop.fps(frame, time.monotonic()) == 60
                expected = "green" if frame.lyrics_s >= PALETTE_CHANGE_S else "red"
                assert rgb(screen, rect.center) == RGB[expected], frame.lyrics_s
                seen.append((frame.lyrics_s, expected))
    finally:
        loop.state.stop()
    colours = [colour for _, colour in seen]
    assert "green" in colours and colours[-1] == "red"  # crossed the change, then seeked back
    assert min(at for at, _ in seen[-5:]) < 1.3


def test_karaoke_screenshot_draws_an_mp3g_song(tmp_path):
    library = tmp_path / "songs"
    cdg_songs.mp3g_pair(library)
    config = tmp_path / "karaoke.toml"
    config.write_text(f'[state]\nstate_dir = "{tmp_path}"\n', encoding="utf-8")
    assert main(["--config", str(config), "scan", str(library)]) == 0
    out = "tests/artifacts/screens/cli-cdg-1280x720.png"
    args = ["--config", str(config), "screenshot", "blue tiles", "--at", "2.5"]
    assert main([*args, "--out", out, "--size", "1280x720", "--singer", "Ada"]) == 0
    image = pygame.image.load(out)
    theme_rect = picture_rect(Theme.for_size(1280, 720))
    assert rgb(image, theme_rect.center) == RGB["green"]
