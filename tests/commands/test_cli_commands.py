"""The `karaoke` commands as a person types them: output, exit codes, clear errors."""

from __future__ import annotations

import json

import pytest

from appliance.cli import main
from appliance.core.paths import database_path


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


def test_queue_shows_the_saved_rotation_and_leaves_the_night_as_it_was(
    configured, tmp_path, capsys
):
    from appliance.core.ports import ManualClock
    from appliance.core.service import Actor, Core
    from appliance.core.silent_player import SilentPlayer
    from appliance.core.store import Store

    assert main(["scan"]) == 0
    store = Store.open(database_path(tmp_path / "state"))
    clock = ManualClock()
    core = Core(store, SilentPlayer(clock, check_files=False), clock=clock)
    first, second = (song.song_id for song in core.search("", limit=2))
    for name, song_id in (("Ada", first), ("Bob", second), ("Ada", second)):
        singer = core.join(name)
        core.queue_song(Actor.host(), singer.singer_id, song_id)
    core.start_next_now(Actor.host())  # Ada sings: Bob is locked next, then Ada again
    core.close()
    store.close()
    capsys.readouterr()
    assert main(["queue", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["position"], r["singer"], r["song_id"]) for r in rows] == [
        (1, "Bob", second),
        (2, "Ada", second),
    ]
    assert main(["queue"]) == 0
    assert capsys.readouterr().out.startswith("  1. Bob: ")
    store = Store.open(database_path(tmp_path / "state"))
    try:  # a running box's song is not cut: the command only reads
        assert store.query("SELECT outcome FROM history") == [("playing",)]
    finally:
        store.close()
