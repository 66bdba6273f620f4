"""The Player port's contract (tests/support/player_contract.py) run against the engine
client, playing through the real ALSA path on the JACK dummy clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.audio.engine.client import EngineClient
from appliance.audio.engine.device import EngineOptions
from appliance.core.models import Song
from tests.support.alsa_rig import JackServer
from tests.support.audio_songs import make_song, music
from tests.support.player_contract import PlayerContract


class TestEngineClient(PlayerContract):
    @pytest.fixture
    def player_and_song(
        self, jack: JackServer, tmp_path: Path
    ) -> Iterator[tuple[EngineClient, Song]]:
        song = make_song(tmp_path / "contract", {"mix": ("mix", music(3.0))})
        env = jack.alsa_env(tmp_path / "home", 2)
        player = EngineClient(EngineOptions(env=env, routing="stereo"))
        yield player, song
        player.close()
