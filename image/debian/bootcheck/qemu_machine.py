"""The machine under test: the working copy of the card and one run of qemu-system-aarch64 on it
(virt, cortex-a72, 4 CPUs, 2 GB, a GPU as the TV, a USB sound card recorded to a WAV, the remote
forwarded to a loopback port, the serial console to a file, QMP for screendumps and the power
cut)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from .guest_probe import (
    PROBE_SCRIPT,
    PROBE_UNIT,
    QEMU_TV_DROPIN,
    SLOW_START_DROPIN,
    parse_probes,
)

GROW_MIB = 512  # the test's card is this much larger than the image
DEFAULT_GPU = "virtio-gpu-pci"  # the TV
GUEST_ADDRESS = "10.0.2.15"  # QEMU user networking's address for the guest


def run(*cmd: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def partition_offsets(sfdisk_json: str) -> list[int]:
    """Byte offsets of the partitions in ``sfdisk --json`` output, in table order."""
    table = json.loads(sfdisk_json)["partitiontable"]
    sector = int(table.get("sectorsize", 512))
    return [int(p["start"]) * sector for p in table["partitions"]]


class Card:
    """The working copy of the image and its partitions."""

    def __init__(self, image: Path, work: Path) -> None:
        self.path = work / "card.img"
        run("cp", "--sparse=always", str(image), str(self.path))
        # A card larger than the image, as a real one is: the data partition grows into the rest.
        run("truncate", "-s", f"+{GROW_MIB}M", str(self.path))
        table = run("sfdisk", "--json", str(self.path)).stdout
        self.offsets = partition_offsets(table)
        self.sizes = [
            int(p["size"]) * 512 for p in json.loads(table)["partitiontable"]["partitions"]
        ]

    def boot(self) -> str:
        return f"{self.path}@@{self.offsets[0]}"

    def root(self) -> str:
        return f"{self.path}?offset={self.offsets[1]}"

    def boot_files(self) -> list[str]:
        listing = run("mdir", "-b", "-i", self.boot(), "::/").stdout
        return [line.strip().lstrip(":/") for line in listing.splitlines() if line.strip()]

    def get_boot_file(self, name: str, dest: Path) -> Path:
        run("mcopy", "-o", "-i", self.boot(), f"::/{name}", str(dest))
        return dest

    def put_boot_file(self, src: Path, name: str) -> None:
        run("mcopy", "-o", "-i", self.boot(), str(src), f"::/{name}")

    def add_probe(self, work: Path) -> None:
        script, unit, dropin = work / "probe.sh", work / "probe.service", work / "slow.conf"
        script.write_text(PROBE_SCRIPT)
        unit.write_text(PROBE_UNIT)
        dropin.write_text(SLOW_START_DROPIN)
        tv = work / "qemu-tv.conf"
        tv.write_text(QEMU_TV_DROPIN)
        wants = "/etc/systemd/system/multi-user.target.wants"
        unit_path = "/etc/systemd/system/karaoke-boot-probe.service"
        requests = [
            f"write {script} /usr/local/sbin/karaoke-boot-probe",
            "sif /usr/local/sbin/karaoke-boot-probe mode 0100755",
            f"write {unit} {unit_path}",
            f"symlink {wants}/karaoke-boot-probe.service {unit_path}",
            "mkdir /etc/systemd/system/karaoke.service.d",
            f"write {dropin} /etc/systemd/system/karaoke.service.d/boot-test-slow-start.conf",
            f"write {tv} /etc/systemd/system/karaoke.service.d/boot-test-qemu-tv.conf",
        ]
        (work / "debugfs.cmd").write_text("\n".join(requests) + "\n")
        run("debugfs", "-w", "-f", str(work / "debugfs.cmd"), self.root())


def qemu_command(
    card: Card,
    kernel: Path,
    initrd: Path,
    *,
    gpu: str,
    wav: Path,
    port: int,
    serial: str,
    qmp: Path,
) -> list[str]:
    """The qemu-system-aarch64 command line: ``serial`` is the serial console's chardev."""
    cmdline = "root=LABEL=ROOT ro console=ttyAMA0 vt.global_cursor_default=0"
    devices = [
        "virtio-blk-pci,drive=card",
        gpu,
        "qemu-xhci",
        "usb-audio,audiodev=snd",
        "virtio-net-pci,netdev=net,romfile=",  # no iPXE ROM: the kernel boots directly
    ]
    return [
        "qemu-system-aarch64",
        *("-M", "virt", "-cpu", "cortex-a72", "-smp", "4", "-m", "2048"),
        *("-kernel", str(kernel), "-initrd", str(initrd), "-append", cmdline),
        *("-drive", f"if=none,id=card,format=raw,file={card.path}"),
        *(arg for device in devices for arg in ("-device", device)),
        *("-display", "none", "-audiodev", f"wav,id=snd,path={wav}"),
        *("-netdev", f"user,id=net,hostfwd=tcp:127.0.0.1:{port}-:80"),
        *("-chardev", serial, "-serial", "chardev:ser"),
        *("-qmp", f"unix:{qmp},server=on,wait=off", "-no-reboot"),
    ]


class Machine:
    """One run of qemu-system-aarch64 on the card. ``gpu``: the TV's QEMU device.
    ``console_input``: the serial console is also a socket one can type into (debugging)."""

    def __init__(
        self,
        card: Card,
        kernel: Path,
        initrd: Path,
        evidence: Path,
        name: str,
        *,
        gpu: str = DEFAULT_GPU,
        console_input: bool = False,
    ) -> None:
        self.port = free_port()
        self.serial = evidence / f"serial-{name}.log"
        self.wav = evidence / f"audio-{name}.wav"
        self.qmp_path = evidence.parent / f".qmp-{os.getpid()}-{name}.sock"
        self.console_path = evidence.parent / f".console-{os.getpid()}-{name}.sock"
        self.started = time.monotonic()
        serial = f"file,id=ser,path={self.serial}"
        if console_input:
            serial = (
                f"socket,id=ser,path={self.console_path},server=on,wait=off,logfile={self.serial}"
            )
        cmd = qemu_command(
            card,
            kernel,
            initrd,
            gpu=gpu,
            wav=self.wav,
            port=self.port,
            serial=serial,
            qmp=self.qmp_path,
        )
        self.stderr = evidence / f"qemu-{name}.log"
        with self.stderr.open("w") as err:
            self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)

    def type_on_console(self, text: str) -> None:
        """Types ``text`` on the serial console (``console_input`` machines only)."""
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(str(self.console_path))
            s.sendall(text.encode())
            time.sleep(0.5)

    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 1)

    def serial_text(self) -> str:
        return self.serial.read_text(errors="replace") if self.serial.exists() else ""

    def probes(self) -> list[dict[str, str]]:
        return parse_probes(self.serial_text())

    def qmp(self, command: str, **arguments: Any) -> dict[str, Any]:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(120)
            s.connect(str(self.qmp_path))
            reader = s.makefile("r")
            reader.readline()  # greeting
            for msg in (
                {"execute": "qmp_capabilities"},
                {"execute": command, "arguments": arguments},
            ):
                s.sendall(json.dumps(msg).encode() + b"\n")
                while True:
                    reply = json.loads(reader.readline())
                    if "return" in reply or "error" in reply:
                        break
        return reply

    def screendump(self, dest_png: Path) -> Path:
        ppm = dest_png.with_suffix(".ppm")
        self.qmp("screendump", filename=str(ppm))
        import pygame

        pygame.image.save(pygame.image.load(str(ppm)), str(dest_png))
        ppm.unlink()
        return dest_png

    def power_cut(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.qmp_path.unlink(missing_ok=True)

    def alive(self) -> bool:
        return self.proc.poll() is None
