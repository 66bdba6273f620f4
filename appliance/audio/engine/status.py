"""What the engine publishes in shared memory: position, levels, underflows, state.

The client creates the block (so it outlives a crashed engine); the engine attaches by name and
writes float64 slots; readers in any process read them without locks::

    >>> status = EngineStatus.create()
    >>> status.write(POSITION_S, 12.5)
    >>> EngineStatus.attach(status.name).read(POSITION_S)
    12.5
    >>> status.close(unlink=True)

Also a small JSON status file in the state directory, for ``karaoke doctor``.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from multiprocessing import shared_memory
from pathlib import Path

import numpy as np

POSITION_S = 0  # song seconds heard now (output latency and tempo accounted for)
FRAMES_PLAYED = 1  # frames the callback has delivered
UNDERFLOWS = 2  # output underflows (device) plus empty-ring blocks while playing
LEVEL_LEFT = 3  # peak of the last callback block, channel 1
LEVEL_RIGHT = 4  # peak of the last callback block, channel 2
STATE = 5  # see STATE_NAMES
HEARTBEAT = 6  # time.monotonic() of the last callback
OUTPUT_LATENCY_S = 7  # the stream's reported output latency
SONG_GENERATION = 8  # bumps when a new song starts (the client ignores stale positions)
CHANNELS = 9  # output channels of the open stream
WORST_PRODUCER_S = 10  # the slowest producer chunk since start
RING_FRAMES = 11  # ring capacity in frames
DEVICE_UNDERFLOWS = 12  # of UNDERFLOWS, those PortAudio reported (the rest: ring ran dry)
RING_AFTER_CHANGE = 14  # frames queued right after the last live change was spliced in
RING_AFTER_CHANGE_MIN = 15  # the fewest after any change since start (0: no change yet)
REALTIME_PRIORITY = 13  # the callback thread's SCHED_FIFO priority; -1 refused, 0 not yet known
CHANGES_SPLICED = 16  # live changes spliced into the ring since start
MIC_UNDERRUNS = 17  # mic blocks whose ring ran dry (all mics)
MIC_DRIFT_FIXES = 18  # samples dropped or repeated to hold the mic rings' fill (clock drift)
MIC_FILL = 19  # frames left in mic 1's ring after the last read (its share of the delay)
SLOTS = 20

STATE_NAMES = {0: "idle", 1: "playing", 2: "paused", 3: "break", 4: "no device"}
IDLE, PLAYING, PAUSED, BREAK, NO_DEVICE = 0, 1, 2, 3, 4
STATUS_FILE = "engine-status.json"


class EngineStatus:
    """A float64 array in shared memory."""

    def __init__(self, memory: shared_memory.SharedMemory) -> None:
        self._memory = memory
        self.values = np.ndarray((SLOTS,), np.float64, buffer=memory.buf)
        self.name = memory.name

    @classmethod
    def create(cls) -> EngineStatus:
        """A new zeroed block (the client's)."""
        memory = shared_memory.SharedMemory(create=True, size=SLOTS * 8)
        status = cls(memory)
        status.values[:] = 0.0
        return status

    @classmethod
    def attach(cls, name: str) -> EngineStatus:
        """Open the block the client made (the engine's); the client alone unlinks it.

        A spawned engine shares the client's resource tracker, so attaching registers nothing
        new and the block survives the engine's death."""
        return cls(shared_memory.SharedMemory(name=name))

    def read(self, slot: int) -> float:
        """One value."""
        return float(self.values[slot])

    def write(self, slot: int, value: float) -> None:
        """Set one value."""
        self.values[slot] = value

    def snapshot(self) -> dict[str, float | str]:
        """Everything, named (for logs and the status file)."""
        values = self.values
        return {
            "position_s": round(float(values[POSITION_S]), 3),
            "frames_played": int(values[FRAMES_PLAYED]),
            "underflows": int(values[UNDERFLOWS]),
            "device_underflows": int(values[DEVICE_UNDERFLOWS]),
            "state": STATE_NAMES.get(int(values[STATE]), "?"),
            "output_latency_s": round(float(values[OUTPUT_LATENCY_S]), 4),
            "channels": int(values[CHANNELS]),
            "worst_producer_s": round(float(values[WORST_PRODUCER_S]), 4),
            "realtime_priority": int(values[REALTIME_PRIORITY]),
            "ring_after_change_s": round(float(values[RING_AFTER_CHANGE]) / 48_000, 4),
            "changes_spliced": int(values[CHANGES_SPLICED]),
            "ring_after_change_min_s": round(float(values[RING_AFTER_CHANGE_MIN]) / 48_000, 4),
            "mic_underruns": int(values[MIC_UNDERRUNS]),
            "mic_drift_fixes": int(values[MIC_DRIFT_FIXES]),
            "mic_fill_frames": int(values[MIC_FILL]),
        }

    def close(self, unlink: bool = False) -> None:
        """Detach (and remove, for the owner)."""
        del self.values
        self._memory.close()
        if unlink:
            with contextlib.suppress(FileNotFoundError):
                self._memory.unlink()


def write_status_file(state_dir: str, data: dict[str, object]) -> None:
    """Atomically write the engine's status for ``karaoke doctor``."""
    if not state_dir:
        return
    path = Path(state_dir) / STATUS_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({**data, "time": time.time(), "pid": os.getpid()}))
        os.replace(temporary, path)
    except OSError:
        pass


def read_status_file(state_dir: Path) -> dict[str, object] | None:
    """The last status a running engine wrote, or None."""
    try:
        return json.loads((state_dir / STATUS_FILE).read_text())
    except (OSError, ValueError):
        return None
