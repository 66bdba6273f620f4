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

import http.cookiejar
import itertools
import json
import math
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROBE_PREFIX = "KARAOKE-PROBE "
FSCK_PREFIX = "KARAOKE-FSCK "
GROW_MIB = 512  # the test's card is this much larger than the image
GUEST_ADDRESS = "10.0.2.15"  # QEMU user networking's address for the guest
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

PROBE_UNIT = """[Unit]
Description=Karaoke boot-test probe (serial console reports)
After=local-fs.target

[Service]
ExecStart=/usr/local/sbin/karaoke-boot-probe

[Install]
WantedBy=multi-user.target
"""


# --- pure functions (tested in tests/image) -------------------------------------------------


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


@dataclass
class WavLevel:
    """Level of a captured WAV: duration, RMS and peak in dBFS, seconds above -50 dBFS."""

    seconds: float
    rms_dbfs: float
    peak_dbfs: float
    loud_seconds: float
    rate: int
    channels: int
    extra: dict[str, Any] = field(default_factory=dict)


def _dbfs(value: float) -> float:
    return round(20 * math.log10(value), 1) if value > 0 else -120.0


def wav_level(data: bytes, window_s: float = 0.1, from_byte: int = 0) -> WavLevel:
    """Level of a 16-bit PCM WAV, also one QEMU could not finish (killed: sizes in the header
    still 0), by reading whatever follows the ``data`` chunk header. ``from_byte``: only the
    samples from this offset in the file on (what was captured after a moment)."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a WAV file")
    pos, rate, channels, bits = 12, 0, 0, 0
    while pos + 8 <= len(data):
        chunk, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        if chunk == b"fmt ":
            _, channels, rate, _, _, bits = struct.unpack("<HHIIHH", data[pos + 8 : pos + 24])
        elif chunk == b"data":
            pos += 8
            break
        pos += 8 + size
    else:
        raise ValueError("no data chunk")
    if bits != 16 or channels < 1 or rate < 1:
        raise ValueError(f"unsupported WAV format: {bits} bits, {channels} channels, {rate} Hz")
    import numpy as np

    frame = 2 * channels
    if from_byte > pos:
        pos += (from_byte - pos) // frame * frame
    usable = max(0, len(data) - pos) // frame * frame
    samples = np.frombuffer(data, dtype="<i2", count=usable // 2, offset=pos).astype(np.float64)
    count = samples.size
    window = max(1, int(rate * window_s)) * channels
    windows = samples[: count // window * window].reshape(-1, window)
    window_rms = np.sqrt((windows**2).mean(axis=1)) / 32768 if windows.size else np.zeros(0)
    loud = int((window_rms > 10 ** (-50 / 20)).sum())
    rms = float(np.sqrt((samples**2).mean())) / 32768 if count else 0.0
    peak = float(np.abs(samples).max()) if count else 0.0
    return WavLevel(
        seconds=round(count / channels / rate, 2),
        rms_dbfs=_dbfs(rms),
        peak_dbfs=_dbfs(peak / 32768),
        loud_seconds=round(loud * window / channels / rate, 2),
        rate=rate,
        channels=channels,
    )


def partition_offsets(sfdisk_json: str) -> list[int]:
    """Byte offsets of the partitions in ``sfdisk --json`` output, in table order."""
    table = json.loads(sfdisk_json)["partitiontable"]
    sector = int(table.get("sectorsize", 512))
    return [int(p["start"]) * sector for p in table["partitions"]]


def all_passed(checks: list[dict[str, Any]]) -> bool:
    """Every check passed (and there is at least one)."""
    return bool(checks) and all(c["passed"] for c in checks)


# --- the machine ------------------------------------------------------------------------------


def run(*cmd: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
        wants = "/etc/systemd/system/multi-user.target.wants"
        unit_path = "/etc/systemd/system/karaoke-boot-probe.service"
        requests = [
            f"write {script} /usr/local/sbin/karaoke-boot-probe",
            "sif /usr/local/sbin/karaoke-boot-probe mode 0100755",
            f"write {unit} {unit_path}",
            f"symlink {wants}/karaoke-boot-probe.service {unit_path}",
            "mkdir /etc/systemd/system/karaoke.service.d",
            f"write {dropin} /etc/systemd/system/karaoke.service.d/boot-test-slow-start.conf",
        ]
        (work / "debugfs.cmd").write_text("\n".join(requests) + "\n")
        run("debugfs", "-w", "-f", str(work / "debugfs.cmd"), self.root())


class Machine:
    """One run of qemu-system-aarch64 on the card."""

    def __init__(self, card: Card, kernel: Path, initrd: Path, evidence: Path, name: str) -> None:
        self.port = free_port()
        self.serial = evidence / f"serial-{name}.log"
        self.wav = evidence / f"audio-{name}.wav"
        self.qmp_path = evidence.parent / f".qmp-{os.getpid()}-{name}.sock"
        self.started = time.monotonic()
        cmdline = "root=LABEL=ROOT ro console=ttyAMA0 vt.global_cursor_default=0"
        cmd = [
            "qemu-system-aarch64",
            "-M",
            "virt",
            "-cpu",
            "cortex-a72",
            "-smp",
            "4",
            "-m",
            "2048",
            "-kernel",
            str(kernel),
            "-initrd",
            str(initrd),
            "-append",
            cmdline,
            "-drive",
            f"if=none,id=card,format=raw,file={card.path}",
            "-device",
            "virtio-blk-pci,drive=card",
            "-device",
            "virtio-gpu-pci",
            "-display",
            "none",
            "-audiodev",
            f"wav,id=snd,path={self.wav}",
            "-device",
            "qemu-xhci",
            "-device",
            "usb-audio,audiodev=snd",
            "-netdev",
            f"user,id=net,hostfwd=tcp:127.0.0.1:{self.port}-:80",
            "-device",
            "virtio-net-pci,netdev=net,romfile=",  # no iPXE ROM: the kernel boots directly
            "-chardev",
            f"file,id=ser,path={self.serial}",
            "-serial",
            "chardev:ser",
            "-qmp",
            f"unix:{self.qmp_path},server=on,wait=off",
            "-no-reboot",
        ]
        self.stderr = evidence / f"qemu-{name}.log"
        with self.stderr.open("w") as err:
            self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)

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


def decode_qr(png: Path) -> list[str]:
    """Texts of the QR codes in a PNG (zxing-cpp)."""
    import numpy as np
    import pygame
    import zxingcpp

    surface = pygame.image.load(str(png))
    pixels = np.ascontiguousarray(pygame.surfarray.array3d(surface).swapaxes(0, 1))
    return [
        r.text for r in zxingcpp.read_barcodes(pixels) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]


class Remote:
    """A phone: a cookie jar and the CSRF token, talking to the forwarded port."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.csrf = ""

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.csrf:
            req.add_header("X-CSRF-Token", self.csrf)
        with self.opener.open(req, timeout=60) as resp:
            raw = resp.read()
        return json.loads(raw) if raw[:1] in (b"{", b"[") else raw.decode(errors="replace")

    def open_session(self) -> dict[str, Any]:
        session = self.call("GET", "/api/session")
        self.csrf = session["csrf_token"]
        return session


def wait_for(what: str, test: Any, timeout_s: float, every_s: float = 5) -> Any:
    """Polls test() until it returns something truthy; None after timeout_s."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            found = test()
        except Exception:  # the box is still booting
            found = None
        if found:
            return found
        time.sleep(every_s)
    print(f"boot-check: gave up waiting for {what} after {timeout_s:.0f}s", file=sys.stderr)
    return None


# --- the checks -------------------------------------------------------------------------------


class BootTest:
    def __init__(self, image: Path, evidence: Path, timeout_s: float) -> None:
        self.evidence = evidence
        self.timeout_s = timeout_s
        self.work = evidence / "work"
        self.work.mkdir(parents=True, exist_ok=True)
        self.checks: list[dict[str, Any]] = []
        self.card = Card(image, self.work)
        self.data_built_mib = self.card.sizes[2] // 2**20
        files = self.card.boot_files()
        kernel = sorted(f for f in files if f.startswith("vmlinuz"))[-1]
        initrd = sorted(f for f in files if f.startswith("initrd.img"))[-1]
        self.kernel = self.card.get_boot_file(kernel, self.work / "vmlinuz")
        self.initrd = self.card.get_boot_file(initrd, self.work / "initrd.img")
        toml = self.work / "karaoke.toml"
        toml.write_text(FIRSTBOOT_TOML)
        self.card.put_boot_file(toml, "karaoke.toml")
        self.card.add_probe(self.work)

    def check(self, name: str, passed: bool, figure: Any, detail: str = "") -> bool:
        self.checks.append(
            {"name": name, "passed": bool(passed), "figure": figure, "detail": detail}
        )
        print(f"boot-check: {'PASS' if passed else 'FAIL'} {name}: {figure} {detail}", flush=True)
        return bool(passed)

    def boot(self, name: str) -> tuple[Machine, Remote | None]:
        vm = Machine(self.card, self.kernel, self.initrd, self.evidence, name)

        def remote_up() -> Remote | None:
            if not vm.alive():
                raise SystemExit(f"QEMU exited: {vm.stderr.read_text()[-2000:]}")
            phone = Remote(vm.port)
            phone.open_session()
            return phone

        phone = wait_for("the remote", remote_up, self.timeout_s, every_s=10)
        # The remote answers before the app tells systemd it is ready (READY=1 after the TV and
        # the engine are up): wait for the unit too.
        wait_for(
            "karaoke.service active",
            lambda: [p for p in vm.probes() if p.get("ActiveState") == "active"],
            self.timeout_s if phone else 0,
            every_s=10,
        )
        probes = vm.probes()
        active = [p for p in probes if p.get("ActiveState") == "active"]
        self.check(
            f"{name}: remote answers through the forwarded port",
            phone is not None,
            f"{vm.elapsed()} s after power on",
            f"127.0.0.1:{vm.port} -> :80",
        )
        self.check(
            f"{name}: karaoke.service active",
            bool(active),
            active[-1].get("SubState") if active else (probes[-1] if probes else "no probe"),
        )
        return vm, phone

    def wait_watchdog(self, vm: Machine, name: str) -> None:
        wait_for("watchdog pings", lambda: watchdog_pings(vm.probes()) >= 2, 300)
        probes = vm.probes()
        pings = watchdog_pings(probes)
        wd = probes[-1].get("WatchdogUSec", "?") if probes else "?"
        self.check(f"{name}: watchdog fed", pings >= 2, f"{pings} pings seen", f"WatchdogUSec={wd}")

    def first_boot_settings(self, vm: Machine) -> None:
        last = wait_for(
            "first-boot settings", lambda: [p for p in vm.probes() if p.get("applied") == "yes"], 60
        )
        probe = last[-1] if last else (vm.probes() or [{}])[-1]
        ok = probe.get("applied") == "yes" and probe.get("hostname") == FIRSTBOOT_HOSTNAME
        ok = ok and probe.get("pin_lines", "0") not in ("", "0")
        keys = ("applied", "hostname", "pin_lines", "firstboot")
        self.check(
            "boot 1: first-boot settings applied",
            ok,
            {k: probe.get(k) for k in keys},
        )

    def data_grown(self, vm: Machine) -> None:
        built = self.data_built_mib
        sizes = [int(p.get("data_mib") or 0) for p in vm.probes()]
        grown = max(sizes, default=0)
        self.check(
            "boot 2: data partition grown to the card's end",
            grown > built + GROW_MIB // 2,
            f"{grown} MiB",
            f"built {built} MiB, card {GROW_MIB} MiB larger",
        )

    def tv_qr(self, vm: Machine, phone: Remote, name: str) -> None:
        expected = phone.call("GET", "/api/session")["public_url"]
        png = self.evidence / f"tv-{name}.png"

        def decoded() -> list[str]:
            vm.screendump(png)
            return decode_qr(png)

        texts = wait_for("a QR code on the TV", decoded, 300, every_s=15) or []
        ok = expected in texts and GUEST_ADDRESS in expected
        self.check(f"{name}: TV shows the remote's QR code", ok, texts, f"expected {expected}")

    def queue_night(self, phone: Remote) -> dict[str, Any]:
        songs = phone.call("GET", "/api/songs")
        items = songs.get("songs", songs) if isinstance(songs, dict) else songs
        ids = [s["song_id"] for s in items]
        phone.call("POST", "/api/join", {"name": "Ada"})
        phone.call("POST", "/api/queue", {"song_id": ids[0]})
        second = Remote(int(phone.base.rsplit(":", 1)[1]))
        second.open_session()
        second.call("POST", "/api/join", {"name": "Grace"})
        second.call("POST", "/api/queue", {"song_id": ids[1 % len(ids)]})
        phone.call("POST", "/api/queue", {"song_id": ids[2 % len(ids)]})
        return dict(phone.call("GET", "/api/state"))

    def plays(self, vm: Machine, phone: Remote, name: str) -> None:
        playing = wait_for(
            "a song playing", lambda: phone.call("GET", "/api/state")["state"] == "playing", 600
        )
        start = vm.wav.stat().st_size if vm.wav.exists() else 0

        before = wav_level(vm.wav.read_bytes())

        def music() -> WavLevel | None:
            level = wav_level(vm.wav.read_bytes(), from_byte=start)
            return level if level.loud_seconds >= 5 else None

        level = wait_for("music in the WAV", music, 600, every_s=15)
        level = level or wav_level(vm.wav.read_bytes(), from_byte=start)
        probes = vm.probes()
        self.check(
            f"{name}: queued song plays into the captured WAV",
            bool(playing) and level.loud_seconds >= 5 and level.rms_dbfs > -40,
            {
                "rms_dbfs": level.rms_dbfs,
                "peak_dbfs": level.peak_dbfs,
                "loud_seconds": level.loud_seconds,
                "wav_seconds": level.seconds,
            },
            f"underflows in the journal: {probes[-1].get('underflows') if probes else '?'}"
            f"; before the song: {before.seconds} s captured at {before.rms_dbfs} dBFS",
        )

    def run(self) -> bool:
        started = time.monotonic()
        vm, phone = self.boot("boot1")
        try:
            if phone is None:
                return False
            self.first_boot_settings(vm)
            self.wait_watchdog(vm, "boot 1")
            self.tv_qr(vm, phone, "boot1")
            before = self.queue_night(phone)
            (self.evidence / "state-before-power-cut.json").write_text(json.dumps(before, indent=1))
            self.plays(vm, phone, "boot 1")
            before = dict(phone.call("GET", "/api/state"))
        finally:
            vm.power_cut()
        self.check("power cut", True, f"QEMU killed {vm.elapsed()} s after power on")
        vm, phone = self.boot("boot2")
        try:
            if phone is None:
                return False
            fsck = wait_for("fsck report", lambda: fsck_lines(vm.serial_text()), 120) or []
            probe = (vm.probes() or [{}])[-1]
            data_rw = probe.get("data_opts", "").startswith("rw")
            self.check(
                "boot 2: filesystems clean after the power cut",
                fsck_clean(fsck) and data_rw,
                fsck,
                f"root={probe.get('root_fs')} data={probe.get('data_opts')}",
            )
            self.check(
                "boot 2: root is an overlay in RAM (overlayroot, enabled at first boot)",
                probe.get("root_fs") == "overlay",
                probe.get("root_fs"),
            )
            self.data_grown(vm)
            after = dict(phone.call("GET", "/api/state"))
            (self.evidence / "state-after-power-cut.json").write_text(json.dumps(after, indent=1))
            self.night_intact(before, after)
            # The queue plays on by itself: check it before the (slow) screen checks, or the
            # songs are over by then.
            self.plays(vm, phone, "boot 2")
            self.wait_watchdog(vm, "boot 2")
            self.tv_qr(vm, phone, "boot2")
        finally:
            vm.power_cut()
        self.check("total", True, f"{round(time.monotonic() - started)} s")
        return all_passed(self.checks)

    def night_intact(self, before: dict[str, Any], after: dict[str, Any]) -> None:
        def singers(state: dict[str, Any]) -> list[str]:
            return sorted(s["name"] for s in state.get("singers", []))

        def entries(state: dict[str, Any]) -> list[int]:
            now = [state["now"]["entry_id"]] if state.get("now") else []
            return now + [e["entry_id"] for e in state.get("upcoming", [])]

        # The song that was playing may have been counted as sung; everything queued after it
        # must still be there.
        waiting = [e["entry_id"] for e in before.get("upcoming", [])]
        kept = bool(entries(before)) and set(waiting) <= set(entries(after))
        self.check(
            "boot 2: queue and singers intact",
            singers(before) == singers(after) and kept,
            {"singers": singers(after), "entries": entries(after)},
            f"before: singers {singers(before)}, entries {entries(before)}",
        )


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    image, evidence = Path(argv[1]).resolve(), Path(argv[2]).resolve()
    evidence.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ["MTOOLS_SKIP_CHECK"] = "1"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop QEMU on the way out
    test = BootTest(image, evidence, float(os.environ.get("KARAOKE_BOOT_TIMEOUT", "1800")))
    try:
        ok = test.run()
    finally:
        (evidence / "checks.json").write_text(
            json.dumps({"passed": all_passed(test.checks), "checks": test.checks}, indent=1)
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
