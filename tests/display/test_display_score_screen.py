"""After a scored song (issue 15): the score screen for a few seconds (singer, song, score with
its bar, each line's rating, "New personal best!" only when the best is beaten), then the
up-next or idle scene with the night's leaderboard beside the join codes, which still decode.
Also the docs' pictures, drawn through ``render_screenshot``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy
import pygame
import pytest

from appliance.core.scoring.model import Rating
from appliance.display.frame import Frame, Resources
from appliance.display.leaderboard import draw_leaderboard
from appliance.display.render import render, scene_for
from appliance.display.score_scene import BEST, draw_score_scene
from appliance.display.score_show import SCORE_SCREEN_S, ScoreClock, ScoreShow
from appliance.display.screenshot import render_screenshot
from appliance.display.singing_scene import RATING_COLORS
from appliance.display.theme import ACCENT, BACKGROUND
from tests.support import display_scenes as sample
from tests.support import score_scenes as sc
from tests.support.display_scenes import decoded

SIZES = [(1920, 1080), (1280, 720), (1024, 768), (800, 480)]
URL = "http://192.168.178.23:8080/"
WIFI = "WIFI:T:WPA;S:Karaoke Bar;P:12345678;;"


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def count(surface: pygame.Surface, rect: pygame.Rect, color: tuple[int, int, int]) -> int:
    rect = rect.clip(surface.get_rect())
    pixels = pygame.surfarray.pixels3d(surface)[rect.left : rect.right, rect.top : rect.bottom]
    return int(numpy.all(pixels == numpy.array(color), axis=2).sum())


def score_frame(final, **fields) -> Frame:  # type: ignore[no-untyped-def]
    show = ScoreShow(final=final, final_age_s=1.0, leaderboard=sc.LEADERS)
    return Frame(sample.up_next(9), public_url=URL, score=show, **fields)


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_the_score_screen_shows_the_result(size, save_screen) -> None:  # type: ignore[no-untyped-def]
    surface = pygame.Surface(size)
    res = Resources.create(*size)
    final = sc.result(8450, best_before=7900)
    drawn = draw_score_scene(surface, score_frame(final), res)
    bar = drawn["bar"]
    filled = count(surface, pygame.Rect(bar.x, bar.centery, bar.width, 1), ACCENT)
    assert abs(filled / bar.width - 0.845) < 0.01
    assert "best" in drawn and count(surface, drawn["best"], ACCENT) > 0
    cells = drawn["cells"]
    for rating in (Rating.PERFECT, Rating.GREAT, Rating.GOOD, Rating.OK, Rating.POOR):
        assert count(surface, cells, RATING_COLORS[rating]) > 0, rating
    assert count(surface, cells, RATING_COLORS[Rating.AWFUL]) == 0
    for rect in drawn.values():
        assert surface.get_rect().contains(rect)
    assert drawn["score"].bottom <= bar.top <= cells.top
    save_screen(surface, f"score-{size_id(size)}")


@pytest.mark.parametrize(("best_before", "beaten"), [(7900, True), (8450, False), (None, False)])
def test_a_personal_best_is_said_only_when_beaten(best_before, beaten, resources) -> None:  # type: ignore[no-untyped-def]
    surface = pygame.Surface((1280, 720))
    res = resources(1280, 720)
    drawn = draw_score_scene(surface, score_frame(sc.result(8450, best_before)), res)
    assert ("best" in drawn) is beaten
    assert res.texts.has(BEST, res.theme.px(0.05), BACKGROUND, ACCENT, shadow=False) or not beaten


def test_the_score_screen_comes_after_a_song_for_a_few_seconds_then_up_next() -> None:
    clock = ScoreClock()
    final = sc.result()
    playing, waiting = sample.playing(30.0), sample.up_next(12)
    for snapshot, at, scene in [
        (playing, 100.0, "lyrics"),
        (waiting, 101.0, "score"),  # the result appears at 101 s
        (waiting, 101.0 + SCORE_SCREEN_S - 0.1, "score"),
        (waiting, 101.0 + SCORE_SCREEN_S + 0.1, "upnext"),
        (sample.idle(), 101.0 + SCORE_SCREEN_S + 5, "idle"),
    ]:
        shown = final if snapshot is not playing else None
        show = ScoreShow(final=shown, final_age_s=clock.age(shown, at))
        assert scene_for(Frame(snapshot, score=show)) == scene, (at, scene)
    show = ScoreShow(final=final, final_age_s=0.5)  # a new song started at once
    assert scene_for(Frame(playing, score=show)) == "lyrics"


@pytest.mark.parametrize("size", SIZES[:3], ids=size_id)
@pytest.mark.parametrize("wifi", ["", WIFI], ids=["lan", "hotspot"])
@pytest.mark.parametrize("waiting", ["idle", "upnext"])
def test_the_leaderboard_sits_beside_join_codes_that_still_decode(size, wifi, waiting,
                                                                   save_screen) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    snapshot = sample.idle() if waiting == "idle" else sample.up_next(9)
    res = Resources.create(*size)
    with_board = pygame.Surface(size)
    show = ScoreShow(leaderboard=sc.LEADERS)
    frame = Frame(snapshot, public_url=URL, wifi_payload=wifi, wifi_name="Karaoke Bar",
                  score=show)  # fmt: skip
    assert render(with_board, frame, res) == waiting
    expected = {URL, WIFI} if wifi else {URL}
    assert decoded(with_board) == expected
    hidden = pygame.Surface(size)
    render(hidden, dataclasses.replace(frame, score=ScoreShow()), res)
    assert decoded(hidden) == expected
    gold = count(with_board, with_board.get_rect(), (255, 208, 56))  # the first row's medal
    assert gold > 0 and count(hidden, hidden.get_rect(), (255, 208, 56)) == 0
    save_screen(with_board, f"leaderboard-{waiting}-{'hotspot' if wifi else 'lan'}-{size_id(size)}")


def test_the_leaderboard_shows_only_the_rows_that_fit(resources) -> None:  # type: ignore[no-untyped-def]
    res = resources(1920, 1080)
    surface = pygame.Surface((1920, 1080))
    step = res.texts.line_height(res.theme.px(0.036))
    title = res.texts.line_height(res.theme.px(0.04))
    area = pygame.Rect(100, 100, 800, title + 3 * step + 2)
    drawn = draw_leaderboard(surface, res, sc.LEADERS, area, bg=BACKGROUND)
    assert drawn is not None and area.contains(drawn)
    assert drawn.height == title + 3 * step
    assert draw_leaderboard(surface, res, (), area, bg=BACKGROUND) is None
    assert draw_leaderboard(surface, res, sc.LEADERS, area.inflate(0, -area.height + 10),
                            bg=BACKGROUND) is None  # fmt: skip


DOCS = Path(__file__).resolve().parents[2] / "docs" / "images"


def test_the_docs_pictures(save_screen) -> None:  # type: ignore[no-untyped-def]
    """docs/images/tv-note-lane*.png, tv-score.png and tv-leaderboard.png are these pictures
    (copied by hand when the scenes change)."""
    song = sample.song()
    sheet, duet = sc.grace_sheet(), sc.grace_sheet(duet=True)
    solo = sc.showing(sc.view(sheet, 7.2, offset=-12, score=1240))
    pictures = {
        "tv-note-lane": render_screenshot(
            song, sample.grace_lyrics(), at_s=7.2, singer="Ada", score=solo
        ),
        "tv-note-lane-duet": render_screenshot(
            song,
            sc.duet_lyrics(),
            at_s=15.0,
            singer="Ada & Olek",
            score=sc.showing(
                sc.view(duet, 15.0, part=1, score=2210),
                sc.view(duet, 15.0, part=2, offset=0.3, score=980),
            ),
        ),
        "tv-score": render_screenshot(
            song,
            sample.grace_lyrics(),
            at_s=9,
            scene="score",
            singer="Olek",
            score=ScoreShow(final=sc.result(), final_age_s=1.0),
        ),
        "tv-leaderboard": render_screenshot(
            song,
            sample.grace_lyrics(),
            at_s=9,
            scene="upnext",
            singer="Olek",
            score=ScoreShow(leaderboard=sc.LEADERS),
        ),
    }
    for name, surface in pictures.items():
        save_screen(surface, name)
        assert surface.get_size() == (1920, 1080)
    assert all((DOCS / f"{name}.png").exists() for name in pictures)


def test_the_tv_says_a_song_has_no_score_only_on_a_box_with_a_mic() -> None:
    from appliance.core.snapshot import PlaybackState, Snapshot
    from appliance.display.score_show import score_show_of

    reason = "no score: this song has no notes"
    no_mic = Snapshot(version=1, state=PlaybackState.PLAYING, no_score_reason=reason)
    with_mic = Snapshot(
        version=1, state=PlaybackState.PLAYING, no_score_reason=reason, mics=((1, ""),)
    )
    assert score_show_of(no_mic, (), None).no_score == ""
    assert score_show_of(with_mic, (), None).no_score == reason
