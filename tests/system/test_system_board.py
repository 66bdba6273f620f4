"""The board the box finds in the device tree, and the defaults it brings: each board's model
text written to a file that stands in for /proc/device-tree/model (the same bytes a Pi has: the
text ends with a NUL), read by the real detection and the real config loader."""

from __future__ import annotations

import json

import pytest

from appliance.cli import main
from appliance.config import load_config
from appliance.system import board as boards
from appliance.system.board import detect_board

MODELS = {
    "Raspberry Pi 5 Model B Rev 1.0": "pi5",
    "Raspberry Pi Compute Module 5 Rev 1.0": "pi5",
    "Raspberry Pi 4 Model B Rev 1.4": "pi4",
    "Raspberry Pi 400 Rev 1.0": "pi4",
    "Raspberry Pi 3 Model B Plus Rev 1.3": "pi3",
    "Raspberry Pi Zero 2 W Rev 1.0": "zero2",
    "Raspberry Pi 2 Model B Rev 1.1": "pi3",  # an older or unknown Pi: the Pi 3's defaults
}

# What each board defaults to with the floors in appliance/system/board.py (docs/performance.md).
EXPECTED = {
    "pi5": {"audio": {"quality": "r3"}, "display": {"size": "1280x720", "fps": 60}},
    "pi4": {"audio": {"quality": "r3"}, "display": {"size": "1280x720", "fps": 30}},
    "pi3": {"audio": {"quality": "r3"}, "display": {"size": "1280x720", "fps": 30}},
    "zero2": {"audio": {"quality": "r3"}, "display": {"size": "1280x720", "fps": 30}},
}


def model_file(tmp_path, text: str):
    path = tmp_path / "model"
    path.write_bytes(text.encode() + b"\0")
    return path


def empty_config(tmp_path):
    path = tmp_path / "empty.toml"
    path.write_text("")
    return path


@pytest.mark.parametrize("model", MODELS)
def test_each_board_is_found_and_its_defaults_fill_an_empty_config(tmp_path, model):
    board = detect_board(model_file(tmp_path, model))
    assert board.key == MODELS[model] and board.model == model
    defaults = board.config_defaults()
    assert defaults == EXPECTED[board.key]
    config = load_config(empty_config(tmp_path), defaults)
    assert config.audio.quality == defaults["audio"]["quality"]
    assert (config.display.size, config.display.fps) == (
        defaults["display"]["size"],
        defaults["display"]["fps"],
    )


def test_a_desktop_keeps_the_configs_own_defaults(tmp_path):
    for path in (tmp_path / "absent", model_file(tmp_path, "QEMU KVM Virtual Machine")):
        board = detect_board(path)
        assert board.key == "desktop" and board.config_defaults() == {}
    config = load_config(
        empty_config(tmp_path), detect_board(tmp_path / "absent").config_defaults()
    )
    assert (config.audio.quality, config.display.size, config.display.fps) == ("r3", "", 60)


def test_a_value_in_the_config_file_wins_over_the_boards(tmp_path):
    board = detect_board(model_file(tmp_path, "Raspberry Pi 3 Model B Plus Rev 1.3"))
    config_file = tmp_path / "box.toml"
    config_file.write_text('[display]\nfps = 50\n[audio]\nquality = "r2"\n')
    config = load_config(config_file, board.config_defaults())
    assert config.display.fps == 50 and config.audio.quality == "r2"
    assert config.display.size == "1280x720"  # not in the file: the board's


def test_every_board_states_what_keeps_less_than_2x_headroom():
    for spec in boards.BOARD_SPECS:
        board = boards.board_for(spec)
        room = board.headroom()
        assert len(room) == 3
        lacking = [part for part, (worst, _) in room.items() if worst < boards.HEADROOM]
        if lacking or board.tv != boards.TV_CHOICES[0]:
            assert board.short, spec.key  # never lowered or short in silence
        else:
            assert not board.short


def test_the_defaults_follow_the_floors(monkeypatch):
    """The choice is computed from the floors: a cheaper TV loop gives a Pi 4 a better TV."""
    pi4 = boards.BOARD_SPECS[1]
    cheap = {key: floor / 10 for key, floor in boards.TV_FLOOR.items()}
    monkeypatch.setattr(boards, "TV_FLOOR", cheap)
    assert boards.board_for(pi4).tv == ("1920x1080", 60)


def test_doctor_shows_the_board_and_the_defaults_it_chose(tmp_path, capsys, monkeypatch):
    config_file = tmp_path / "box.toml"
    config_file.write_text(f'[state]\nstate_dir = "{tmp_path / "state"}"\n[display]\nfps = 50\n')
    monkeypatch.setenv("KARAOKE_CONFIG", str(config_file))
    monkeypatch.setenv(
        "KARAOKE_BOARD_MODEL", str(model_file(tmp_path, "Raspberry Pi 4 Model B Rev 1.4"))
    )
    main(["doctor", "--json"])
    found = [
        r
        for r in json.loads(capsys.readouterr().out)
        if r["name"] in ("board", "board default", "headroom")
    ]
    details = [r["detail"] for r in found]
    assert details[0].startswith("Raspberry Pi 4 Model B Rev 1.4")
    assert "[audio] quality = 'r3' (board default)" in details
    assert "[display] size = '1280x720' (board default)" in details
    assert "[display] fps = 50 (set in the config; the board's: 30)" in details
    assert any(r["name"] == "headroom" and r["detail"].startswith("engine (R3)") for r in found)
