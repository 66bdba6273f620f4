"""The rig under a CPU quota (root only): a starved engine must not slow JACK's clock.

The engine's JACK client threads are the sound card's part of the rig
(tests/support/jack_device.py). Left in the engine's quota they missed JACK cycles and the engine
delivered 27.7% fewer frames than jackd's clock ran (34,699 vs 46,998 frames/s at 25% of a
core): a "slow clock" that hid the engine's underflows. Moved out, the engine's rate is jackd's.
With the rig as it was (jackd not real-time, the JACK threads left in the quota) this test
fails; either change alone passes it (a real-time jackd makes its clients' threads SCHED_FIFO,
which draw on the RT budget, not the CFS quota); the rig does both.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from appliance.audio.engine import status as slots
from appliance.audio.engine.client import EngineClient
from appliance.audio.engine.device import EngineOptions
from appliance.core.models import MixSettings
from tests.support.alsa_rig import JackServer
from tests.support.audio_songs import make_song, music
from tests.support.cgroup_quota import CPU_ROOT, MAX_RT_SHARE, Quota, Rig
from tests.support.clock_rate import ClockRate
from tests.support.jack_device import ServerClock, device_threads

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not (CPU_ROOT / "cpu.rt_runtime_us").exists(),
    reason="needs root and a cgroup v1 cpu controller",
)


def test_a_starved_engine_leaves_jacks_clock_alone(tmp_path: Path) -> None:
    song = make_song(
        tmp_path / "song",
        {name: (name, music(12.0, seed=i)) for i, name in enumerate(("keys", "bass", "drums"))},
    )
    rig = Rig()
    quota = Quota(5000)
    try:
        with JackServer(channels=2, realtime=True) as jack, ServerClock(jack.name) as server:
            client = EngineClient(EngineOptions(env=jack.alsa_env(tmp_path / "home", 2)))
            try:
                assert client.pid is not None
                quota.set_share(0.12)  # too little for R3 at key +2: the engine is starved
                quota.add_tree(client.pid)
                client.play(song, MixSettings(key_semitones=2, tempo_ratio=0.9))
                time.sleep(1.0)
                threads = device_threads(client.pid)
                assert threads, "the ALSA jack plugin's client thread was not found"
                rig.add_threads(threads)
                clock = ClockRate(lambda: server.frames, "JACK's clock")
                engine = ClockRate(lambda: client.status.read(slots.FRAMES_PLAYED), "engine")
                clock.start()
                engine.start()
                time.sleep(6.0)
                clock.stop()
                engine.stop()
                throttled = quota.throttled_s()
            finally:
                quota.set_share(MAX_RT_SHARE)
                client.close()
        clock.skip_if_slow()
        assert throttled > 0.5, f"the quota held the engine back only {throttled:.2f} s"
        assert engine.rate == pytest.approx(clock.rate, rel=0.02), (
            f"{engine.describe()} while {clock.describe()}"
        )
    finally:
        quota.remove()
        rig.remove()
