"""Configuration: typed sections, every error at once, did-you-mean."""

from __future__ import annotations

import pytest

from appliance.config import Config, load_config, parse_config
from appliance.core.errors import ConfigError


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("KARAOKE_CONFIG", raising=False)
    config = load_config()
    assert config == Config() or str(tmp_path) not in str(config)


def test_values_are_typed():
    config = parse_config(
        '[audio]\ndevice = "USB"\nvolume = 1\n[web]\nport = 80\n[library]\npaths = ["/a", "/b"]'
    )
    assert config.audio.device == "USB" and config.audio.volume == 1.0
    assert config.web.port == 80 and config.library.paths == ("/a", "/b")


def test_every_problem_is_reported_at_once():
    text = """
[rotation]
mode = "random"
per_singer_limt = 3
countdown_s = "soon"
[audio]
quality = "r4"
blocksize = 5
[displya]
fps = 60
"""
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "box.toml")
    problems = caught.value.problems
    assert len(problems) == 6, problems
    message = str(caught.value)
    assert "did you mean 'per_singer_limit'" in message
    assert "did you mean 'display'" in message
    assert "must be one of fair, fifo" in message
    assert "must be a number, not 'soon'" in message
    assert "between 32 and 8192" in message


def test_broken_toml_and_unreadable_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        parse_config("[audio\n")
    bad = tmp_path / "c.toml"
    bad.write_bytes(b"\xff\xfe")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(bad)


def test_xdg_directories(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert Config().state_dir() == tmp_path / "state" / "karaoke"
    configured = parse_config(f'[state]\nstate_dir = "{tmp_path}/x"')
    assert configured.state_dir() == tmp_path / "x"


def test_documented_defaults_are_the_real_defaults():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "configuration.md").read_text()
    block = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    assert parse_config(block, "docs/configuration.md") == Config()
