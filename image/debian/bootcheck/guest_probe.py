"""What the boot test puts into its copy of the image, and how it reads what comes back.

The first-boot settings (``karaoke.toml`` on the boot partition, as a user would write it), a
read-only probe unit that prints the box's state on the serial console every 10 s, a drop-in that
gives the app time to start under emulation; then the parsers of the probe's serial reports.
"""

from __future__ import annotations

import itertools
import re

PROBE_PREFIX = "KARAOKE-PROBE "
FSCK_PREFIX = "KARAOKE-FSCK "
FIRSTBOOT_HOSTNAME = "karaoke-qemu"
FIRSTBOOT_TOML = f"""# written by image/debian/boot_check.py
hostname = "{FIRSTBOOT_HOSTNAME}"

[hotspot]
name = "KaraokeTest"
password = "sing-along-test"

[host]
pin = "4321"

[screen]
resolution = "1280x720@60"
"""

PROBE_SCRIPT = r"""#!/bin/sh
# boot-test probe (added by image/debian/boot_check.py to its copy of the image): the box's state
# on the serial console every 10 s. Reads only.
out=/dev/ttyAMA0
fsck_done=0
while :; do
  state=$(systemctl is-system-running)
  unit=$(systemctl show karaoke.service -p ActiveState -p SubState -p NRestarts -p WatchdogUSec \
    -p WatchdogTimestampMonotonic | tr '\n' ' ')
  applied=no; [ -f /boot/firmware/karaoke.toml.applied ] && applied=yes
  echo "KARAOKE-PROBE uptime=$(cut -d' ' -f1 /proc/uptime) system=$state" \
    "firstboot=$(systemctl is-active karaoke-firstboot.service) $unit hostname=$(hostname)" \
    "root_fs=$(findmnt -n -o FSTYPE /) data_opts=$(findmnt -n -o OPTIONS /var/lib/karaoke)" \
    "applied=$applied pin_lines=$(grep -c '^pin' /var/lib/karaoke/config.toml 2>/dev/null)" \
    "data_mib=$(df -B1M --output=size /var/lib/karaoke | tail -1 | tr -d ' ')" \
    "underflows=$(journalctl -b -u karaoke.service -o cat | grep -ci underflow)" > $out
  journalctl -u karaoke.service -b -o cat --cursor-file=/run/karaoke-probe.cursor |
    sed 's/^/KARAOKE-LOG /' > $out
  if [ $fsck_done = 0 ] && [ "$state" != starting ] && [ "$state" != initializing ]; then
    { journalctl -b -o cat -t systemd-fsck; journalctl -b -k -o cat | grep -i 'EXT4-fs'
      journalctl -b -o cat | grep -i overlayroot; cat /etc/overlayroot.local.conf; } |
      sed 's/^/KARAOKE-FSCK /' > $out
    fsck_done=1
  fi
  sleep 10
done
"""

# Emulation starts the app several times slower than a Pi: a start timeout of 90 s would restart it
# forever before it is up. The watchdog (WatchdogSec=30) is left as it is.
SLOW_START_DROPIN = """[Service]
TimeoutStartSec=900
"""

# QEMU's TV has no GPU behind it: Mesa renders in software (kms_swrast/llvmpipe). SDL's window
# framebuffer then takes the first render driver that opens, "opengl" (desktop GL through EGL), and
# every frame it presents is black (also with softpipe, LP_NUM_THREADS=0, double buffering, and on
# bochs-display); with its GLES2 renderer the frames show. A boot-test setting, not the product's:
# a Pi renders with vc4/v3d, where SDL's own choice has not been seen to fail (docs/appliance.md).
QEMU_TV_DROPIN = """[Service]
Environment=SDL_FRAMEBUFFER_ACCELERATION=opengles2
"""

PROBE_UNIT = """[Unit]
Description=Karaoke boot-test probe (serial console reports)
After=local-fs.target

[Service]
ExecStart=/usr/local/sbin/karaoke-boot-probe

[Install]
WantedBy=multi-user.target
"""


def parse_probes(text: str) -> list[dict[str, str]]:
    """The probe's reports in a serial log, oldest first, as key=value dicts."""
    probes = []
    for line in text.splitlines():
        at = line.find(PROBE_PREFIX)
        if at < 0:
            continue
        fields: dict[str, str] = {}
        for word in line[at + len(PROBE_PREFIX) :].split():
            key, sep, value = word.partition("=")
            if sep:
                fields[key] = value
        probes.append(fields)
    return probes


def fsck_lines(text: str) -> list[str]:
    """The fsck and ext4 kernel messages the probe copied to the serial log."""
    out = []
    for line in text.splitlines():
        at = line.find(FSCK_PREFIX)
        if at >= 0:
            out.append(line[at + len(FSCK_PREFIX) :].strip())
    return out


def fsck_clean(lines: list[str]) -> bool:
    """No fsck found damage it could not fix without a human, and no ext4 error."""
    bad = re.compile(
        r"UNEXPECTED INCONSISTENCY|run fsck manually|EXT4-fs error|remounting.*read-only"
    )
    return not any(bad.search(line) for line in lines)


def watchdog_pings(probes: list[dict[str, str]]) -> int:
    """How many times the watchdog timestamp moved on between reports of an active service."""
    stamps = [
        int(p.get("WatchdogTimestampMonotonic", "0") or 0)
        for p in probes
        if p.get("ActiveState") == "active"
    ]
    return sum(1 for a, b in itertools.pairwise(stamps) if b > a > 0)
