"""The core's Player contract (tests/core/test_player_contract.py) run against the engine
client, playing through the real ALSA path on the JACK dummy clock."""

from __future__ import annotations

import pytest

from appliance.audio.client import EngineClient
from appliance.audio.device import EngineOptions
from tests.core.test_player_contract import (
    Recorder,
    test_end_of_song_is_reported_once,
    test_missing_stem_file_fails_to_load,
    test_position_advances_pauses_and_seeks,
    test_stop_reports_nothing,
    test_tempo_changes_the_pace,
)
from tests.support.audio_songs import make_song, music

__all__ = [
    "test_end_of_song_is_reported_once",
    "test_missing_stem_file_fails_to_load",
    "test_position_advances_pauses_and_seeks",
    "test_stop_reports_nothing",
    "test_tempo_changes_the_pace",
]


@pytest.fixture
def contract(jack, tmp_path):
    """The engine client instead of the silent player."""
    song = make_song(tmp_path / "contract", {"mix": ("mix", music(3.0))})
    env = jack.alsa_env(tmp_path / "home", 2)
    player = EngineClient(EngineOptions(env=env, routing="stereo"))
    recorder = Recorder()
    player.set_listener(recorder)
    yield player, song, recorder
    player.stop()
    player.close()
