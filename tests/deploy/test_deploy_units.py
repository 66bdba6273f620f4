"""`systemd-analyze verify` of every unit with no output at all (it exits 0 even on unknown keys),
against a temporary root holding the system's units and stubs for the ExecStart programs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.support.deploy_rig import SYSTEM_UNITS, verify, verify_root

REPO = Path(__file__).resolve().parents[2]
UNITS = sorted((REPO / "deploy" / "systemd").glob("*.service"))

pytestmark = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None or SYSTEM_UNITS is None,
    reason="systemd-analyze or the system's unit files are missing",
)


def test_every_unit_verifies_with_no_output(tmp_path: Path) -> None:
    assert len(UNITS) >= 3
    root = verify_root(tmp_path, UNITS)
    result = verify(root, [unit.name for unit in UNITS])
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_check_catches_an_unknown_key(tmp_path: Path) -> None:
    broken = tmp_path / "broken.service"
    broken.write_text("[Service]\nExecStart=/usr/bin/true\nNoSuchKey=1\n")
    result = verify(verify_root(tmp_path, [broken]), ["broken.service"])
    assert "Unknown key" in result.stdout + result.stderr


def test_the_main_unit_carries_what_the_appliance_needs() -> None:
    text = (REPO / "deploy/systemd/karaoke.service").read_text()
    for line in [
        "Type=notify",
        "Restart=always",
        "StateDirectory=karaoke",
        "Conflicts=getty@tty1.service",
        "TTYPath=/dev/tty1",
        "Environment=SDL_VIDEODRIVER=kmsdrm",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "PrivateTmp=yes",
        "AmbientCapabilities=CAP_NET_BIND_SERVICE",
        "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
        "ExecStart=/opt/karaoke/venv/bin/karaoke run --port 80",
    ]:
        assert re.search(rf"(?m)^{re.escape(line)}$", text), line
    for key in ["WatchdogSec", "LimitRTPRIO", "LimitMEMLOCK", "ProtectHome"]:
        assert re.search(rf"(?m)^{key}=\S+", text), key
    assert "CPUSchedulingPolicy" not in text  # only the audio thread goes real-time


def test_drop_ins_set_volatile_journal_and_hardware_watchdog() -> None:
    assert "Storage=volatile" in (REPO / "deploy/config/journald-volatile.conf").read_text()
    assert "RuntimeWatchdogSec=" in (REPO / "deploy/config/system-watchdog.conf").read_text()
    rule = (REPO / "deploy/config/99-karaoke-usb.rules").read_text()
    assert "systemd-mount" in rule and "--automount=yes" in rule and "ro," in rule
