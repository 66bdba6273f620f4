"""The Player port's contract (tests/support/player_contract.py) run against the silent player.

The engine client runs the same contract in tests/audio/test_audio_player_contract.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.core.models import Song, SongId, Stem, StemRole
from appliance.core.ports import SystemClock
from appliance.core.silent_player import SilentPlayer
from tests.support.player_contract import PlayerContract


class TestSilentPlayer(PlayerContract):
    @pytest.fixture
    def player_and_song(self, tmp_path: Path) -> Iterator[tuple[SilentPlayer, Song]]:
        (tmp_path / "mix.flac").write_bytes(b"not decoded by the silent player")
        song = Song(
            SongId("contract"),
            "Contract",
            "Tests",
            3.0,
            str(tmp_path),
            stems=(Stem("mix", StemRole.MIX, "mix.flac"),),
        )
        player = SilentPlayer(SystemClock())
        player.start(period_s=0.01)
        yield player, song
        player.close()
