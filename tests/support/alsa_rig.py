"""The real ALSA path for engine tests: jackd's dummy backend as a real-time clock, and an ALSA
``file`` plugin teeing everything the engine plays into a WAV file (see TESTING.md).

    with JackServer(channels=4) as jack:
        env = jack.alsa_env(tmp_path, channels=4)   # HOME with .asoundrc, JACK server name
        client = EngineClient(EngineOptions(env=env, routing="four"))
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path

ASOUNDRC = """
pcm.jackout {{
    type jack
    playback_ports {{ {ports} }}
}}
pcm.tojack {{
    type plug
    slave.pcm "jackout"
}}
pcm.tee {{
    type file
    slave.pcm "tojack"
    file "{out}"
    format "wav"
}}
pcm.!default {{
    type plug
    slave {{ pcm "tee" format S16_LE rate 48000 channels {channels} }}
}}
"""

JACK_PRIORITY = 60  # above the engine's callback (50): the card's clock comes first


class JackServer:
    """jackd -d dummy on a unique server name, stopped by its own pid. With ``realtime``
    (root, and a cgroup with an RT budget, see tests/support/cgroup_quota.py) jackd and its
    clients' threads run SCHED_FIFO, so its dummy clock keeps time while other processes load
    the machine (the dummy driver restarts its count from "now" whenever it wakes late)."""

    def __init__(self, channels: int = 4, period: int = 256, realtime: bool = False) -> None:
        self.name = f"karaoke-test-{uuid.uuid4().hex[:8]}"
        self.channels, self.period, self.realtime = channels, period, realtime
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> JackServer:
        env = {**os.environ, "JACK_NO_AUDIO_RESERVATION": "1"}
        timing = ["-R", "-P", str(JACK_PRIORITY)] if self.realtime else ["--no-realtime"]
        command = [
            "jackd", "-n", self.name, *timing, "-d", "dummy",
            "-r", "48000", "-p", str(self.period), "-P", str(self.channels), "-C", "2",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(0.5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            probe = (
                subprocess.run(
                    ["jack_lsp", "-s", self.name], capture_output=True, text=True, check=False
                )
                if _has("jack_lsp")
                else None
            )
            if probe is None or "system:playback_1" in probe.stdout:
                return self
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("jackd did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def alsa_env(self, home: Path, channels: int = 2) -> dict[str, str]:
        """Environment for an engine playing to this server, captured to home/out.wav."""
        home.mkdir(parents=True, exist_ok=True)
        ports = " ".join(f"{i} system:playback_{i + 1}" for i in range(channels))
        text = ASOUNDRC.format(ports=ports, out=home / "out.wav", channels=channels)
        (home / ".asoundrc").write_text(text)
        return {"HOME": str(home), "JACK_DEFAULT_SERVER": self.name, "JACK_NO_START_SERVER": "1"}


def _has(program: str) -> bool:
    return any(
        os.access(os.path.join(folder, program), os.X_OK)
        for folder in os.environ.get("PATH", "").split(os.pathsep)
    )


class Listener:
    """Records what the player reports."""

    def __init__(self) -> None:
        self.ended: list[str] = []
        self.failed: list[tuple[str, str]] = []
        self.device: list[str] = []
        self.priority: list[str] = []
        self.pitch: list[object] = []  # PitchFrame
        self.mics: list[tuple[int, str, float]] = []  # (mic, message, time.monotonic())
        self.event = threading.Event()

    def on_song_ended(self, song_id: str) -> None:
        self.ended.append(song_id)
        self.event.set()

    def on_song_failed(self, song_id: str, reason: str) -> None:
        self.failed.append((song_id, reason))
        self.event.set()

    def on_device_problem(self, message: str) -> None:
        self.device.append(message)

    def on_audio_priority(self, description: str) -> None:
        self.priority.append(description)

    def on_pitch_frames(self, frames: tuple[object, ...]) -> None:
        self.pitch.extend(frames)

    def on_mic_notice(self, mic: int, message: str) -> None:
        self.mics.append((mic, message, time.monotonic()))

    def wait(self, timeout: float = 10.0) -> bool:
        ok = self.event.wait(timeout)
        self.event.clear()
        return ok
