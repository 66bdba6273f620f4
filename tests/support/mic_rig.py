"""A virtual microphone on JACK's dummy clock (TESTING.md, "A microphone without a
microphone"): a JACK client of the test process plays a signal into the ports the engine's
ALSA mic pcms capture from, and hears what the engine plays, in the same JACK cycles, so the
delay through the box is the lag between what it sent and what came back.

    with JackServer(channels=2, period=128) as jack, VoiceClient(jack.name) as voice:
        env = mic_env(jack, tmp_path)                 # .asoundrc: default out, mic1, mic2
        client = EngineClient(EngineOptions(env=env, mics=("mic1",), blocksize=128))
        voice.listen_to_engine()                      # engine outputs -> voice:in_1, in_2
        voice.play(signal)                            # into mic 1 (voice:out_1)

``VoiceClient.feedback(gain, hz)`` closes a loop instead: what the engine plays comes back
into mic 1 through a resonance at ``hz`` with ``gain`` at its peak (a room and a speaker:
above 1 there, below 1 an octave away), on top of a quiet room's noise (-70 dBFS).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import jack
import numpy as np
from scipy import signal as scipy_signal

from appliance.audio.engine.client import EngineClient
from appliance.audio.engine.device import EngineOptions
from tests.support.alsa_rig import JackServer, Listener

MICS = """
pcm.mic{n}jack {{
    type jack
    capture_ports {{ 0 "voice:out_{n}" }}
}}
pcm.mic{n} {{
    type plug
    slave.pcm "mic{n}jack"
    hint {{ show on description "virtual mic {n}" }}
}}
"""


def mic_env(server: JackServer, home: Path, channels: int = 2) -> dict[str, str]:
    """The engine's environment: ALSA's default plays into JACK (teed to home/out.wav), and
    ``mic1``/``mic2`` capture from the voice client's outputs."""
    env = server.alsa_env(home, channels)
    text = (home / ".asoundrc").read_text()
    (home / ".asoundrc").write_text(text + MICS.format(n=1) + MICS.format(n=2))
    return env


class VoiceClient:
    """The JACK client ``voice``: out_1/out_2 feed the mics, in_1/in_2 record the box."""

    def __init__(self, server_name: str, seconds: float = 30.0) -> None:
        self.client = jack.Client("voice", servername=server_name, no_start_server=True)
        self.outs = [self.client.outports.register(f"out_{n}") for n in (1, 2)]
        self.ins = [self.client.inports.register(f"in_{n}") for n in (1, 2)]
        size = int(seconds * 48_000)
        self.sent = np.zeros((size, 2), np.float32)
        self.heard = np.zeros((size, 2), np.float32)
        self.frame = 0
        self._signal: list[np.ndarray | None] = [None, None]
        self._signal_at = [0, 0]
        self._loop: tuple[float, np.ndarray, np.ndarray] | None = None
        self._loop_state = np.zeros(2)
        self._rng = np.random.default_rng(7)
        self.loop_closed_at = -1  # frame at which the feedback loop was closed
        self.lock = threading.Lock()
        self.client.set_process_callback(self._process)

    def __enter__(self) -> VoiceClient:
        self.client.activate()
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.deactivate()
        self.client.close()

    def listen_to_engine(self) -> None:
        """Connect the engine's playback ports (its ALSA client's outputs) to in_1, in_2."""
        ports = [
            port
            for port in self.client.get_ports(is_audio=True, is_output=True)
            if not port.name.startswith(("voice:", "system:"))
        ]
        ports.sort(key=lambda port: port.name)
        for port, inport in zip(ports, self.ins, strict=False):
            if port not in self.client.get_all_connections(inport):
                self.client.connect(port, inport)

    def play(self, samples: np.ndarray, mic: int = 1) -> int:
        """Send ``samples`` into mic ``mic`` from the next cycle on; the frame they start at."""
        samples = samples.astype(np.float32)
        with self.lock:
            self._signal[mic - 1] = samples
            self._signal_at[mic - 1] = self.frame
            return self.frame

    def feedback(self, gain: float, hz: float, q: float = 8.0) -> None:
        """Close the loop: out_1 = noise seed + gain x resonance(in_1)."""
        b, a = scipy_signal.iirpeak(hz, q, fs=48_000)
        with self.lock:
            self._loop = (gain, b, a)
            self._loop_state = scipy_signal.lfilter_zi(b, a) * 0.0
            self.loop_closed_at = self.frame

    def _process(self, frames: int) -> None:
        with self.lock:
            start = self.frame
            stop = min(start + frames, len(self.sent))
            count = stop - start
            heard = [port.get_array() for port in self.ins]
            for mic, port in enumerate(self.outs):
                out = port.get_array()
                out[:] = 0.0
                samples = self._signal[mic]
                if samples is not None:
                    at = start - self._signal_at[mic]
                    chunk = samples[at : at + frames]
                    out[: len(chunk)] = chunk
                if mic == 0 and self._loop is not None:
                    gain, b, a = self._loop
                    fed, self._loop_state = scipy_signal.lfilter(
                        b, a, heard[0], zi=self._loop_state
                    )
                    out[:] += gain * fed + self._rng.normal(0, 3e-4, frames)
                if count > 0:
                    self.sent[start:stop, mic] = out[:count]
                    self.heard[start:stop, mic] = heard[mic][:count]
            self.frame += frames


def lag_frames(sent: np.ndarray, heard: np.ndarray, max_lag: int) -> tuple[int, float]:
    """The lag (frames) of ``sent`` in ``heard`` by cross-correlation, and the peak's height
    relative to a perfect match (1.0: ``heard`` is ``sent`` delayed)."""
    n = len(sent) + max_lag
    size = 1 << (n - 1).bit_length()
    spectrum = np.fft.rfft(heard[:n], size) * np.conj(np.fft.rfft(sent, size))
    correlation = np.fft.irfft(spectrum, size)[:max_lag]
    lag = int(np.argmax(np.abs(correlation)))
    energy = float(np.sqrt(np.sum(sent**2) * np.sum(heard[lag : lag + len(sent)] ** 2)))
    return lag, float(correlation[lag]) / energy if energy else 0.0


def sung_note(seconds: float, hz: float = 220.0, level: float = 0.2, seed: int = 3) -> np.ndarray:
    """A synthetic sung vowel: ``hz`` with a 5.5 Hz vibrato of +-0.4 semitone, ten partials
    falling 6 dB per octave, a little breath noise."""
    t = np.arange(int(seconds * 48_000)) / 48_000
    f0 = hz * 2 ** (0.4 / 12 * np.sin(2 * np.pi * 5.5 * t))
    phase = 2 * np.pi * np.cumsum(f0) / 48_000
    voice = sum(np.sin(h * phase) / h for h in range(1, 11))
    breath = np.random.default_rng(seed).normal(0, 0.01, len(t))
    signal = voice / np.abs(voice).max() + breath
    return (level * signal).astype(np.float32)


def noise_burst(seconds: float, level: float = 0.05, seed: int = 1) -> np.ndarray:
    """White noise: a sharp cross-correlation peak."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(int(seconds * 48_000)) * level).astype(np.float32)


class MicRig:
    """A JACK server of its own, the virtual mic, an engine with mics."""

    def __init__(self, server: JackServer, voice: VoiceClient, home: Path) -> None:
        self.server, self.voice, self.home = server, voice, home
        self.client: EngineClient | None = None
        self.listener = Listener()

    def start(self, **options: object) -> EngineClient:
        if self.client is not None:
            self.client.close()
        env = mic_env(self.server, self.home)
        opts = EngineOptions(env=env, state_dir=str(self.home / "state"), **options)  # type: ignore[arg-type]
        self.client = EngineClient(opts)
        self.client.set_listener(self.listener)
        deadline = time.monotonic() + 10
        while self.client.status.read(1) < 48_000 // 2 and time.monotonic() < deadline:
            time.sleep(0.05)  # the stream runs (FRAMES_PLAYED)
        self.voice.listen_to_engine()
        return self.client

    def howls(self) -> list[tuple[int, str, float]]:
        return [notice for notice in self.listener.mics if "howl" in notice[1]]
