"""Fixtures for the engine tests: synthesized songs, one jackd per session, engines on it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from appliance.audio.engine import status as slots
from appliance.audio.engine.client import EngineClient
from appliance.audio.engine.device import EngineOptions
from tests.support.alsa_rig import JackServer, Listener
from tests.support.audio_songs import clicks, make_song, music, tone
from tests.support.clock_rate import MAX_SLOW, NOMINAL_RATE, ClockRate
from tests.support.margins import RECORDED, Measurement, record
from tests.support.mic_rig import MicRig, VoiceClient


@pytest.fixture(scope="session")
def songs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Test songs with known content, built once."""
    root = tmp_path_factory.mktemp("engine-songs")
    return {
        "band": make_song(
            root / "band",
            {
                "keys": ("keys", music(4.0, seed=1)),
                "bass": ("bass", tone(110, 4.0, 0.2)),
                "drums": ("drums", music(4.0, seed=2, level=0.1)),
                "vox": ("lead_vocal", tone(660, 4.0, 0.15)),
                "click": ("click", clicks(4.0)),
            },
        ),
        "tone": make_song(root / "tone", {"keys": ("keys", tone(440, 4.0, 0.3))}),
        "short": make_song(root / "short", {"keys": ("keys", tone(330, 1.5, 0.3))}),
        "hot": make_song(
            root / "hot",
            {f"s{i}": ("other", tone(220, 2.0, 0.99)) for i in range(4)},
        ),
    }


@pytest.fixture(scope="session")
def jack() -> Iterator[JackServer]:
    """A 4-output JACK dummy server, the real-time clock of the paced tests."""
    with JackServer(channels=4) as server:
        yield server


class Rig:
    """An engine playing through ALSA into JACK, its capture and its listener."""

    def __init__(self, client: EngineClient, home: Path, listener: Listener) -> None:
        self.client, self.home, self.listener = client, home, listener

    def capture(self) -> np.ndarray:
        """Stop the engine (the WAV is complete then) and read what ALSA received."""
        self.client.close()
        data, _ = sf.read(self.home / "out.wav", dtype="float32", always_2d=True)
        return data

    def clock(self) -> ClockRate:
        """Measure JACK's real rate from now (the paced tests refuse a clock 2% slow)."""
        clock = ClockRate(lambda: self.client.status.read(slots.FRAMES_PLAYED))
        clock.start()
        return clock

    def wait_state(self, state: str, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.client.engine_status()["state"] == state:
                return True
            time.sleep(0.01)
        return False


@pytest.fixture
def engine(jack: JackServer, tmp_path: Path) -> Iterator[Callable[..., Rig]]:
    """Start engines: ``engine(routing="four", channels=4)``; all closed at the end."""
    rigs: list[Rig] = []

    def start(routing: str = "stereo", channels: int = 2, **options: object) -> Rig:
        home = tmp_path / f"home{len(rigs)}"
        env = jack.alsa_env(home, channels)
        opts = EngineOptions(env=env, routing=routing, state_dir=str(tmp_path / "state"), **options)
        client = EngineClient(opts)
        listener = Listener()
        client.set_listener(listener)
        rig = Rig(client, home, listener)
        rigs.append(rig)
        return rig

    yield start
    for rig in rigs:
        if not rig.client._closing:
            rig.client.close()


@pytest.fixture
def real_time(margin: Callable[..., None]) -> Callable[[ClockRate], None]:
    """``real_time(clock)``: stop the clock, refuse (skip) the run when it was more than 2%
    slow, else record its rate next to the limit."""

    def check(clock: ClockRate) -> None:
        clock.stop()
        clock.skip_if_slow()
        margin("JACK clock rate", clock.rate, ">", NOMINAL_RATE * (1 - MAX_SLOW), "frames/s")

    return check


@pytest.fixture
def margin(request: pytest.FixtureRequest) -> Callable[..., None]:
    """``margin(name, value, "<", limit, unit)``: record a measured value and assert it."""

    def check(name: str, value: float, relation: str, limit: float, unit: str = "") -> None:
        measurement = Measurement(request.node.name, name, float(value), relation, limit, unit)
        record(measurement)
        assert measurement.holds, measurement.line()

    return check


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Every audio measurement next to its limit."""
    if not RECORDED:
        return
    terminalreporter.section("audio measurements vs limits")
    for measurement in RECORDED:
        terminalreporter.write_line(measurement.line())


@pytest.fixture
def mic_rig(tmp_path: Path) -> Callable[[int], MicRig]:
    """``mic_rig(period)``: jackd at that period with the virtual mic; all stopped after."""
    stack: list[tuple[JackServer, VoiceClient, MicRig]] = []

    def start(period: int) -> MicRig:
        server = JackServer(channels=2, period=period).__enter__()
        try:
            voice = VoiceClient(server.name).__enter__()
        except BaseException:
            server.__exit__()  # jackd is stopped by its pid whatever fails
            raise
        rig = MicRig(server, voice, tmp_path / f"home{len(stack)}")
        stack.append((server, voice, rig))
        return rig

    yield start  # type: ignore[misc]
    for server, voice, rig in reversed(stack):
        try:
            if rig.client is not None and not rig.client._closing:
                rig.client.close()
            voice.__exit__()
        finally:
            server.__exit__()
