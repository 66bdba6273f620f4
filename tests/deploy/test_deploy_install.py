"""deploy/install.sh into a throwaway root: it completes, installs everything, and a second run
changes nothing (the whole tree is hashed, modes, links and mtimes included)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support.deploy_rig import INSTALL, make_root, run_install, tree_digest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="useradd --root (creating the karaoke user in a root) needs root"
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> tuple[Path, str]:
    root = make_root(tmp_path_factory.mktemp("root") / "r")
    result = run_install(root, wheel)
    return root, result.stdout


def test_install_completes_and_installs_everything(installed: tuple[Path, str]) -> None:
    root, output = installed
    assert output.rstrip().endswith("install: done")
    for path in [
        "etc/systemd/system/karaoke.service",
        "etc/systemd/system/karaoke-firstboot.service",
        "etc/systemd/system/karaoke-network.service",
        "etc/systemd/journald.conf.d/karaoke-volatile.conf",
        "etc/systemd/system.conf.d/karaoke-watchdog.conf",
        "etc/NetworkManager/dnsmasq-shared.d/karaoke-captive.conf",
        "etc/avahi/services/karaoke.service",
        "etc/udev/rules.d/99-karaoke-usb.rules",
        "etc/polkit-1/rules.d/50-karaoke-power.rules",
        "usr/local/lib/karaoke/karaoke-network-fallback",
        "usr/local/lib/karaoke/karaoke-cmdline",
        "opt/karaoke/venv/bin/karaoke",
        "boot/firmware/karaoke.toml.example",
    ]:
        assert (root / path).exists(), path
    hotspot = root / "etc/NetworkManager/system-connections/karaoke-hotspot.nmconnection"
    assert oct(hotspot.stat().st_mode & 0o777) == "0o600"
    assert "method=shared" in hotspot.read_text()
    assert "@PSK@" not in hotspot.read_text()
    wants = root / "etc/systemd/system/multi-user.target.wants"
    assert sorted(p.name for p in wants.iterdir()) == [
        "karaoke-firstboot.service",
        "karaoke-network.service",
        "karaoke.service",
    ]


def test_user_gets_the_groups_that_exist(installed: tuple[Path, str]) -> None:
    root, output = installed
    assert "group gpio does not exist here: skipped" in output
    assert "group render does not exist here: skipped" in output
    passwd = (root / "etc/passwd").read_text()
    assert "karaoke:x:" in passwd and ":/var/lib/karaoke:/usr/sbin/nologin" in passwd
    members = {
        line.split(":")[0]
        for line in (root / "etc/group").read_text().splitlines()
        if "karaoke" in line.split(":")[3].split(",")
    }
    assert members == {"video", "audio", "plugdev", "input"}


def test_kernel_command_line_gets_each_parameter_once(installed: tuple[Path, str]) -> None:
    root, _ = installed
    line = (root / "boot/firmware/cmdline.txt").read_text()
    assert line == (
        "console=tty1 root=PARTUUID=0-02 rootwait"
        " video=HDMI-A-1:1920x1080@60 vt.global_cursor_default=0\n"
    )
    assert (root / "etc/hostname").read_text() == "karaoke\n"


def test_the_app_imports_from_the_installed_venv(installed: tuple[Path, str]) -> None:
    root, _ = installed
    python = root / "opt/karaoke/venv/bin/python"
    result = subprocess.run(
        [str(python), "-B", "-c", "import appliance.system.notify as n; print(n.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
    )
    assert str(root / "opt/karaoke/venv") in result.stdout


def test_second_run_changes_nothing(tmp_path: Path, wheel: Path) -> None:
    root = make_root(tmp_path / "r")
    run_install(root, wheel, "--image-mode")
    before = tree_digest(root)
    second = run_install(root, wheel, "--image-mode")
    assert tree_digest(root) == before
    assert "wrote" not in second.stdout and "creating" not in second.stdout


def test_dry_run_lists_actions_and_changes_nothing(tmp_path: Path, wheel: Path) -> None:
    root = make_root(tmp_path / "r")
    before = tree_digest(root)
    result = run_install(root, wheel, "--dry-run")
    assert tree_digest(root) == before
    assert "would run: useradd" in result.stdout
    assert "would write: /etc/systemd/system/karaoke.service" in result.stdout
    assert "would set on /boot/firmware/cmdline.txt" in result.stdout


def test_unknown_option_is_refused() -> None:
    result = subprocess.run([str(INSTALL), "--bogus"], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "unknown option --bogus" in result.stderr
