"""System-side checks for ``karaoke doctor``: each says what it found and what to fix.

Plain functions returning :class:`SystemCheck`; the CLI prints them::

    for check in run_system_checks(state_dir=Path("/var/lib/karaoke")):
        print(f"[{check.status}] {check.name}: {check.detail}")
        if check.fix:
            print(f"    fix: {check.fix}")

Every path is a parameter, so tests point them at folders they build.
"""

from __future__ import annotations

import os
import resource
import shutil
from collections.abc import Callable
from pathlib import Path

from appliance.core.health import FAIL, OK, WARN, Check
from appliance.system.network import NetworkMode, read_mode

SystemCheck = Check
"""System checks are the core's health checks (one type for ``karaoke doctor``)."""


APPLIANCE_UNIT = Path("/etc/systemd/system/karaoke.service")
"""Installed by ``deploy/install.sh``: its presence makes this machine the appliance."""


def checks(state_dir: Path) -> list[Check]:
    """What ``karaoke doctor`` runs for the system side."""
    return run_system_checks(state_dir)


def is_appliance(unit: Path = APPLIANCE_UNIT) -> bool:
    """True on a box installed from ``deploy/`` (or the image), False on a laptop or desktop.

    The appliance's checks (HDMI connector, sound cards by name, GPIO chips, the network
    service) and their fixes (``config.txt``, ``dtparam``) only make sense there; elsewhere the
    display, sound device and buttons parts' own checks say what this machine has."""
    return unit.exists()


def check_display(drm_dir: Path = Path("/sys/class/drm")) -> SystemCheck:
    """A connected HDMI connector (KMS/DRM)."""
    connectors = sorted(drm_dir.glob("card*-HDMI-A-*")) if drm_dir.is_dir() else []
    if not connectors:
        return SystemCheck(
            "display",
            FAIL,
            "no HDMI connector under " + str(drm_dir),
            "enable KMS: dtoverlay=vc4-kms-v3d in /boot/firmware/config.txt, then reboot",
        )
    connected = [c.name for c in connectors if _read(c / "status") == "connected"]
    if not connected:
        return SystemCheck(
            "display",
            WARN,
            "HDMI present but no TV connected",
            "plug the TV into HDMI 0 (next to the power socket) before powering the box",
        )
    return SystemCheck("display", OK, "TV connected on " + ", ".join(connected))


def sound_cards(cards_file: Path = Path("/proc/asound/cards")) -> list[str]:
    """ALSA card ids (names such as ``vc4hdmi0``, ``Headphones``), never numbers."""
    names = []
    for line in _read(cards_file).splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0].isdigit() and parts[1].startswith("["):
            names.append(parts[1].strip("[]").strip())
    return names


def check_audio(cards_file: Path = Path("/proc/asound/cards")) -> SystemCheck:
    """Sound cards by name: HDMI (exists only with a TV connected), headphones or USB."""
    names = sound_cards(cards_file)
    if not names:
        return SystemCheck(
            "audio",
            FAIL,
            "no sound card",
            "connect the TV (HDMI audio comes with it) or a USB sound card; dtparam=audio=on",
        )
    hdmi = [name for name in names if name.startswith("vc4hdmi")]
    status = OK if hdmi else WARN
    fix = "" if hdmi else "no HDMI audio: is the TV on and connected before boot?"
    return SystemCheck("audio", status, "cards: " + ", ".join(names), fix)


def check_gpio(
    dev_dir: Path = Path("/dev"), groups: Callable[[], list[int]] = os.getgroups
) -> SystemCheck:
    """A GPIO chip, and that this user may open it (group gpio)."""
    chips = sorted(path.name for path in dev_dir.glob("gpiochip*"))
    if not chips:
        return SystemCheck("gpio", WARN, "no /dev/gpiochip*: buttons off", "not a Raspberry Pi?")
    chip = dev_dir / chips[0]
    if os.access(chip, os.R_OK | os.W_OK):
        return SystemCheck("gpio", OK, "chips: " + ", ".join(chips))
    return SystemCheck(
        "gpio",
        FAIL,
        f"{chip} not accessible (groups {groups()})",
        "add the user to the gpio group: sudo usermod -aG gpio karaoke",
    )


def check_network(run_dir: Path = Path("/run/karaoke-network")) -> SystemCheck:
    """The mode chosen at boot by karaoke-network.service."""
    mode = read_mode(run_dir)
    if mode is NetworkMode.VENUE:
        return SystemCheck("network", OK, "joined the venue's network")
    if mode is NetworkMode.HOTSPOT:
        return SystemCheck("network", OK, "own hotspot (guests scan the Wi-Fi QR code)")
    if mode is NetworkMode.OFFLINE:
        return SystemCheck(
            "network",
            WARN,
            "no network: phones cannot reach the remote",
            "set [wifi] in /boot/firmware/karaoke.toml, or plug in a cable, and reboot",
        )
    return SystemCheck(
        "network",
        WARN,
        "mode unknown (karaoke-network.service has not run)",
        "sudo systemctl start karaoke-network.service",
    )


def check_disk_space(state_dir: Path, minimum_mb: int = 200) -> SystemCheck:
    """Free space where the state (queue, history, imports) is written."""
    folder = state_dir if state_dir.exists() else state_dir.parent
    try:
        free_mb = shutil.disk_usage(folder).free // 1_000_000
    except OSError as error:
        return SystemCheck("disk", FAIL, f"{state_dir}: {error}", "check the data partition")
    if free_mb < minimum_mb:
        return SystemCheck(
            "disk",
            FAIL,
            f"{free_mb} MB free in {folder}",
            "delete imported songs or use a larger SD card",
        )
    return SystemCheck("disk", OK, f"{free_mb} MB free in {folder}")


def check_realtime(
    getrlimit: Callable[[int], tuple[int, int]] = resource.getrlimit,
    euid: Callable[[], int] = os.geteuid,
) -> SystemCheck:
    """The audio thread may raise itself to SCHED_FIFO (LimitRTPRIO) and lock memory."""
    soft_rt, _ = getrlimit(resource.RLIMIT_RTPRIO)
    soft_lock, _ = getrlimit(resource.RLIMIT_MEMLOCK)
    lock = "unlimited" if soft_lock == resource.RLIM_INFINITY else f"{soft_lock // 1_048_576} MB"
    if euid() == 0:
        return SystemCheck("realtime", OK, f"running as root: any priority, memlock {lock}")
    if soft_rt <= 0:
        return SystemCheck(
            "realtime",
            WARN,
            f"no real-time priority allowed (RLIMIT_RTPRIO 0, memlock {lock})",
            "run as the service (LimitRTPRIO=50), or add an rtprio limit in /etc/security/limits.d",
        )
    return SystemCheck("realtime", OK, f"real-time priority up to {soft_rt}, memlock {lock}")


def run_system_checks(
    state_dir: Path = Path("/var/lib/karaoke"), appliance: bool | None = None
) -> list[SystemCheck]:
    """The system checks with the box's real paths, in the order a person would fix them: on
    the appliance all of them, elsewhere those that mean something on any Linux machine.
    Real-time priority is the audio part's check (what the engine was granted, else whether
    this user may have it), said once; ``check_realtime`` reads the limits behind it."""
    on_appliance = is_appliance() if appliance is None else appliance
    box_only = [check_display(), check_audio(), check_gpio(), check_network()]
    return [*(box_only if on_appliance else []), check_disk_space(state_dir)]


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""
