"""Real-time priority: what the service allows is what the engine asks for, and what the engine
got (policy and priority, read back from the kernel) reaches the doctor, the core's snapshot and
the engine's status; a refusal is reported with its reason, never silent."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from appliance.audio.checks import checks
from appliance.audio.engine.realtime import REALTIME_PRIORITY
from appliance.audio.settings import AudioConfig
from appliance.core.models import MixSettings

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "systemd" / "karaoke.service"


def test_the_service_allows_exactly_the_priority_the_engine_asks_for():
    limits = re.findall(r"(?m)^LimitRTPRIO=(\d+)\s*$", UNIT.read_text())
    assert limits == [str(REALTIME_PRIORITY)]


def _fifo_threads(pid: int) -> list[tuple[int, int]]:
    """(policy, rt_priority) of every thread of ``pid`` under a real-time policy."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        rt_priority, policy = int(fields[37]), int(fields[38])
        if policy != os.SCHED_OTHER:
            found.append((policy, rt_priority))
    return found


def _may_use_fifo() -> bool:
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(REALTIME_PRIORITY))
    except OSError:
        return False
    os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
    return True


@pytest.mark.skipif(not _may_use_fifo(), reason="this user may not use SCHED_FIFO here")
def test_a_granted_priority_is_the_kernels_and_is_reported_everywhere(engine, songs, tmp_path):
    rig = engine()
    rig.client.play(songs["short"], MixSettings())
    deadline = time.monotonic() + 5
    while not rig.listener.priority and time.monotonic() < deadline:
        time.sleep(0.05)
    expected = f"SCHED_FIFO priority {REALTIME_PRIORITY}"
    assert rig.listener.priority == [expected]
    assert rig.client.engine_status()["realtime_priority"] == REALTIME_PRIORITY
    assert _fifo_threads(rig.client.pid) == [(os.SCHED_FIFO, REALTIME_PRIORITY)]
    time.sleep(2.2)  # the status file is written every 2 s
    (check,) = [c for c in checks(AudioConfig(), tmp_path / "state") if c.name.startswith("real")]
    assert (check.status, check.detail) == ("ok", f"the engine's audio thread: {expected}")


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="setpriv (util-linux) missing")
def test_a_refused_priority_is_reported_with_its_reason(jack, songs, tmp_path):
    """`karaoke play` without CAP_SYS_NICE under RLIMIT_RTPRIO 0 (the container's): refused."""
    if os.getuid() != 0 and _may_use_fifo():
        pytest.skip("this user's rtprio limit allows real-time")
    env = {**os.environ, **jack.alsa_env(tmp_path / "home", 2)}
    drop = ["setpriv", "--bounding-set=-sys_nice", "--inh-caps=-sys_nice", "--"]
    command = [*drop, sys.executable, "-m", "appliance.cli", "play", songs["short"].path]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 0, done.stderr
    assert (
        f"audio thread SCHED_OTHER (real-time refused: asked for {REALTIME_PRIORITY}, "
        "RLIMIT_RTPRIO is 0: Operation not permitted)"
    ) in done.stderr
