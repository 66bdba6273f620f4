"""Every Debian package the box names exists for arm64, in Debian bookworm and trixie (the bases of
Raspberry Pi OS). apt runs with a private config, state, cache and lists under a temp folder:
the host's apt state and architectures are never touched. Needs Debian's mirror: skipped offline.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MIRROR_HOST = "deb.debian.org"
KEYRING = Path("/usr/share/keyrings/debian-archive-keyring.gpg")


def mirror_reachable() -> bool:
    try:
        with socket.create_connection((MIRROR_HOST, 80), timeout=5):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(shutil.which("apt-get") is None, reason="apt-get is not installed"),
    pytest.mark.skipif(not KEYRING.exists(), reason=f"{KEYRING} missing (debian-archive-keyring)"),
    pytest.mark.skipif(
        not mirror_reachable(), reason=f"offline: {MIRROR_HOST} unreachable, cannot list arm64"
    ),
    pytest.mark.slow,
]


def named_packages() -> list[str]:
    """The run packages (`scripts/setup.sh packages`) and deploy/packages-appliance.txt."""
    listed = subprocess.run(
        ["bash", str(REPO / "scripts/setup.sh"), "packages"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for line in (REPO / "deploy/packages-appliance.txt").read_text().splitlines():
        listed += line.split("#", 1)[0].split()
    for layer in (REPO / "image").rglob("*.yaml"):  # packages the image layers and layout name
        listed += re.findall(r"(?m)^    - ([a-z0-9][a-z0-9.+-]+)$", layer.read_text())
    return sorted(set(listed))


class PrivateApt:
    """apt-get/apt-cache confined to one folder, for arm64 only."""

    def __init__(self, base: Path, suite: str) -> None:
        self.base = base
        for folder in (
            "lists/partial",
            "cache/archives/partial",
            "sources.list.d",
            "preferences.d",
        ):
            (base / folder).mkdir(parents=True, exist_ok=True)
        (base / "status").write_text("")
        (base / "sources.list").write_text(
            f"deb [arch=arm64 signed-by={KEYRING}] http://{MIRROR_HOST}/debian {suite} main\n"
        )

    def options(self) -> list[str]:
        b = self.base
        settings = {
            "APT::Architecture": "arm64",
            "APT::Architectures": "arm64",
            "Dir::State": str(b),
            "Dir::State::Lists": str(b / "lists"),
            "Dir::State::status": str(b / "status"),
            "Dir::Cache": str(b / "cache"),
            "Dir::Etc::SourceList": str(b / "sources.list"),
            "Dir::Etc::SourceParts": str(b / "sources.list.d"),
            "Dir::Etc::PreferencesParts": str(b / "preferences.d"),
            "Acquire::Languages": "none",
            "APT::Sandbox::User": "root",
            "Debug::NoLocking": "1",
        }
        return [arg for key, value in settings.items() for arg in ("-o", f"{key}={value}")]

    def update(self) -> None:
        subprocess.run(
            ["apt-get", *self.options(), "update", "-qq"],
            check=True,
            capture_output=True,
            timeout=300,
        )

    def missing(self, packages: list[str]) -> list[str]:
        result = subprocess.run(
            ["apt-cache", *self.options(), "show", "--no-all-versions", *packages],
            capture_output=True,
            text=True,
            check=False,
        )
        found = {
            line.split(":", 1)[1].strip()
            for line in result.stdout.splitlines()
            if line.startswith("Package:")
        }
        return [package for package in packages if package not in found]


def dpkg_architectures() -> bytes:
    arch = Path("/var/lib/dpkg/arch")
    return arch.read_bytes() if arch.exists() else b""


@pytest.mark.parametrize("suite", ["bookworm", "trixie"])
def test_every_named_package_exists_for_arm64(tmp_path: Path, suite: str) -> None:
    host_architectures = (
        Path("/var/lib/dpkg/arch").read_bytes() if Path("/var/lib/dpkg/arch").exists() else b""
    )
    apt = PrivateApt(tmp_path / "apt", suite)
    apt.update()
    packages = named_packages()
    assert len(packages) > 20
    assert apt.missing(packages) == []
    host_now = (
        Path("/var/lib/dpkg/arch").read_bytes() if Path("/var/lib/dpkg/arch").exists() else b""
    )
    assert host_now == host_architectures  # the host's dpkg architectures are untouched
