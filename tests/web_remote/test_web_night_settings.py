"""The night settings' rules are defined once (appliance.core.night_settings): the config loader,
the core and the OpenAPI document agree on every mode and range, at and just past each bound."""

from __future__ import annotations

import pytest

from appliance.config import parse_config
from appliance.core.errors import ConfigError, InvalidRequest
from appliance.core.night_settings import NightSettings
from web_remote.openapi import document

SCHEMA = document()["components"]["schemas"]["NightSettings"]["properties"]
RANGES = {"per_singer_limit": (1, 100), "countdown_s": (0, 600), "gap_s": (0, 600),
          "default_guide_level": (0, 1), "max_singers": (1, 1000)}  # fmt: skip
SWITCHES = ("home_mode", "qr_during_songs", "tv_notes", "show_leaderboard", "tv_backgrounds")


def test_the_document_describes_every_setting_with_its_range() -> None:
    assert SCHEMA["mode"] == {"enum": ["fair", "fifo"]}
    assert SCHEMA["score_difficulty"] == {"enum": ["easy", "normal", "hard"]}
    ranged = {k: v for k, v in SCHEMA.items() if k not in ("mode", "score_difficulty", *SWITCHES)}
    assert {k: (v["minimum"], v["maximum"]) for k, v in ranged.items()} == RANGES
    assert SCHEMA["per_singer_limit"]["type"] == "integer"
    assert {k: SCHEMA[k] for k in SWITCHES} == {k: {"type": "boolean"} for k in SWITCHES}


@pytest.mark.parametrize("key", SWITCHES)
def test_switches_take_true_or_false_only_in_both(key: str) -> None:
    assert getattr(parse_config(f"[rotation]\n{key} = true").rotation, key) is True
    assert getattr(NightSettings().changed({key: True}), key) is True
    with pytest.raises(ConfigError, match=key):
        parse_config(f"[rotation]\n{key} = 1")
    with pytest.raises(InvalidRequest, match="true or false"):
        NightSettings().changed({key: 1})


@pytest.mark.parametrize("key", sorted(RANGES))
def test_loader_and_core_take_the_bounds_and_refuse_past_them(key: str) -> None:
    low, high = RANGES[key]
    for value in (low, high):
        assert getattr(parse_config(f"[rotation]\n{key} = {value}").rotation, key) == value
        assert getattr(NightSettings().changed({key: value}), key) == value
    for value in (low - 1, high + 1):
        with pytest.raises(ConfigError, match=key):
            parse_config(f"[rotation]\n{key} = {value}")
        with pytest.raises(InvalidRequest, match=f"from {low} to {high}"):
            NightSettings().changed({key: value})


def test_a_mode_outside_the_documented_ones_is_refused_by_both() -> None:
    with pytest.raises(ConfigError, match="mode"):
        parse_config('[rotation]\nmode = "random"')
    with pytest.raises(InvalidRequest, match="'fair' or 'fifo'"):
        NightSettings().changed({"mode": "random"})
    with pytest.raises(InvalidRequest, match="unknown setting"):
        NightSettings().changed({"volume": 1})
    with pytest.raises(InvalidRequest, match="from 1 to 100"):
        NightSettings().changed({"per_singer_limit": 2.5})


def test_a_difficulty_outside_the_documented_ones_is_refused_by_both() -> None:
    assert parse_config('[rotation]\nscore_difficulty = "hard"').rotation.score_difficulty == "hard"
    with pytest.raises(ConfigError, match="score_difficulty"):
        parse_config('[rotation]\nscore_difficulty = "expert"')
    with pytest.raises(InvalidRequest, match="'easy' or 'normal' or 'hard'"):
        NightSettings().changed({"score_difficulty": "expert"})
