"""The frame loop with a real core scoring a song (issue 15): the pitch the engine reports
reaches the core, the loop reads the core's singing views every frame and the TV draws the note
lane with the trace on the bars; the host's ``tv_notes`` off gives lyrics only; after the song
the core's result fills the screen, then up next shows the night's leaderboard."""

from __future__ import annotations

import math
import time

import numpy
import pygame

from appliance.buttons.settings import ButtonsConfig
from appliance.config import parse_config
from appliance.core.catalog import Catalog
from appliance.core.models import Song, SongId
from appliance.core.ports import ManualClock
from appliance.core.service import Actor, Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.snapshot import PlaybackState
from appliance.core.store import Store
from appliance.display import note_lane
from appliance.display.part import DisplayLoop
from appliance.display.render import scene_for
from appliance.display.settings import KeyControls
from tests.support import score_scenes as sc
from tests.support.context import FakeBox
from tests.support.display_scenes import GRACE_LRC

HOST = Actor.host()
SHEET = sc.grace_sheet()
KEYS = KeyControls(keys={}, volume_step=ButtonsConfig().volume_step)


class BlockEngine:
    """An engine's position: song seconds from ``start_s`` at ``rate``."""

    def __init__(self, rate: float, start_s: float) -> None:
        self.rate, self.start_s, self.t0 = rate, start_s, time.monotonic()

    def true_position(self, now: float) -> float:
        return self.start_s + self.rate * (now - self.t0)

    def position_s(self) -> float:
        return self.true_position(time.monotonic())


def scoring_core(folder) -> tuple[Core, SilentPlayer, ManualClock]:  # type: ignore[no-untyped-def]
    """A core playing Amazing Grace (its lyrics in a real LRC file), scored against SHEET."""
    (folder / "lyrics.lrc").write_text(GRACE_LRC, encoding="utf-8")
    clock = ManualClock()
    player = SilentPlayer(clock, check_files=False)
    store = Store.open_memory()
    core = Core(store, player, clock=clock, sheets=lambda song: SHEET)
    song = Song(SongId("grace"), "Amazing Grace", "John Newton", 60.0, str(folder),
                lyrics_file="lyrics.lrc")  # fmt: skip
    Catalog(store).upsert_songs([(song, "sig")])
    ada = core.join("Ada")
    core.queue_song(HOST, ada.singer_id, "grace")
    core.start_next_now(HOST)
    assert core.snapshot().state is PlaybackState.PLAYING
    return core, player, clock


def hear(core: Core, player: SilentPlayer, until_s: float, offset: float = 0.0) -> None:
    """The engine reports the voice (10 ms frames, in batches) up to ``until_s``."""
    frames = sc.sung(SHEET, until_s=until_s, offset=offset)
    for start in range(0, len(frames), 20):
        player.report_pitch(frames[start : start + 20])
    core.tick()


def colours(surface: pygame.Surface) -> set[tuple[int, int, int]]:
    pixels = pygame.surfarray.array3d(surface).reshape(-1, 3)[::3]
    return {tuple(int(c) for c in pixel) for pixel in numpy.unique(pixels, axis=0)}


def make_loop(core: Core, engine: BlockEngine, notes: bool = True) -> DisplayLoop:
    screen = pygame.display.set_mode((1280, 720))
    box = FakeBox(core, engine, public_url="http://127.0.0.1:8080/")
    loop = DisplayLoop(box.context(parse_config("").display), KEYS, screen, quit_keys=True)
    if not notes:
        core.update_settings(HOST, {"tv_notes": False})
    loop.state.refresh()
    return loop


def test_the_lane_follows_the_voice_the_core_heard(tmp_path, save_screen) -> None:  # type: ignore[no-untyped-def]
    core, player, _clock = scoring_core(tmp_path)
    engine = BlockEngine(1.0, start_s=7.3)
    hear(core, player, until_s=7.3, offset=-12)  # an octave down: folded onto the bars
    loop = make_loop(core, engine)
    started = time.monotonic()
    while loop.state.current(time.monotonic())[2] is None and time.monotonic() - started < 3:
        loop.state.refresh()  # the lyrics load on the refresh thread in the box
    frame = loop.step()
    assert len(frame.score.views) == 1 and frame.score.views[0].frames
    assert frame.score.lane_on and scene_for(frame) == "lyrics"
    shown = colours(loop.screen)
    assert note_lane.GOLD_FILL in shown  # 'grace,' (golden) sung on pitch an octave down
    assert note_lane.lane_colors(0)[1] in shown  # the trace
    save_screen(loop.screen, "loop-scored-lane")
    assert math.isclose(frame.lyrics_s, engine.true_position(frame.clock_s), abs_tol=0.05)


def test_lyrics_only_when_the_host_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    core, player, _clock = scoring_core(tmp_path)
    hear(core, player, until_s=7.3)
    loop = make_loop(core, BlockEngine(1.0, start_s=7.3), notes=False)
    loop.state.refresh()
    frame = loop.step()
    assert frame.score.views and not frame.score.lane_on
    assert note_lane.LANE_BG not in colours(loop.screen)


def test_after_the_song_the_result_then_the_leaderboard(tmp_path, save_screen) -> None:  # type: ignore[no-untyped-def]
    core, player, clock = scoring_core(tmp_path)
    hear(core, player, until_s=50.0)
    ada = core.join("Olek")
    core.queue_song(HOST, ada.singer_id, "grace")
    clock.advance(60.01)  # the song plays to its end: the core scores it
    player.poll()
    core.tick()
    snapshot = core.snapshot()
    assert snapshot.final_score is not None and snapshot.final_score.score > 9000
    loop = make_loop(core, BlockEngine(0.0, start_s=0.0))
    frame = loop.step()
    assert scene_for(frame) == "score"
    save_screen(loop.screen, "loop-score-screen")
    frame = loop.frame(time.monotonic() + 9.0)  # past the score screen's 8 s
    assert scene_for(frame) in ("upnext", "idle")
    assert frame.score.leaderboard and frame.score.leaderboard[0].singer_name == "Ada"
