"""``karaoke screenshot`` on a real song folder (a demo song), and the display's own state
loading that song's lyrics off the main thread."""

from __future__ import annotations

import os

import pygame
import pytest

from appliance.cli import main
from appliance.demosongs import build_demo_library
from appliance.library.formats.songfiles import load_lyrics
from appliance.library.songfolder.manifest import read_manifest


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "karaoke.toml"
    path.write_text(f'[state]\nstate_dir = "{tmp_path}"\n', encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def grace_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    return build_demo_library(root, songs=["demo-amazing-grace"])[0]


@pytest.mark.parametrize(
    ("scene", "size", "at"),
    [
        ("lyrics", "1920x1080", "20"),
        ("lyrics", "1280x720", "31.5"),
        ("upnext", "1280x720", "9"),
        ("idle", "1920x1080", "0"),
    ],
)
def test_screenshot_command_draws_a_scene_of_a_song(grace_folder, scene, size, at, config_file):
    out = os.path.abspath(f"tests/artifacts/screens/cli-{scene}-{at}s-{size}.png")
    code = main(
        [
            "--config",
            config_file,
            "screenshot",
            str(grace_folder),
            "--at",
            at,
            "--out",
            out,
            "--size",
            size,
            "--scene",
            scene,
            "--singer",
            "Ada",
        ]
    )
    assert code == 0
    image = pygame.image.load(out)
    assert image.get_size() == tuple(int(n) for n in size.split("x"))


def test_screenshot_refuses_a_bad_size(grace_folder, config_file, tmp_path, capsys):
    code = main(
        [
            "--config",
            config_file,
            "screenshot",
            str(grace_folder),
            "--out",
            str(tmp_path / "x.png"),
            "--size",
            "huge",
        ]
    )
    assert code == 2
    assert "--size" in capsys.readouterr().err


def test_the_demo_songs_lyrics_draw_at_a_word(grace_folder):
    from appliance.display.screenshot import render_screenshot

    song = read_manifest(grace_folder)
    lyrics = load_lyrics(song)
    word = next(w for line in lyrics.lines for w in line.words if w.end_s - w.start_s > 0.4)
    middle = (word.start_s + word.end_s) / 2
    surface = render_screenshot(song, lyrics, at_s=middle, size=(1280, 720))
    assert surface.get_size() == (1280, 720)


def test_screenshot_notes_draws_the_demo_song_s_own_notes(grace_folder, config_file):
    from appliance.display.note_lane import LANE_BG, NOTE_BODY
    from appliance.library.formats.score_sheet import load_score_sheet

    song = read_manifest(grace_folder)
    sheet = load_score_sheet(song)
    assert sheet is not None
    at = str(sheet.notes[3].start_s)

    def colours(*extra: str) -> set[tuple[int, ...]]:
        out = os.path.abspath(f"tests/artifacts/screens/cli-lyrics{'-notes' if extra else ''}.png")
        args = ["--config", config_file, "screenshot", str(grace_folder), "--at", at,
                "--out", out, "--size", "1280x720", *extra]  # fmt: skip
        assert main(args) == 0
        pixels = pygame.surfarray.array3d(pygame.image.load(out)).reshape(-1, 3)
        return {tuple(int(c) for c in pixel) for pixel in pixels[::5]}

    with_notes = colours("--notes")
    assert LANE_BG in with_notes and NOTE_BODY in with_notes
    assert LANE_BG not in colours()
