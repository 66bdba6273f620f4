"""The sound of a karaoke video goes through the engine like an MP3+G song's: its audio track
decoded into the transcode cache (PyAV, :mod:`appliance.audio.sources.avdecode`), so key and
tempo apply to it; ``karaoke export`` of a video song is the video's tone."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import soundfile as sf

from appliance.audio.sources.locate import needs_transcode
from appliance.cli import main
from appliance.core.catalog import Catalog
from appliance.core.config import RotationConfig
from appliance.core.models import MixSettings, SongKind
from appliance.core.paths import database_path
from appliance.core.service import Actor, Core
from appliance.core.store import Store
from appliance.library.scanning.registry import read_song_at
from appliance.library.scanning.scanner import scan_library
from tests.support.codec_audio import dominant_hz, rms
from tests.support.mp3g_audio import sounding_runs
from tests.support.video_gen import TONE_HZ, write_counter_video
from tests.support.waiting import eventually

HOST = Actor.host()

SECONDS = 3.0


@pytest.fixture
def state(tmp_path, monkeypatch):
    monkeypatch.delenv("KARAOKE_STATE_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("KARAOKE_CONFIG", str(tmp_path / "none.toml"))
    return tmp_path


def exported(path, out, *options: str) -> np.ndarray:
    assert main(["export", str(path), "--out", str(out), *options]) == 0
    written, rate = sf.read(out, dtype="float32", always_2d=True)
    assert rate == 48_000
    return written


@pytest.mark.parametrize("extension", [".mp4", ".webm"])
def test_export_of_a_video_song_is_its_tone(state, extension):
    path = write_counter_video(state / f"Ann - Tone (Karaoke Version){extension}", seconds=SECONDS)
    song = read_song_at(str(path))
    assert song.kind is SongKind.VIDEO and needs_transcode(song)
    written = exported(path, state / "out.wav")
    middle = written[len(written) // 4 : 3 * len(written) // 4]
    assert abs(dominant_hz(middle, 48_000) - TONE_HZ) < 0.5
    assert abs(len(written) / 48_000 - SECONDS) < 0.08
    assert rms(middle) > 0.01


def test_key_and_tempo_apply_to_a_video_song(state):
    path = write_counter_video(state / "Ann - Tone.mp4", seconds=SECONDS)
    written = exported(path, state / "up.wav", "--key", "2", "--tempo", "0.8")
    middle = written[len(written) // 4 : 3 * len(written) // 4]
    assert abs(dominant_hz(middle, 48_000) - TONE_HZ * 2 ** (2 / 12)) < 1.0
    assert abs(len(written) / 48_000 - SECONDS / 0.8) < 0.1


def test_a_damaged_video_fails_with_its_reason_and_the_next_one_is_heard(engine, tmp_path):
    """Through the real engine and ALSA: a video cut after the scan fails at play with the
    file's name and why; the next video song plays, and what ALSA received is its tone."""
    lib = tmp_path / "lib"
    lib.mkdir()
    write_counter_video(lib / "Ann - Good.mp4", seconds=SECONDS)
    cut = write_counter_video(lib / "Ann - Cut.mp4", seconds=SECONDS)
    (tmp_path / "db").mkdir()
    store = Store.open(database_path(tmp_path / "db"))
    assert not scan_library(str(lib), Catalog(store)).failures
    data = cut.read_bytes()
    cut.write_bytes(data[: len(data) // 2])  # damaged after the scan: found at play time
    rig = engine()
    core = Core(store, rig.client, rotation=RotationConfig(countdown_s=0.5))
    stop = threading.Event()
    thread = threading.Thread(target=core.run_forever, args=(stop,), daemon=True)
    thread.start()
    try:
        ada = core.join("Ada")
        songs = {song.title: song for song in Catalog(store).search("", limit=10)}
        for title in ("Cut", "Good"):
            core.queue_song(HOST, ada.singer_id, songs[title].song_id, MixSettings())
        done = lambda: len([i for i in core.history() if i.outcome != "playing"]) == 2  # noqa: E731
        assert eventually(done, 40), core.history()
        history = list(reversed(core.history()))
    finally:
        stop.set()
        thread.join(5)
    assert [(item.title, item.outcome) for item in history] == [
        ("Cut", "failed"),
        ("Good", "completed"),
    ]
    assert "Ann - Cut.mp4" in history[0].reason, history[0].reason
    capture = rig.capture()
    runs = sounding_runs(capture)
    assert len(runs) == 1, runs
    start, end = runs[0]
    assert abs((end - start) / 48_000 - SECONDS) < 0.1
    heard = capture[start + 24_000 : end - 24_000]
    assert abs(dominant_hz(heard, 48_000) - TONE_HZ) < 0.5
