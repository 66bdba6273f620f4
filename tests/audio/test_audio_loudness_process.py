"""Loudness measured in a worker process: the same figure as in-process, the main process never
imports SciPy for it, the worker gives its memory back when idle, and a dead worker costs one
song's measurement, not the scan."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from appliance.audio.loudness import song_loudness
from appliance.audio.loudness_process import IsolatedLoudness
from tests.support.waiting import eventually


def worker_pids(measure: IsolatedLoudness) -> list[int]:
    pool = measure._pool
    return [] if pool is None else list(pool._processes)


def test_the_worker_measures_what_the_meter_does_then_exits_when_idle(songs):
    measure = IsolatedLoudness(idle_exit_s=0.5)
    try:
        in_worker = measure(songs["band"])
        assert in_worker is not None and in_worker == song_loudness(songs["band"])
        assert measure(songs["tone"]) == song_loudness(songs["tone"])
        pids = worker_pids(measure)
        assert len(pids) == 1 and pids[0] != os.getpid()
        assert eventually(lambda: not measure.running, timeout_s=10)
        assert eventually(lambda: not os.path.exists(f"/proc/{pids[0]}"))  # its memory is back
    finally:
        measure.close()


def test_a_dead_worker_costs_one_song_and_the_next_gets_a_new_one(songs):
    measure = IsolatedLoudness(idle_exit_s=30)
    try:
        assert measure(songs["tone"]) is not None
        (first,) = worker_pids(measure)
        os.kill(first, signal.SIGKILL)  # out of memory on a huge file, say
        time.sleep(0.2)
        assert measure(songs["band"]) is None  # that song's measurement is lost, logged
        assert measure(songs["band"]) == song_loudness(songs["band"])
        assert worker_pids(measure) != [first]
    finally:
        measure.close()


@pytest.mark.slow
def test_the_main_process_never_imports_scipy_to_measure(songs):
    """What the composition root hands the library keeps SciPy (about 70 MB) out of the box."""
    code = (
        "import sys\n"
        "from appliance.audio.loudness_process import isolated_loudness as m\n"
        "from appliance.library.songfolder.manifest import read_manifest\n"
        "lufs = m(read_manifest(sys.argv[1]))\n"
        "print(lufs.lufs, 'scipy' in sys.modules, 'pyloudnorm' in sys.modules)\n"
        "m.close()\n"
    )
    done = subprocess.run([sys.executable, "-c", code, songs["band"].path], capture_output=True,
                          text=True, timeout=120, check=True)  # fmt: skip
    lufs, scipy_loaded, meter_loaded = done.stdout.split()
    assert float(lufs) == song_loudness(songs["band"]).lufs
    assert (scipy_loaded, meter_loaded) == ("False", "False")
