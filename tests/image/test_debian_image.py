"""image/debian: build.sh's plan, the scripts' shellcheck, boot_check.py's pure functions.

The real build and boot (tens of minutes, root, network) run only in `.ci/run` with
KARAOKE_CI_ARM64=1; these checks are fast and need neither root nor the image.
"""

from __future__ import annotations

import importlib.util
import json
import math
import struct
import subprocess
import sys
import wave
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEBIAN = REPO / "image" / "debian"


def load_boot_check():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("boot_check", DEBIAN / "boot_check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["boot_check"] = module
    spec.loader.exec_module(module)
    return module


bc = load_boot_check()


def plan(*args: str) -> str:
    result = subprocess.run(
        ["bash", str(DEBIAN / "build.sh"), "--dry-run", *args, "/tmp/never-written.img"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def test_the_new_scripts_pass_shellcheck() -> None:
    scripts = [str(DEBIAN / "build.sh"), str(DEBIAN / "boot-test.sh")]
    result = subprocess.run(
        ["shellcheck", "--external-sources", *scripts], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_plan_installs_every_package_the_installer_would() -> None:
    text = plan()
    packages = set(next(line for line in text.splitlines() if "packages:" in line).split()[1:])
    app = subprocess.run(
        ["bash", str(REPO / "scripts" / "setup.sh"), "packages"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    appliance = [
        word
        for line in (REPO / "deploy" / "packages-appliance.txt").read_text().splitlines()
        if not line.lstrip().startswith("#")
        for word in line.split()
    ]
    assert set(app) | set(appliance) <= packages
    assert {"linux-image-arm64", "raspi-firmware", "initramfs-tools", "systemd-sysv"} <= packages


def test_the_plan_is_debian_only_with_the_documented_card_layout() -> None:
    text = plan("--data-size", "300")
    sources = [line.split("source: ", 1)[1] for line in text.splitlines() if "source: " in line]
    assert sources and all(" http://deb.debian.org/debian" in s for s in sources)
    assert all("raspberrypi" not in s for s in sources)
    assert "--variant=apt --arch=arm64 bookworm" in text
    assert "--image-mode --data-partition --skip-packages" in text
    assert "p1 vfat BOOT" in text and "p2 ext4 ROOT" in text
    assert "p3 ext4 KARAOKE-DATA 300MiB /var/lib/karaoke" in text


def test_the_initramfs_finds_the_root_on_a_pi_and_on_qemu() -> None:
    modules = next(line for line in plan().splitlines() if "MODULES=list" in line).split()
    assert {"ext4", "overlay", "mmc_block", "sdhci_iproc", "virtio_blk", "virtio_pci"} <= set(
        modules
    )


def test_build_refuses_a_missing_output_and_unknown_options() -> None:
    for args in ([], ["--bogus", "x.img"]):
        result = subprocess.run(
            ["bash", str(DEBIAN / "build.sh"), *args], capture_output=True, text=True, check=False
        )
        assert result.returncode == 2


SERIAL = """\
[   12.3] systemd[1]: Started karaoke.service
KARAOKE-PROBE uptime=60.1 system=running firstboot=active ActiveState=active SubState=running \
NRestarts=0 WatchdogUSec=30s WatchdogTimestampMonotonic=0 hostname=karaoke-qemu applied=yes
noise KARAOKE-PROBE uptime=70.2 ActiveState=active WatchdogTimestampMonotonic=65000000
KARAOKE-PROBE uptime=80.2 ActiveState=active WatchdogTimestampMonotonic=79000000
KARAOKE-PROBE uptime=90.2 ActiveState=activating WatchdogTimestampMonotonic=89000000
KARAOKE-PROBE uptime=95.0 ActiveState=active WatchdogTimestampMonotonic=79000000
KARAOKE-FSCK KARAOKE-DATA: recovering journal
KARAOKE-FSCK KARAOKE-DATA: clean, 30/65536 files, 9000/65536 blocks
"""


def test_probe_reports_are_parsed_from_a_noisy_serial_log() -> None:
    probes = bc.parse_probes(SERIAL)
    assert len(probes) == 5
    assert probes[0]["hostname"] == "karaoke-qemu" and probes[0]["WatchdogUSec"] == "30s"
    assert probes[1] == {
        "uptime": "70.2",
        "ActiveState": "active",
        "WatchdogTimestampMonotonic": "65000000",
    }


def test_watchdog_pings_count_only_moves_of_an_active_service() -> None:
    assert bc.watchdog_pings(bc.parse_probes(SERIAL)) == 1  # 65 -> 79 s; 0 is "never pinged"
    assert bc.watchdog_pings([]) == 0


def test_fsck_lines_and_what_counts_as_clean() -> None:
    lines = bc.fsck_lines(SERIAL)
    assert lines == [
        "KARAOKE-DATA: recovering journal",
        "KARAOKE-DATA: clean, 30/65536 files, 9000/65536 blocks",
    ]
    assert bc.fsck_clean(lines)
    assert not bc.fsck_clean([*lines, "KARAOKE-DATA: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY."])
    assert not bc.fsck_clean(["EXT4-fs error (device vda3): ext4_lookup:1855: inode #2"])


def sine_wav(path: Path, seconds: float, amplitude: float, silence_s: float = 0.0) -> bytes:
    rate = 8000
    frames = [0] * int(silence_s * rate) * 2
    for i in range(int(seconds * rate)):
        value = int(amplitude * 32767 * math.sin(2 * math.pi * 440 * i / rate))
        frames += [value, value]
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack(f"<{len(frames)}h", *frames))
    return path.read_bytes()


def test_wav_level_of_a_sine_after_silence(tmp_path: Path) -> None:
    level = bc.wav_level(sine_wav(tmp_path / "a.wav", 2.0, 0.1, silence_s=1.0))
    assert level.seconds == pytest.approx(3.0)
    assert level.loud_seconds == pytest.approx(2.0, abs=0.1)
    assert level.peak_dbfs == pytest.approx(-20.0, abs=0.2)
    # RMS of a -20 dBFS-peak sine over 2 of 3 seconds: -20 - 3.01 + 10*log10(2/3)
    assert level.rms_dbfs == pytest.approx(-20 - 3.01 + 10 * math.log10(2 / 3), abs=0.3)


def test_wav_level_reads_a_wav_whose_writer_was_killed(tmp_path: Path) -> None:
    data = bytearray(sine_wav(tmp_path / "a.wav", 1.0, 0.5))
    data[4:8] = b"\0\0\0\0"  # QEMU killed: RIFF and data sizes never written
    data[40:44] = b"\0\0\0\0"
    data += b"\x01"  # and a torn last frame
    level = bc.wav_level(bytes(data))
    assert level.seconds == pytest.approx(1.0) and level.peak_dbfs == pytest.approx(-6.0, abs=0.2)
    with pytest.raises(ValueError):
        bc.wav_level(b"not a wav at all")


def test_partition_offsets_from_sfdisk_json() -> None:
    table = {
        "partitiontable": {
            "label": "dos",
            "sectorsize": 512,
            "partitions": [
                {"node": "x1", "start": 16384, "size": 524288, "type": "c"},
                {"node": "x2", "start": 540672, "size": 3145728, "type": "83"},
            ],
        }
    }
    assert bc.partition_offsets(json.dumps(table)) == [8 * 2**20, 264 * 2**20]


def test_all_passed_needs_at_least_one_check() -> None:
    assert not bc.all_passed([])
    assert bc.all_passed([{"passed": True}])
    assert not bc.all_passed([{"passed": True}, {"passed": False}])


def test_decode_qr_reads_a_rendered_code_back(tmp_path: Path) -> None:
    import segno

    png = tmp_path / "tv.png"
    segno.make_qr("http://10.0.2.15/").save(str(png), scale=8, border=4)
    assert bc.decode_qr(png) == ["http://10.0.2.15/"]


def test_lit_fraction_tells_a_black_screendump_from_a_drawn_one(tmp_path: Path) -> None:
    import pygame

    screen = pygame.Surface((40, 20))
    black = tmp_path / "black.png"
    pygame.image.save(screen, str(black))
    screen.fill((0, 0, 1), pygame.Rect(0, 0, 10, 20))  # a quarter, barely lit
    quarter = tmp_path / "quarter.png"
    pygame.image.save(screen, str(quarter))
    assert bc.lit_fraction(black) == 0.0
    assert bc.lit_fraction(quarter) == 0.25
