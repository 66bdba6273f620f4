"""The note lane over the lyrics of a scored song (issue 15), on real pygame surfaces: golden,
rap and freestyle bars in their colours where their notes are, the singer's pitch trace on a
bar when sung on pitch (an octave down too: folded) and away from it when off, the hit parts
filled, the cursor at the song time, duet lanes in their parts' colours, line ratings popping
up, lyrics only when the host says so, and no lane ever over the lyrics, header, overlays or
footer at four screen sizes."""

from __future__ import annotations

import dataclasses

import numpy
import pygame
import pytest

from appliance.core.night_settings import NightSettings
from appliance.core.scoring.model import TOLERANCE_SEMITONES, Difficulty, NoteType, Rating
from appliance.display import note_lane
from appliance.display.frame import Frame, Resources, ShownNotice
from appliance.display.overlays import BAND_BOTTOM, draw_notices, notices_left
from appliance.display.render import render
from appliance.display.singing_scene import RATING_COLORS, draw_singing_scene, two_rows
from tests.support import display_scenes as sample
from tests.support import score_scenes as sc

SIZES = [(1920, 1080), (1280, 720), (1024, 768), (800, 480)]
URL = "http://192.168.178.23:8080/"


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def rgb(surface: pygame.Surface, point: tuple[int, int]) -> tuple[int, int, int]:
    return tuple(surface.get_at(point))[:3]


def count(surface: pygame.Surface, rect: pygame.Rect, color: tuple[int, int, int]) -> int:
    """Pixels of exactly ``color`` inside ``rect``."""
    rect = rect.clip(surface.get_rect())
    pixels = pygame.surfarray.pixels3d(surface)[rect.left : rect.right, rect.top : rect.bottom]
    return int(numpy.all(pixels == numpy.array(color), axis=2).sum())


def draw(at: float, *views, size=(1920, 1080), lyrics=None, notes_on=True, **frame_fields):  # type: ignore[no-untyped-def]
    """Draw the singing scene with fresh caches; returns (surface, what was drawn)."""
    surface = pygame.Surface(size)
    res = Resources.create(*size)
    frame = Frame(sample.playing(at), lyrics or sample.grace_lyrics(), lyrics_s=at,
                  score=sc.showing(*views, notes_on=notes_on), **frame_fields)  # fmt: skip
    return surface, draw_singing_scene(surface, frame, res), frame, res


def note(sheet, text: str):  # type: ignore[no-untyped-def]
    return next(n for n in sheet.notes if n.text == text)


def test_bars_have_their_kind_s_colour_where_their_notes_are(save_screen) -> None:  # type: ignore[no-untyped-def]
    sheet = sc.grace_sheet()
    surface, drawn, _, _ = draw(4.2, sc.view(sheet, 4.2))  # line 0: golden 'grace, '
    geometry = drawn.lanes[0].geometry
    golden = geometry.note_rect(note(sheet, "grace, "))
    normal = geometry.note_rect(note(sheet, "sweet "))
    assert rgb(surface, golden.center) == note_lane.GOLD_BODY
    assert rgb(surface, (golden.centerx, golden.top)) == note_lane.GOLD_EDGE
    assert rgb(surface, normal.center) == note_lane.NOTE_BODY
    assert golden.centery < normal.centery  # B4 above G4
    surface, drawn, _, _ = draw(28.0, sc.view(sheet, 28.0))  # line 3: freestyle 'see'
    free = drawn.lanes[0].geometry.note_rect(note(sheet, "see"))
    assert rgb(surface, free.center) == note_lane.LANE_BG  # an outline only
    assert count(surface, free, note_lane.FREESTYLE_EDGE) > free.width
    surface, drawn, _, _ = draw(20.0, sc.view(sheet, 20.0))  # line 2: rap 'lost, '
    rap = drawn.lanes[0].geometry.note_rect(note(sheet, "lost, "))
    assert rgb(surface, (rap.right - rap.height, rap.centery)) == note_lane.RAP_BODY
    save_screen(surface, "lane-rap")


@pytest.mark.parametrize(("offset", "on_bar"), [(0.0, True), (-12.0, True), (3.0, False)])
def test_the_trace_is_on_the_bar_when_sung_on_pitch_and_off_it_when_not(offset, on_bar) -> None:  # type: ignore[no-untyped-def]
    sheet = sc.grace_sheet()
    surface, drawn, _, _ = draw(8.6, sc.view(sheet, 8.6, offset=offset))
    geometry = drawn.lanes[0].geometry
    trace, fill = note_lane.lane_colors(0)[1], note_lane.lane_colors(0)[0]
    sung = geometry.note_rect(note(sheet, "how "))  # 7.5-7.95 s, sung before 8.6 s
    band = sung.inflate(0, sung.height)  # the bar and half a bar around it
    assert (count(surface, band, trace) > sung.width // 2) is on_bar
    assert (count(surface, sung, fill) > sung.width) is on_bar  # the hit part is filled
    above = band.move(0, -round(3 * geometry.row_px))  # where three semitones sharp lands
    assert (count(surface, above, trace) > sung.width // 2) is not on_bar
    coming = geometry.note_rect(note(sheet, "the "))  # 9.0 s: not sung yet
    assert count(surface, coming.inflate(0, coming.height), trace) == 0
    assert count(surface, coming, fill) == 0
    cursor = geometry.x_of(8.6)
    assert rgb(surface, (cursor, geometry.rect.bottom - 2)) == note_lane.CURSOR


def test_a_golden_note_sung_on_pitch_fills_gold(save_screen) -> None:  # type: ignore[no-untyped-def]
    sheet = sc.grace_sheet()
    surface, drawn, _, _ = draw(7.2, sc.view(sheet, 7.2, offset=-12))
    golden = drawn.lanes[0].geometry.note_rect(note(sheet, "grace, "))  # 6.0-7.45, sung to 7.2
    assert count(surface, golden, note_lane.GOLD_FILL) > golden.width
    save_screen(surface, "lane-golden-octave-down")


def test_the_trace_stays_for_the_whole_line_though_views_hold_only_seconds() -> None:
    sheet = sc.grace_sheet()
    res = Resources.create(1920, 1080)
    surface = pygame.Surface((1920, 1080))
    full = sc.view(sheet, 10.5)
    for at in (5.0, 7.0, 9.0, 10.5):  # each view holds only the last 2 s
        recent = tuple(f for f in full.frames if at - 2.0 <= f.time_s <= at)
        view = dataclasses.replace(full, frames=recent)
        frame = Frame(sample.playing(at), sample.grace_lyrics(), lyrics_s=at,
                      score=sc.showing(view))  # fmt: skip
        drawn = draw_singing_scene(surface, frame, res)
    first = drawn.lanes[0].geometry.note_rect(note(sheet, "A"))  # 4.0-4.45 s
    assert count(surface, first, note_lane.lane_colors(0)[0]) > first.width // 2


def test_duet_lanes_in_their_parts_colours(save_screen) -> None:  # type: ignore[no-untyped-def]
    sheet = sc.grace_sheet(duet=True)
    at = 15.0  # part 2 sings line 1; part 1 waits for line 2
    p1, p2 = sc.view(sheet, at, part=1), sc.view(sheet, at, part=2, score=3100)
    surface, drawn, _, _ = draw(at, p1, p2, lyrics=sc.duet_lyrics())
    first, second = (lane.geometry.rect for lane in drawn.lanes)
    assert first.bottom < second.top
    assert [lane.line.line for lane in drawn.lanes] == [2, 1]
    assert count(surface, second, note_lane.lane_colors(2)[1]) > 50  # P2's pink trace
    assert count(surface, second, note_lane.lane_colors(2)[0]) > 50  # and pink hits
    assert count(surface, first, note_lane.lane_colors(1)[1]) == 0  # P1 has not sung line 2
    save_screen(surface, "lane-duet")


def test_a_finished_line_s_rating_pops_up_then_goes() -> None:
    sheet = sc.grace_sheet()
    rating = sc.rated(sheet, 11.5)[-1].rating  # line 0 ends at 10.95 s
    color = RATING_COLORS[rating]
    surface, drawn, _, _ = draw(11.5, sc.view(sheet, 11.5))
    assert any(count(surface, box, color) > 20 for box in drawn.boxes)
    surface, drawn, _, _ = draw(13.0, sc.view(sheet, 13.0))
    assert all(count(surface, box, color) == 0 for box in drawn.boxes)
    assert rating is Rating.GREAT


def test_lyrics_only_keeps_the_lyrics_where_they_were_and_the_score_in_a_corner() -> None:
    sheet = sc.grace_sheet()
    plain = Frame(sample.playing(8.0), sample.grace_lyrics(), lyrics_s=8.0)
    surface = pygame.Surface((1920, 1080))
    res = Resources.create(1920, 1080)
    before = [piece.rect for piece in draw_singing_scene(surface, plain, res).pieces]
    surface, drawn, _, _ = draw(8.0, sc.view(sheet, 8.0), notes_on=False)
    assert not drawn.lanes
    assert [piece.rect for piece in drawn.pieces] == before
    assert count(surface, surface.get_rect(), note_lane.LANE_BG) == 0
    assert drawn.boxes and all(box.bottom <= res.theme.px(BAND_BOTTOM) for box in drawn.boxes)


def test_a_cdg_song_keeps_its_picture_and_shows_a_corner_score(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from appliance.display.cdg_picture import load_cdg, picture_rect
    from tests.support import cdg_songs

    song = cdg_songs.mp3g_pair(tmp_path)
    decoder = load_cdg(song)
    view = sc.view(sc.grace_sheet(), 8.0, score=6120)
    res = Resources.create(1920, 1080)
    shots = []
    for show in (sc.showing(), sc.showing(view)):
        frame = Frame(sample.playing(8.0, the_song=song), None, lyrics_s=8.0, graphics=decoder,
                      score=show)  # fmt: skip
        surface = pygame.Surface((1920, 1080))
        assert render(surface, frame, res) == "cdg"
        shots.append(pygame.surfarray.array3d(surface))
    picture = picture_rect(res.theme)
    inside = (slice(picture.left, picture.right), slice(picture.top, picture.bottom))
    assert (shots[0][inside] == shots[1][inside]).all()  # the picture is untouched
    changed = numpy.argwhere((shots[0] != shots[1]).any(axis=2))  # (x, y) drawn for the score
    assert len(changed) > 100
    assert changed[:, 0].max() < picture.left and changed[:, 1].max() <= res.theme.px(BAND_BOTTOM)
    assert count(pygame.surfarray.make_surface(shots[1]), pygame.Rect(0, 0, 1920, 1080),
                 note_lane.LANE_BG) == 0  # fmt: skip


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("duet", [False, True], ids=["solo", "duet"])
def test_lanes_never_meet_the_lyrics_header_overlays_or_footer(size, duet, save_screen) -> None:  # type: ignore[no-untyped-def]
    sheet = sc.grace_sheet(duet=duet)
    lyrics = sc.duet_lyrics() if duet else sample.grace_lyrics()
    long_notice = "Volume 85% · the host changed the key of this song to +3 for the next chorus"
    notices = (ShownNotice("Key +2"), ShownNotice(long_notice, "warn"))
    res = Resources.create(*size)
    theme = res.theme
    header, footer = theme.px(0.155), theme.height - theme.px(0.11)
    for at in (3.0, 5.3, 11.2, 13.2, 20.0, 28.0, 43.0):
        parts = (1, 2) if duet else (0,)
        views = tuple(sc.view(sheet, at, part=part, offset=0.3) for part in parts)
        snapshot = dataclasses.replace(sample.playing(at), muted=True, settings=NightSettings())
        frame = Frame(snapshot, lyrics, lyrics_s=at, public_url=URL, notices=notices,
                      score=sc.showing(*views))  # fmt: skip
        surface = pygame.Surface(size)
        drawn = draw_singing_scene(surface, frame, res)
        overlays = draw_notices(surface, frame, res, during_song=True)
        assert drawn.pieces, "lyrics are drawn"
        assert 1 <= len(drawn.lanes) <= len(parts)  # part 2 sings no line after 33 s
        boxes = [lane.geometry.rect for lane in drawn.lanes] + drawn.boxes
        for box in boxes:
            assert box.top >= header and box.bottom <= footer, (at, box)
            assert surface.get_rect().contains(box)
            for piece in drawn.pieces:
                assert not box.colliderect(piece.rect), (at, box, piece.text)
            for rect in overlays:
                assert not box.colliderect(rect), (at, box, rect)
        for piece in drawn.pieces:
            assert piece.rect.bottom <= footer
    save_screen(surface, f"lane-layout-{'duet' if duet else 'solo'}-{size_id(size)}")


def test_freestyle_notes_are_never_filled() -> None:
    sheet = sc.grace_sheet()
    surface, drawn, _, _ = draw(32.5, sc.view(sheet, 32.5))
    free = drawn.lanes[0].geometry.note_rect(note(sheet, "see"))
    assert note(sheet, "see").kind is NoteType.FREESTYLE
    assert count(surface, free, note_lane.lane_colors(0)[0]) == 0


def test_the_lane_is_drawn_afresh_only_for_a_new_line_or_a_seek_back() -> None:
    sheet = sc.grace_sheet()
    res = Resources.create(1280, 720)
    surface = pygame.Surface((1280, 720))
    full = sc.view(sheet, 30.0)

    def at(time_s: float) -> None:
        recent = tuple(f for f in full.frames if time_s - 2.0 <= f.time_s <= time_s)
        frame = Frame(sample.playing(time_s), sample.grace_lyrics(), lyrics_s=time_s,
                      score=sc.showing(dataclasses.replace(full, frames=recent)))  # fmt: skip
        draw_singing_scene(surface, frame, res)

    for n in range(120):  # two seconds of line 0 at 60 fps
        at(5.0 + n / 60)
    assert res.lanes.redraws == 1
    at(12.5)  # line 1
    assert res.lanes.redraws == 2
    at(5.0)  # the host restarted the song: a new ink, the later trace gone
    assert res.lanes.redraws == 3
    _, memory = res.pitch.get(sheet, 0, 0, TOLERANCE_SEMITONES[Difficulty.NORMAL])
    assert max(point[0] for point in memory.points) <= 5.0


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("duet", [False, True], ids=["solo", "duet"])
def test_the_corner_score_and_its_ratings_keep_clear_of_the_overlays(
    size, duet, save_screen
) -> None:  # type: ignore[no-untyped-def]
    sheet = sc.grace_sheet(duet=duet)
    lyrics = sc.duet_lyrics() if duet else sample.grace_lyrics()
    longest = "Volume 85% · the host changed the key of this song to +3 for the next chorus " * 2
    notices = (ShownNotice("Key +2"), ShownNotice(longest, "warn"))
    res = Resources.create(*size)
    for at in (11.5, 18.5, 26.5):  # just after lines 0, 1 and 2: their ratings pop up
        parts = (1, 2) if duet else (0,)
        views = tuple(sc.view(sheet, at, part=part, score=98765) for part in parts)
        snapshot = dataclasses.replace(sample.playing(at), muted=True, settings=NightSettings())
        frame = Frame(snapshot, lyrics, lyrics_s=at, public_url=URL, notices=notices,
                      score=sc.showing(*views, notes_on=False))  # fmt: skip
        surface = pygame.Surface(size)
        drawn = draw_singing_scene(surface, frame, res)
        overlays = draw_notices(surface, frame, res, during_song=True)
        assert len(drawn.boxes) > len(parts)  # the scores and at least one rating
        for box in drawn.boxes:
            assert box.top >= res.theme.px(0.155) and box.bottom <= res.theme.px(BAND_BOTTOM)
            for rect in overlays:
                assert not box.colliderect(rect), (at, box, rect)
            for piece in drawn.pieces:
                assert not box.colliderect(piece.rect), (at, box, piece.text)
    save_screen(surface, f"corner-score-{'duet' if duet else 'solo'}-{size_id(size)}")


def test_a_song_without_a_score_says_why_in_the_corner() -> None:
    surface = pygame.Surface((1280, 720))
    res = Resources.create(1280, 720)
    show = dataclasses.replace(sc.showing(), no_score="no score: this song has no notes")
    frame = Frame(sample.playing(8.0), sample.grace_lyrics(), lyrics_s=8.0, score=show)
    drawn = draw_singing_scene(surface, frame, res)
    rows = [box for box in drawn.boxes if count(surface, box, (170, 176, 200)) > 50]  # dim text
    assert len(rows) == len(drawn.boxes) >= 1
    assert all(box.bottom <= res.theme.px(BAND_BOTTOM) for box in drawn.boxes)
    size, reason = res.theme.px(0.024), "No score: this song has no notes"
    room = notices_left(res.theme) - res.theme.px(0.01) - res.theme.margin
    rows = two_rows(res, reason, size, room)
    assert " ".join(rows) == reason and len(rows) == len(drawn.boxes) == 2  # whole, no "…"
    assert all(res.texts.width(row, size) <= room for row in rows)


def test_a_video_song_keeps_its_picture_and_shows_a_corner_score(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from appliance.display.screenshot import render_screenshot
    from appliance.display.video_scene import video_rect
    from appliance.library.formats.lyrics import Lyrics
    from appliance.library.scanning.registry import read_song_at
    from tests.support.video_gen import frame_number, write_counter_video

    song = read_song_at(str(write_counter_video(tmp_path / "Ada - Counter.mp4", seconds=2.0)))
    view = sc.view(sc.grace_sheet(), 1.0, score=6120)
    surface = render_screenshot(song, Lyrics(), at_s=1.0, size=(1280, 720),
                                score=sc.showing(view))  # fmt: skip
    res = Resources.create(1280, 720)
    picture = video_rect(res.theme, 16 / 9)
    assert frame_number(surface, picture) == 25  # the video's frame at 1.0 s, untouched
    assert count(surface, surface.get_rect(), note_lane.LANE_BG) == 0  # no lane
    band = pygame.Rect(0, res.theme.px(0.165), res.theme.width // 4, res.theme.px(0.16))
    assert count(surface, band, note_lane.lane_colors(0)[1]) > 30  # the corner score's text
