"""``karaoke import``: default destination, progress, end report, exit status, scan after."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from appliance.cli import main
from tests.support.importer_songs import build_kar, build_ultrastar


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        f'[library]\npaths = ["{tmp_path / "library"}"]\n'
        f'[state]\nstate_dir = "{tmp_path / "state"}"\n'
    )
    return path


def test_import_into_the_library_then_search_finds_it(tmp_path, config, capsys):
    source = tmp_path / "in"
    build_ultrastar(source / "Tone Song")
    (source / "broken.kar").write_bytes(b"MThd broken")
    status = main(["--config", str(config), "import", str(source)])
    out = capsys.readouterr()
    assert status == 1  # a song was skipped
    assert "1 imported, 1 skipped" in out.out
    assert "skipped" in out.out and "broken.kar" in out.out
    assert "[" in out.err and "2/2" in out.err  # the progress bar
    assert (tmp_path / "library" / "Test Band - Tone Song" / "song.toml").is_file()
    assert "scanned" in out.out
    assert main(["--config", str(config), "songs", "tone"]) == 0
    assert "Tone Song - Test Band" in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("fluidsynth") is None, reason="FluidSynth not installed")
def test_import_kar_to_a_folder_without_scanning(tmp_path, config, capsys):
    source = build_kar(tmp_path / "test.kar")
    dest = tmp_path / "elsewhere"
    args = ["--config", str(config), "import", str(source), "--to", str(dest), "--no-scan"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "1 imported" in out and "scanned" not in out
    assert (dest / "Test Song" / "guide.flac").is_file()


def test_import_without_a_library_needs_to(tmp_path, capsys):
    bare = tmp_path / "bare.toml"
    bare.write_text(f'[state]\nstate_dir = "{tmp_path / "state"}"\n')
    assert main(["--config", str(bare), "import", str(tmp_path)]) == 2
    assert "--to" in capsys.readouterr().err


def test_an_imported_ultrastar_song_keeps_its_video_and_its_gap(tmp_path, config, capsys):
    from appliance.library.formats.songfiles import song_backdrop
    from appliance.library.scanning.registry import read_song_at
    from tests.support.backdrop_songs import write_ultrastar_video_song

    source = tmp_path / "in" / "Ada - Stars"
    write_ultrastar_video_song(source, gap_s=1.5, seconds=2, own_audio=True)
    dest = tmp_path / "out"
    assert (
        main(["--config", str(config), "import", str(source), "--to", str(dest), "--no-scan"]) == 0
    )
    (manifest,) = dest.glob("*/song.toml")
    backdrop = song_backdrop(read_song_at(str(manifest)))
    assert backdrop is not None and backdrop.is_video and backdrop.gap_s == 1.5
    assert Path(backdrop.path).read_bytes() == (source / "clip.mp4").read_bytes()
    assert Path(backdrop.path).parent == manifest.parent


def test_an_imported_ultrastar_song_keeps_its_background_picture(tmp_path, config, capsys):
    from appliance.library.formats.songfiles import song_backdrop
    from appliance.library.scanning.registry import read_song_at

    txt = build_ultrastar(tmp_path / "in" / "Tone Song")
    source = txt.parent
    (source / "cover BG.png").write_bytes(b"\x89PNG not really drawn here")
    txt.write_text("#BACKGROUND:cover BG.png\n" + txt.read_text("utf-8"), "utf-8")
    dest = tmp_path / "out"
    assert (
        main(["--config", str(config), "import", str(source), "--to", str(dest), "--no-scan"]) == 0
    )
    (manifest,) = dest.glob("*/song.toml")
    backdrop = song_backdrop(read_song_at(str(manifest)))
    assert backdrop is not None and not backdrop.is_video
    assert Path(backdrop.path).name == "background.png"
