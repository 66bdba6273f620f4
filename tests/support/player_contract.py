"""The ``Player`` port's contract (appliance/core/ports.py), written once.

An implementation's test module subclasses :class:`PlayerContract` as ``Test...`` and gives
the ``player_and_song`` fixture: a started player and a playable song of at least 3 s whose
stems are real files (it closes the player after the yield). Every test here then runs against
that implementation::

    class TestSilentPlayer(PlayerContract):
        @pytest.fixture
        def player_and_song(self, tmp_path):
            ...
            yield player, song
            player.close()
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.core.errors import SongLoadError
from appliance.core.models import MixSettings, Song, SongId
from appliance.core.ports import Player
from tests.support.waiting import eventually

Contract = tuple[Player, Song, "Recorder"]


class Recorder:
    """A ``PlayerListener`` that keeps what it is told."""

    def __init__(self) -> None:
        self.ended: list[str] = []
        self.failed: list[tuple[str, str]] = []
        self.done = threading.Event()

    def on_song_ended(self, song_id: str) -> None:
        self.ended.append(song_id)
        self.done.set()

    def on_song_failed(self, song_id: str, reason: str) -> None:
        self.failed.append((song_id, reason))
        self.done.set()

    def on_device_problem(self, message: str) -> None:
        pass

    def on_audio_priority(self, description: str) -> None:
        pass

    def on_pitch_frames(self, frames: tuple[object, ...]) -> None:
        pass

    def on_mic_notice(self, mic: int, message: str) -> None:
        pass


class PlayerContract:
    """The contract's tests; subclasses provide the ``player_and_song`` fixture."""

    @pytest.fixture
    def player_and_song(self) -> Iterator[tuple[Player, Song]]:
        raise NotImplementedError("a PlayerContract subclass provides player_and_song")

    @pytest.fixture
    def contract(self, player_and_song: tuple[Player, Song]) -> Iterator[Contract]:
        player, song = player_and_song
        recorder = Recorder()
        player.set_listener(recorder)
        yield player, song, recorder
        player.stop()

    def test_position_advances_pauses_and_seeks(self, contract: Contract) -> None:
        player, song, _ = contract
        player.play(song, MixSettings())
        assert eventually(lambda: player.position_s() > 0.2)
        player.pause()
        time.sleep(0.1)
        held = player.position_s()
        time.sleep(0.3)
        assert abs(player.position_s() - held) < 0.05
        player.resume()
        assert eventually(lambda: player.position_s() > held + 0.1)
        player.seek(2.0)
        assert eventually(lambda: 1.9 <= player.position_s() <= 2.6)

    def test_end_of_song_is_reported_once(self, contract: Contract) -> None:
        player, song, recorder = contract
        player.play(song, MixSettings(), start_s=song.duration_s - 0.5)
        assert recorder.done.wait(5.0)
        time.sleep(0.2)
        assert recorder.ended == [song.song_id] and recorder.failed == []

    def test_tempo_changes_the_pace(self, contract: Contract) -> None:
        player, song, _ = contract
        player.play(song, MixSettings(tempo_ratio=0.5))
        time.sleep(1.0)
        slow = player.position_s()
        assert 0.3 <= slow <= 0.7, slow

    def test_missing_stem_file_fails_to_load(self, contract: Contract, tmp_path: Path) -> None:
        player, song, _ = contract
        missing = Song(
            SongId("missing"), "M", "T", 3.0, str(tmp_path / "nowhere"), stems=song.stems
        )
        with pytest.raises(SongLoadError):
            player.play(missing, MixSettings())

    def test_stop_reports_nothing(self, contract: Contract) -> None:
        player, song, recorder = contract
        player.play(song, MixSettings(), start_s=song.duration_s - 0.3)
        player.stop()
        time.sleep(0.6)
        assert recorder.ended == []
