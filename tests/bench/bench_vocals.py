"""Vocal reduction's CPU: the canceller alone, as x real time on one core.

    .venv/bin/python tests/bench/bench_vocals.py [--seconds 30] [--block 1024] [--old PATH]

Feeds ``--seconds`` of a demo song's mix (drums, bass, keys, backing and lead vocal summed, the
stems synthesized by ``appliance.demosongs``) through :class:`CentreCanceller` in ``--block``
frame blocks (the renderer's chunk) and reports process time (CPU seconds of this process, not
wall time) as x real time, with the load average. ``--old PATH`` names a file holding an
earlier ``CentreCanceller`` (e.g. ``git show main~1:appliance/audio/dsp/vocals.py > old.py``)
to run the two alternately in the same run.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time

import numpy as np

from appliance.audio.dsp.centre import CentreCanceller
from appliance.demosongs import SONGS
from appliance.demosongs.render import SR, render_stems

MUSIC = ("drums", "bass", "keys", "backing_vocals", "lead_vocal")


def x_real_time(make, mix: np.ndarray, block: int) -> float:
    canceller = make()
    started = time.process_time()
    for at in range(0, len(mix), block):
        canceller.process(mix[at : at + block])
    return len(mix) / SR / (time.process_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--block", type=int, default=1024)
    parser.add_argument("--old", help="a file with an earlier CentreCanceller")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    stems = render_stems(SONGS["demo-amazing-grace"])
    start = 20 * SR
    mix = np.sum([stems[name][start : start + int(args.seconds * SR)] for name in MUSIC], axis=0)
    mix = mix.astype(np.float32)
    makers = {"new": CentreCanceller}
    if args.old:
        spec = importlib.util.spec_from_file_location("old_canceller", args.old)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        makers["old"] = module.CentreCanceller
    for round_ in range(args.rounds):
        for name, make in makers.items():
            speed = x_real_time(make, mix, args.block)
            load = os.getloadavg()[0]
            print(f"round {round_ + 1} {name}: {speed:.0f}x real time "
                  f"({100 / speed:.2f}% of a core), load {load:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
