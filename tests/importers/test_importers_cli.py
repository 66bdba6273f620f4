"""``karaoke import``: default destination, progress, end report, exit status, scan after."""

from __future__ import annotations

import shutil

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
