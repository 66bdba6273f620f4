"""A paced run on JACK's real-time dummy clock (256-frame blocks, 48 kHz) while the main
process keeps Python threads busy, standing in for the screen and the web remote: the engine,
in its own process, must not underflow. The long soak is in tests/bench/bench_engine.py."""

from __future__ import annotations

import threading
import time

from appliance.audio.engine import status as slots
from appliance.core.models import MixSettings
from tests.support.audio_songs import eight_stems


def busy(stop: threading.Event) -> None:
    while not stop.is_set():
        sum(i * i for i in range(20000))


def test_paced_playback_with_busy_main_process_threads_has_no_underflow(
    engine, tmp_path, margin, real_time
):
    song = eight_stems(tmp_path / "eight", 4.0)
    rig = engine(blocksize=256)
    stop = threading.Event()
    workers = [threading.Thread(target=busy, args=(stop,), daemon=True) for _ in range(4)]
    for worker in workers:
        worker.start()
    try:
        started = time.monotonic()
        rig.client.play(song, MixSettings(key_semitones=2))
        clock = rig.clock()
        time.sleep(1.0)
        rig.client.apply_settings(MixSettings(key_semitones=-1, tempo_ratio=1.1))
        assert rig.listener.wait(10)
        elapsed = time.monotonic() - started
    finally:
        stop.set()
    real_time(clock)
    status = rig.client.engine_status()
    assert status["underflows"] == 0, status
    margin("paced run took", elapsed, ">", 3.0, "s")
    ring_s = rig.client.status.read(slots.RING_FRAMES) / 48_000
    margin("worst producer chunk / ring", status["worst_producer_s"] / ring_s, "<", 1.0)
