"""The `karaoke` commands as a person types them: output, exit codes, clear errors."""

from __future__ import annotations

import json

import pytest

from appliance.cli import main


@pytest.fixture
def configured(tmp_path, demo_library, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text(
        f'[library]\npaths = ["{demo_library}"]\n[state]\nstate_dir = "{tmp_path / "state"}"\n'
    )
    monkeypatch.setenv("KARAOKE_CONFIG", str(config))
    monkeypatch.delenv("KARAOKE_STATE_DIR", raising=False)
    return config


def test_help_for_every_command(capsys):
    for command in ("run", "demo", "scan", "songs", "queue", "doctor"):
        with pytest.raises(SystemExit) as exit_:
            main([command, "--help"])
        assert exit_.value.code == 0
        assert "usage: karaoke" in capsys.readouterr().out


def test_scan_then_search(configured, capsys):
    assert main(["scan"]) == 0
    assert "6 added" in capsys.readouterr().out
    assert main(["scan"]) == 0
    assert "6 unchanged" in capsys.readouterr().out
    assert main(["songs", "saints"]) == 0
    assert "When the Saints Go Marching In" in capsys.readouterr().out
    assert main(["songs", "--json", "susanna"]) == 0
    songs = json.loads(capsys.readouterr().out)
    assert [s["song_id"] for s in songs] == ["demo-oh-susanna"] and songs[0]["has_guide"]
    assert main(["songs", "nothing-like-this"]) == 1


def test_queue_of_an_empty_night(configured, capsys):
    assert main(["queue"]) == 0
    assert "the queue is empty" in capsys.readouterr().out
    assert main(["queue", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_doctor_reports_the_library(configured, capsys):
    main(["scan"])
    capsys.readouterr()
    main(["doctor"])
    out = capsys.readouterr().out
    assert "library: 6 songs" in out and "database" in out


def test_bad_input_gives_one_clear_line_and_status_2(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "bad.toml"
    bad.write_text('[rotation]\nmode = "chaos"\n')
    assert main(["--config", str(bad), "songs"]) == 2
    assert "must be one of fair, fifo" in capsys.readouterr().err
    monkeypatch.setenv("KARAOKE_CONFIG", str(tmp_path / "missing.toml"))
    assert main(["scan", str(tmp_path / "no-such-folder")]) == 2
    assert "is not a folder" in capsys.readouterr().err
