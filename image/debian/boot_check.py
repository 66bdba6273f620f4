"""Boots the arm64 image in qemu-system-aarch64 and checks the box on it (run by boot-test.sh).

    python image/debian/boot_check.py IMAGE EVIDENCE_DIR

Works on a copy of IMAGE (the original is not touched): puts a ``karaoke.toml`` on its boot
partition (first-boot settings, as a user would) and a read-only probe unit in its root that
prints the box's state (units, watchdog, mounts, fsck) on the serial console every 10 s. Then:
boot 1 (first boot), the TV's screendump with its QR code, the remote through a forwarded port,
two singers queue songs, the song plays into QEMU's WAV; a power cut (QEMU killed); boot 2:
filesystems clean, queue and singers intact, the night goes on. Writes checks.json, the
screendumps (PNG), the serial logs and the WAVs to EVIDENCE_DIR. Exit 0 only when every check
holds. Emulation is slow: times are measured and reported, never asserted.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

# Run as a script (boot-test.sh) or loaded by path (tests/image): the package beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bootcheck.evidence import WavLevel, all_passed, decode_qr, lit_fraction, wav_level
from bootcheck.guest_probe import fsck_clean, fsck_lines, parse_probes, watchdog_pings
from bootcheck.night import BootTest
from bootcheck.qemu_machine import DEFAULT_GPU, partition_offsets

__all__ = [
    "BootTest",
    "WavLevel",
    "all_passed",
    "decode_qr",
    "fsck_clean",
    "fsck_lines",
    "lit_fraction",
    "parse_probes",
    "partition_offsets",
    "watchdog_pings",
    "wav_level",
]


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    image, evidence = Path(argv[1]).resolve(), Path(argv[2]).resolve()
    evidence.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ["MTOOLS_SKIP_CHECK"] = "1"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop QEMU on the way out
    timeout_s = float(os.environ.get("KARAOKE_BOOT_TIMEOUT", "1800"))
    test = BootTest(image, evidence, timeout_s, os.environ.get("KARAOKE_BOOT_GPU", DEFAULT_GPU))
    try:
        ok = test.run()
    finally:
        (evidence / "checks.json").write_text(
            json.dumps({"passed": all_passed(test.checks), "checks": test.checks}, indent=1)
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
