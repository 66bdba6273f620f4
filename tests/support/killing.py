"""Workers killed with SIGKILL at random moments, as a power cut would (the durability tests:
tests/core/test_durability.py, tests/core/test_durability_scores.py)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_worker_until_killed(
    db: Path, seed: int, rng: random.Random, worker: str = "durability_worker"
) -> list[str]:
    """Start ``tests/core/<worker>.py`` on ``db``, SIGKILL it after a random moment, return
    what it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", f"tests.core.{worker}", str(db), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "READY"
    time.sleep(rng.uniform(0.05, 0.4))
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return process.stdout.read().splitlines()
