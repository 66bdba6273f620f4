"""What sits over the TV's scenes (issue 13, point 7), at 1920x1080, 1280x720 and 4:3: a mute
sign for as long as the box is muted; notices 5% of the screen high that never cover a lyric
row (during songs) or the join address (between songs); a small join QR code in a corner
during songs that decodes to the remote's address, switched by the night's setting."""

from __future__ import annotations

import dataclasses

import numpy
import pygame
import pytest

from appliance.core.night_settings import NightSettings
from appliance.core.snapshot import PlaybackState, Snapshot
from appliance.display.frame import Frame, ShownNotice
from appliance.display.lyrics_scene import draw_lyrics_scene
from appliance.display.overlays import draw_notices, notice_px
from appliance.display.render import render
from tests.support import display_scenes as sample
from tests.support.display_scenes import decoded

SIZES = [(1920, 1080), (1280, 720), (1024, 768)]
URL = "http://192.168.178.23:8080/"
LONG = "Volume 85% · the host changed the key of this song to +3 semitones for the next chorus"
NOTICES = (ShownNotice("Key +2"), ShownNotice(LONG, "warn"), ShownNotice("Muted", "info"))


def muted(snapshot: Snapshot, qr: bool = True) -> Snapshot:
    settings = NightSettings(qr_during_songs=qr)
    return dataclasses.replace(snapshot, muted=True, settings=settings)


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_during_a_song_notices_never_cover_a_lyric_row(size, resources, save_screen) -> None:  # type: ignore[no-untyped-def]
    res = resources(*size)
    surface = pygame.Surface(size)
    for at in (5.3, 13.2, 20.0, 28.0):  # first line, later lines, wrapped rows
        frame = Frame(muted(sample.playing(at)), sample.grace_lyrics(), lyrics_s=at,
                      public_url=URL, notices=NOTICES)  # fmt: skip
        pieces = draw_lyrics_scene(surface, frame, res)
        assert pieces, "lyric rows are drawn"
        overlays = draw_notices(surface, frame, res, during_song=True)
        assert len(overlays) >= 3  # mute sign, QR code, at least one notice
        for rect in overlays:
            for piece in pieces:
                assert not rect.colliderect(piece.rect), (rect, piece.text)
    assert notice_px(res.theme) >= round(res.theme.unit * 0.049)  # was 3.6 %
    save_screen(surface, f"overlays-song-muted-{size_id(size)}")


@pytest.mark.parametrize("size", SIZES, ids=size_id)
def test_the_corner_qr_decodes_and_the_host_can_turn_it_off(size, resources) -> None:  # type: ignore[no-untyped-def]
    res = resources(*size)
    surface = pygame.Surface(size)
    playing = sample.playing(5.3)
    render(surface, Frame(muted(playing), sample.grace_lyrics(), 5.3, public_url=URL), res)
    assert decoded(surface) == {URL}
    render(surface, Frame(muted(playing, qr=False), sample.grace_lyrics(), 5.3, public_url=URL),
           res)  # fmt: skip
    assert decoded(surface) == set()


def address_bottom(snapshot: Snapshot, res, size) -> int:  # type: ignore[no-untyped-def]
    """The lowest row where the join QR code and its address are drawn: the rows that change
    when only the address changes."""
    shots = []
    for url in (URL, "http://10.0.0.7/"):
        surface = pygame.Surface(size)
        render(surface, Frame(snapshot, public_url=url), res)
        shots.append(pygame.surfarray.array3d(surface))
    changed = numpy.any(shots[0] != shots[1], axis=2)  # [x, y]
    return int(numpy.nonzero(changed.any(axis=0))[0].max())


@pytest.mark.parametrize("size", SIZES, ids=size_id)
@pytest.mark.parametrize("scene", ["idle", "upnext"])
def test_between_songs_notices_stay_below_the_join_address(
    scene, size, resources, save_screen
) -> None:  # type: ignore[no-untyped-def]
    res = resources(*size)
    snapshot = muted(sample.idle() if scene == "idle" else sample.up_next())
    bottom = address_bottom(snapshot, res, size)
    surface = pygame.Surface(size)
    frame = Frame(snapshot, public_url=URL, notices=NOTICES)
    render(surface, frame, res)
    overlays = draw_notices(surface, frame, res)
    assert len(overlays) == 2  # the mute sign and the newest notice
    for rect in overlays:
        assert rect.top > bottom, (rect, bottom)
        assert rect.bottom <= size[1]
    assert decoded(surface) == {URL}
    save_screen(surface, f"overlays-{scene}-muted-{size_id(size)}")


def test_the_mute_sign_stays_while_muted_and_goes_with_it(resources) -> None:  # type: ignore[no-untyped-def]
    res = resources(1280, 720)
    surface = pygame.Surface((1280, 720))
    paused = sample.playing(13.2, state=PlaybackState.PAUSED)
    frame = Frame(muted(paused), sample.grace_lyrics(), 13.2)
    render(surface, frame, res)
    sign = draw_notices(surface, frame, res, during_song=True)[0]
    before = pygame.surfarray.array3d(surface.subsurface(sign)).copy()
    render(surface, dataclasses.replace(frame, snapshot=paused), res)
    after = pygame.surfarray.array3d(surface.subsurface(sign))
    assert (before != after).any(), "unmuted, the sign is gone"
    render(surface, frame, res)  # and muted again, long after any notice faded
    assert (pygame.surfarray.array3d(surface.subsurface(sign)) == before).all()
