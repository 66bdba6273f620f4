"""Every scene at 1920x1080, 1280x720 and 4:3, saved to tests/artifacts/screens/ to look at;
and the hard cases (long names and lines, empty or missing lyrics, markup, control characters,
many scripts, duets) drawn without error and without text leaving the screen."""

from __future__ import annotations

import pygame
import pytest

from appliance.core.models import MixSettings
from appliance.core.snapshot import PlaybackState
from appliance.display.frame import Frame
from appliance.display.lyrics_scene import draw_lyrics_scene
from appliance.display.render import render
from appliance.library.formats.lrc import parse_lrc
from appliance.library.formats.lyrics import LyricLine, Lyrics, Word
from tests.support import display_scenes as sample

URL = "http://192.168.1.20:8080/"
WIFI = "WIFI:T:WPA;S:Karaoke Box;P:sing-along-42;;"
SIZES = [(1920, 1080), (1280, 720), (1024, 768)]


def frames() -> dict[str, Frame]:
    grace = sample.grace_lyrics()
    key_tempo = MixSettings(key_semitones=2, tempo_ratio=0.8, guide_level=0.0)
    return {
        "lyrics": Frame(sample.playing(5.3, key_tempo), grace, lyrics_s=5.3),
        "lyrics-intro": Frame(
            sample.playing(1.5, the_song=sample.song(bpm=90)), grace, lyrics_s=1.5
        ),
        "lyrics-break": Frame(sample.playing(36.0), grace, lyrics_s=36.0),
        "lyrics-countin": Frame(sample.playing(39.6), grace, lyrics_s=39.6),
        "lyrics-paused": Frame(
            sample.playing(13.2, state=PlaybackState.PAUSED), grace, lyrics_s=13.2
        ),
        "upnext": Frame(sample.up_next(12.0), None, public_url=URL),
        "upnext-wifi": Frame(
            sample.up_next(12.0),
            None,
            public_url="http://10.42.0.1/",
            wifi_payload=WIFI,
            wifi_name="Karaoke Box",
        ),
        "idle": Frame(sample.idle(), None, public_url=URL),
        "idle-wifi": Frame(
            sample.idle(),
            None,
            public_url="http://10.42.0.1/",
            wifi_payload=WIFI,
            wifi_name="Karaoke Box",
        ),
    }


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_scene_renders_and_is_saved(size, resources, save_screen):
    surface = pygame.Surface(size)
    for name, frame in frames().items():
        scene = render(surface, frame, resources(*size))
        assert scene == name.split("-")[0]
        save_screen(surface, f"{name}-{size[0]}x{size[1]}")


def assert_on_screen(drawn, size, res):
    """Every piece inside the screen, between the header and the footer."""
    theme = res.theme
    area = pygame.Rect(0, theme.px(0.155), size[0], size[1] - theme.px(0.11) - theme.px(0.155))
    for piece in drawn:
        assert area.contains(piece.rect), f"{piece.text!r} at {piece.rect} leaves {area}"


LONG_LINE = " ".join(f"<00:{22 + i * 1.2:05.2f}>supercalifragilistic{i}" for i in range(14))
NASTY = (
    "[00:10.00]<00:10.00>Zoë <00:11.00>Ça <00:12.00>Ωμέγα <00:13.00>Всё <00:14.00>夜空ノムコウ"
    "<00:15.00>사랑<00:16.00>\n"
    "[00:17.00]<00:17.00>君の名は。このまま時が止まればいいのにと願った夜の空に星が流れて消えていった"
    "<00:21.00>\n"
    f"[00:22.00]{LONG_LINE}<00:40.00>\n"
)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("at_s", [10.5, 18.0, 35.0])
def test_long_lines_any_script_stay_on_screen(size, at_s, resources, save_screen):
    name = "Bartholomew-Maximilian Featherstonehaugh the Third of Aberdeen"[:40]
    title = "A Very Long Song Title That Goes On And On (Extended Twelve-Inch Remix) " * 2
    snapshot = sample.playing(at_s, name=name, the_song=sample.song(title, artist="Someone " * 12))
    surface = pygame.Surface(size)
    drawn = draw_lyrics_scene(surface, Frame(snapshot, parse_lrc(NASTY), lyrics_s=at_s),
                              resources(*size))  # fmt: skip
    assert drawn
    assert_on_screen(drawn, size, resources(*size))
    save_screen(surface, f"hard-lines-{at_s:g}s-{size[0]}x{size[1]}")


def test_markup_and_control_characters_are_drawn_as_plain_text(resources, save_screen):
    title = "<b>Bold</b> \x1b[31mred\x00 & <script>alert(1)</script>\ttab\nnewline"
    snapshot = sample.playing(
        5.0, name="<i>Eve</i> &amp;", the_song=sample.song(title, artist="\u202e")
    )
    lyrics = Lyrics(lines=(LyricLine((Word("<u>la\x00la\x07</u> ", 4.0, 6.0),)),))
    for scene_snapshot in (
        snapshot,
        sample.up_next(upcoming=(sample.item("<b>x</b>\x1b", title, 30),)),
    ):
        surface = pygame.Surface((1280, 720))
        assert render(surface, Frame(scene_snapshot, lyrics, lyrics_s=5.0, public_url=URL),
                      resources(1280, 720)) != "fallback"  # fmt: skip
    save_screen(surface, "markup-upnext-1280x720")


@pytest.mark.parametrize("lyrics", [None, Lyrics(), Lyrics(lines=(LyricLine((), at_s=3.0),))],
                         ids=["loading", "no-lyrics-file", "only-breaks"])  # fmt: skip
def test_songs_without_lyrics_show_title_and_a_message(lyrics, resources, save_screen, request):
    surface = pygame.Surface((1920, 1080))
    frame = Frame(sample.playing(20.0), lyrics, lyrics_s=20.0)
    assert render(surface, frame, resources()) == "lyrics"
    save_screen(surface, f"no-lyrics-{request.node.callspec.id}-1920x1080")


def test_duet_parts_sing_in_their_own_colours(resources, save_screen):
    duet = parse_lrc(
        "[00:05.00]M: <00:05.00>When <00:06.00>you're <00:07.00>near<00:08.00>\n"
        "[00:06.00]F: <00:06.00>I'm <00:07.00>here <00:08.00>too<00:09.00>\n"
        "[00:10.00]D: <00:10.00>Both <00:11.00>of <00:12.00>us<00:13.00>\n"
    )
    surface = pygame.Surface((1920, 1080))
    drawn = draw_lyrics_scene(surface, Frame(sample.playing(7.5), duet, lyrics_s=7.5), resources())
    sung_by_line = {piece.text.strip(): piece.sung for piece in drawn}
    assert sung_by_line["When"] != sung_by_line["I'm"] != sung_by_line["Both"]
    save_screen(surface, "duet-1920x1080")


def test_a_failing_scene_draws_the_fallback_and_the_next_frame_recovers(resources):
    surface = pygame.Surface((1280, 720))
    broken = Lyrics(lines=(LyricLine(words=("not a word",)),))  # type: ignore[arg-type]
    res = resources(1280, 720)
    assert render(surface, Frame(sample.playing(5.0), broken, lyrics_s=5.0), res) == "fallback"
    assert surface.get_at((5, 5))[:3] != (0, 0, 0)
    assert (
        render(surface, Frame(sample.playing(5.0), sample.grace_lyrics(), lyrics_s=5.0), res)
        == "lyrics"
    )


def test_notices_fade_in_and_out_over_every_scene(resources, save_screen):
    from appliance.display.frame import ShownNotice

    notices = (
        ShownNotice("Library: 1200 / 3000 songs scanned"),
        ShownNotice("Key +2   Tempo 80%", alpha=0.5),
        ShownNotice("Song skipped: Bohemian Rhapsody: a stem file is corrupt", "error"),
    )
    surface = pygame.Surface((1920, 1080))
    for name, frame in frames().items():
        if name in ("lyrics", "upnext", "idle"):
            shown = Frame(frame.snapshot, frame.lyrics, frame.lyrics_s, public_url=URL,
                          notices=notices)  # fmt: skip
            render(surface, shown, resources())
            save_screen(surface, f"notices-{name}-1920x1080")


def test_a_singer_named_like_an_html_attack_shows_as_those_characters(resources, save_screen):
    """The phone remote's XSS case on the TV: the name is drawn as its literal characters."""
    from appliance.display.fonts import clean_text

    name = "<img src=x onerror=alert(1)>"
    assert clean_text(name) == name  # nothing is interpreted or dropped
    surface = pygame.Surface((1920, 1080))
    frame = Frame(sample.up_next(upcoming=(sample.item(name, "Amazing Grace", 12),)), None,
                  lyrics_s=0.0, public_url=URL)  # fmt: skip
    assert render(surface, frame, resources()) == "upnext"
    save_screen(surface, "xss-name-upnext-1920x1080")


def test_emoji_in_a_name_are_drawn_in_colour_not_as_boxes(resources, save_screen):
    """'Ana 😀' on the up-next scene: the emoji comes from Noto Color Emoji (yellow pixels where
    a missing glyph would be a white box outline), scaled to the text's size."""
    res = resources()
    texts, fonts = res.texts, res.texts.fonts
    assert fonts.emoji_path.endswith("NotoColorEmoji.ttf"), "scripts/setup.sh installs it"
    assert fonts.runs("Ana 😀🎤") == [("Ana ", False), ("😀🎤", True)]
    assert fonts.runs("Ana #1") == [("Ana #1", False)]  # digits and '#' stay text
    assert fonts.runs("👍🏽 Bob") == [("👍🏽", True), (" Bob", False)]  # skin tone joins the emoji
    drawn = texts.render("Ana 😀", 60, (255, 255, 255), (0, 0, 0))
    plain = texts.render("Ana ", 60, (255, 255, 255), (0, 0, 0))
    emoji = drawn.subsurface((plain.get_width(), 0, drawn.get_width() - plain.get_width(),
                              drawn.get_height()))  # fmt: skip
    pixels = (
        emoji.get_at((x, y)) for x in range(emoji.get_width()) for y in range(emoji.get_height())
    )
    yellow = sum(1 for c in pixels if c.r > 200 and c.g > 140 and c.b < 90)
    assert yellow > 0.2 * emoji.get_width() * emoji.get_height()
    assert 0.8 * 60 <= emoji.get_width() <= 1.4 * 60  # one emoji about one em wide
    assert texts.width("Ana 😀", 60) == drawn.get_width() - texts.shadow_px(60)
    surface = pygame.Surface((1920, 1080))
    frame = Frame(sample.up_next(upcoming=(sample.item("Ana 😀🎤", "Amazing Grace", 12),)), None,
                  lyrics_s=0.0, public_url=URL)  # fmt: skip
    assert render(surface, frame, res) == "upnext"
    save_screen(surface, "emoji-name-upnext-1920x1080")


@pytest.mark.parametrize("mode", ["fair", "fifo"])
def test_the_idle_scene_says_how_the_queue_runs_tonight(mode, resources, save_screen):
    """'The queue is fair' only when it is: first-come nights say so instead."""
    from dataclasses import replace

    from appliance.core.night_settings import NightSettings
    from appliance.display import waiting_scenes

    drawn: list[str] = []
    res = resources()
    real_text = res.text

    def recording_text(surface, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        drawn.append(text)
        return real_text(surface, text, *args, **kwargs)

    res.text = recording_text  # type: ignore[method-assign]
    try:
        snapshot = replace(sample.idle(), settings=NightSettings(mode=mode))
        surface = pygame.Surface((1920, 1080))
        assert render(surface, Frame(snapshot, None, public_url=URL), res) == "idle"
    finally:
        del res.text
    assert waiting_scenes.IDLE_HINTS[mode] in drawn
    assert ("fair" in waiting_scenes.IDLE_HINTS[mode]) == (mode == "fair")
    save_screen(surface, f"idle-{mode}-1920x1080")
