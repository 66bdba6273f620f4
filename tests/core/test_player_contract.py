"""The Player port's contract. Every implementation runs these same tests.

Implementations register a factory in ``PLAYER_FACTORIES``: it returns ``(player, song,
cleanup)`` for a playable ``song`` of at least 3 s whose stems are real files. The silent
player is here; the engine client (appliance.audio) adds itself from tests/audio.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from appliance.core.errors import SongLoadError
from appliance.core.models import MixSettings, Song, SongId, Stem, StemRole
from appliance.core.ports import Player, SystemClock
from appliance.core.silent_player import SilentPlayer

Factory = Callable[[Path], tuple[Player, Song, Callable[[], None]]]


def silent_player_factory(folder: Path) -> tuple[Player, Song, Callable[[], None]]:
    (folder / "mix.flac").write_bytes(b"not decoded by the silent player")
    song = Song(
        SongId("contract"),
        "Contract",
        "Tests",
        3.0,
        str(folder),
        stems=(Stem("mix", StemRole.MIX, "mix.flac"),),
    )
    player = SilentPlayer(SystemClock())
    player.start(period_s=0.01)
    return player, song, player.close


PLAYER_FACTORIES: dict[str, Factory] = {"silent": silent_player_factory}


class Recorder:
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


@pytest.fixture(params=sorted(PLAYER_FACTORIES))
def contract(request, tmp_path):
    player, song, cleanup = PLAYER_FACTORIES[request.param](tmp_path)
    recorder = Recorder()
    player.set_listener(recorder)
    yield player, song, recorder
    player.stop()
    cleanup()


def wait_for(predicate: Callable[[], bool], timeout_s: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def test_position_advances_pauses_and_seeks(contract):
    player, song, _ = contract
    player.play(song, MixSettings())
    assert wait_for(lambda: player.position_s() > 0.2)
    player.pause()
    time.sleep(0.1)
    held = player.position_s()
    time.sleep(0.3)
    assert abs(player.position_s() - held) < 0.05
    player.resume()
    assert wait_for(lambda: player.position_s() > held + 0.1)
    player.seek(2.0)
    assert wait_for(lambda: 1.9 <= player.position_s() <= 2.6)


def test_end_of_song_is_reported_once(contract):
    player, song, recorder = contract
    player.play(song, MixSettings(), start_s=song.duration_s - 0.5)
    assert recorder.done.wait(5.0)
    time.sleep(0.2)
    assert recorder.ended == [song.song_id] and recorder.failed == []


def test_tempo_changes_the_pace(contract):
    player, song, _ = contract
    player.play(song, MixSettings(tempo_ratio=0.5))
    time.sleep(1.0)
    slow = player.position_s()
    assert 0.3 <= slow <= 0.7, slow


def test_missing_stem_file_fails_to_load(contract, tmp_path):
    player, song, _ = contract
    missing = Song(SongId("missing"), "M", "T", 3.0, str(tmp_path / "nowhere"), stems=song.stems)
    with pytest.raises(SongLoadError):
        player.play(missing, MixSettings())


def test_stop_reports_nothing(contract):
    player, song, recorder = contract
    player.play(song, MixSettings(), start_s=song.duration_s - 0.3)
    player.stop()
    time.sleep(0.6)
    assert recorder.ended == []
