"""Network mode: the fallback script (run for real, a stand-in nmcli on PATH) and the reader."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from appliance.system.network import (
    HotspotCredentials,
    NetworkMode,
    network_status,
    read_mode,
    remote_url,
)

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "deploy/bin/karaoke-network-fallback"

FAKE_NMCLI = r"""#!/bin/sh
# Stand-in for NetworkManager's nmcli: answers from files in $FAKE_NM.
case "$*" in
  *"connection show --active"*) cat "$FAKE_NM/active" ;;
  *"-f TYPE device"*) cat "$FAKE_NM/devices" ;;
  *"connection up karaoke-hotspot"*) echo up >> "$FAKE_NM/calls" ;;
  *"802-11-wireless.ssid"*) printf '%s\n' 'Karaoke\: Bar' ;;
  *"802-11-wireless-security.psk"*) printf '%s\n' 'sing\\along' ;;
esac
"""


def run_fallback(tmp_path: Path, active: str, devices: str, wait: str = "0") -> Path:
    fake, bin_dir, run_dir = tmp_path / "nm", tmp_path / "bin", tmp_path / "run"
    fake.mkdir()
    bin_dir.mkdir()
    (fake / "active").write_text(active)
    (fake / "devices").write_text(devices)
    (bin_dir / "nmcli").write_text(FAKE_NMCLI)
    (bin_dir / "nmcli").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "FAKE_NM": str(fake),
        "KARAOKE_NETWORK_WAIT": wait,
        "KARAOKE_NETWORK_DIR": str(run_dir),
    }
    subprocess.run(["bash", str(SCRIPT)], env=env, check=True, capture_output=True, timeout=30)
    return run_dir


def test_venue_network_is_kept(tmp_path: Path) -> None:
    run_dir = run_fallback(tmp_path, "Venue:802-11-wireless:activated\n", "wifi\n", wait="2")
    assert read_mode(run_dir) is NetworkMode.VENUE
    assert not (tmp_path / "nm/calls").exists()  # the hotspot was not started


def test_no_venue_network_starts_the_hotspot(tmp_path: Path) -> None:
    active = "karaoke-hotspot:802-11-wireless:activating\nlo:loopback:activated\n"
    run_dir = run_fallback(tmp_path, active, "wifi\nloopback\n")
    assert (tmp_path / "nm/calls").read_text() == "up\n"
    status = network_status(run_dir)
    assert status.mode is NetworkMode.HOTSPOT
    assert status.address == "10.42.0.1"
    assert status.hotspot == HotspotCredentials("Karaoke: Bar", "sing\\along")
    assert oct((run_dir / "hotspot").stat().st_mode & 0o777) == "0o640"


def test_no_wifi_device_means_offline(tmp_path: Path) -> None:
    run_dir = run_fallback(tmp_path, "", "ethernet\n")
    assert read_mode(run_dir) is NetworkMode.OFFLINE


def test_unknown_without_the_service(tmp_path: Path) -> None:
    assert read_mode(tmp_path) is NetworkMode.UNKNOWN
    (tmp_path / "mode").write_text("nonsense\n")
    assert read_mode(tmp_path) is NetworkMode.UNKNOWN


def test_remote_url_carries_the_address() -> None:
    assert remote_url("192.168.1.20") == "http://192.168.1.20/"
    assert remote_url("192.168.1.20", 8080) == "http://192.168.1.20:8080/"
