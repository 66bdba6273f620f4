"""Benchmark of the microphone path, on JACK's dummy clock with a virtual mic
(tests/support/mic_rig.py).

    .venv/bin/python tests/bench/bench_mic.py [--seconds 20] [--periods 64 128 256]

Prints, as ratios:
- the voice's delay through the box at each period: the mic on the output device (one duplex
  stream: no buffering of the box's) and the mic on its own stream (+ the ring), in frames,
  ms and periods; what the own stream adds over the duplex path, against the two-period goal;
- engine CPU (% of one core) while an 8-stem song plays at key +2 with 0, 1 and 2 mics
  singing (echo 0.5, tracking on), and the mics' cost over 0 mics against the 4%-of-a-core
  goal; each figure next to the JACK clock's measured rate (a slow clock is said);
- the voice chain (pedalboard) and the tracker per block, offline, as x real time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from appliance.audio.dsp.howl import HowlDetector
from appliance.audio.dsp.pitch import PitchTracker
from appliance.audio.dsp.voice import VoiceChain
from appliance.audio.engine import status as slots
from appliance.audio.engine.client import EngineClient
from appliance.audio.engine.device import EngineOptions
from appliance.core.models import MixSettings
from appliance.core.voice import VoiceSettings
from tests.support.alsa_rig import JackServer
from tests.support.audio_songs import RATE, cpu_seconds, eight_stems
from tests.support.clock_rate import ClockRate
from tests.support.mic_rig import VoiceClient, lag_frames, mic_env, noise_burst, sung_note


def start(voice: VoiceClient, server: JackServer, home: Path, **options) -> EngineClient:
    env = mic_env(server, home)
    client = EngineClient(EngineOptions(env=env, state_dir=str(home / "state"), **options))
    deadline = time.monotonic() + 10
    while client.status.read(slots.FRAMES_PLAYED) < RATE // 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    voice.listen_to_engine()
    for mic in (1, 2):
        client.set_voice(mic, VoiceSettings(level_db=0.0, echo=0.0))
    return client


def delay(voice: VoiceClient) -> int:
    burst = noise_burst(0.5, level=0.02)
    begin = voice.frame
    voice.play(burst)
    time.sleep(1.2)
    sent = voice.sent[begin : begin + len(burst), 0]
    lag, _ = lag_frames(sent, voice.heard[begin : begin + 2 * len(burst), 0], 4800)
    return lag


def latency(periods: list[int], home: Path) -> None:
    print("voice delay through the box (frames / ms / periods):")
    for period in periods:
        with JackServer(channels=2, period=period) as server, VoiceClient(server.name) as voice:
            common = {"blocksize": period, "routing": "stereo", "latency_s": period / RATE}
            client = start(
                voice, server, home / f"d{period}", mics=("voice",), device="voice", **common
            )
            duplex = delay(voice)
            client.close()
            folder = home / f"s{period}"
            client = start(voice, server, folder, mics=("voice",), device="system", **common)
            own = delay(voice)
            fill = client.status.read(slots.MIC_FILL)
            client.close()
        added = own - duplex
        print(
            f"  period {period}: duplex {duplex} / {duplex / 48:.2f} / {duplex / period:.2f}; "
            f"own stream {own} / {own / 48:.2f} / {own / period:.2f}; added by the ring "
            f"{added} / {added / 48:.2f} ms / {added / period:.2f} periods "
            f"({added / period / 2:.2f} of the 2-period goal; ring left after a read {fill:.0f})"
        )


def cpu(mics: int, seconds: float, home: Path) -> tuple[float, str]:
    song = eight_stems(home / "song", seconds + 4)
    with (
        JackServer(channels=2, period=256) as server,
        VoiceClient(server.name, seconds + 8) as voice,
    ):
        names = ("voice", "voice")[:mics]
        client = start(voice, server, home / f"cpu{mics}", mics=names, blocksize=256,
                       latency_s=512 / RATE, routing="stereo")  # fmt: skip
        for mic in range(1, mics + 1):
            client.set_voice(mic, VoiceSettings(level_db=-3.0, echo=0.5))
            voice.play(sung_note(seconds + 3, 220.0 * 1.5 ** (mic - 1), level=0.3), mic=mic)
        client.play(song, MixSettings(key_semitones=2))
        time.sleep(1.0)
        pid = client.pid
        clock = ClockRate(lambda: client.status.read(slots.FRAMES_PLAYED))
        clock.start()
        used, began = cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)
        share = (cpu_seconds(pid) - used) / (time.monotonic() - began)
        clock.stop()
        status = client.engine_status()
        client.close()
    note = f"{clock.describe()}, underflows {status['underflows']}"
    note += f", mic underruns {status['mic_underruns']}"
    return share, note


def offline() -> None:
    block, seconds = 128, 10.0
    voice = sung_note(seconds, 220.0, level=0.3)
    chain, tracker, howl = VoiceChain(RATE), PitchTracker(RATE), HowlDetector(RATE)
    for name, step in (("voice chain", chain.process), ("pitch tracker", tracker.feed),
                       ("howl detector", howl.feed)):  # fmt: skip
        began = time.perf_counter()
        for start_frame in range(0, len(voice), block):
            step(voice[start_frame : start_frame + block])
        elapsed = time.perf_counter() - began
        per_block = elapsed / (len(voice) / block) * 1e6
        speed = seconds / elapsed
        print(f"  {name}: {speed:.0f}x real time, {per_block:.1f} us per {block}-frame block")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--periods", type=int, nargs="+", default=[64, 128, 256])
    args = parser.parse_args()
    os.environ.setdefault("XDG_STATE_HOME", tempfile.mkdtemp())
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        latency(args.periods, home)
        print("engine CPU, 8-stem song at key +2, 256-frame periods (% of one core):")
        shares = {}
        for mics in (0, 1, 2):
            shares[mics], note = cpu(mics, args.seconds, home)
            print(f"  {mics} mic(s): {shares[mics]:.1%} ({note})")
        for mics in (1, 2):
            more = shares[mics] - shares[0]
            goal = more / 0.04
            print(f"  {mics} mic(s) over none: {more:+.1%} of a core ({goal:.2f} of the 4% goal)")
        print("offline, one mic, 128-frame blocks:")
        offline()


if __name__ == "__main__":
    main()
