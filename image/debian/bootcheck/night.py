"""The checks, boot by boot: boot 1 (first boot: the remote, the service, the first-boot settings,
the watchdog, the TV's QR code, a night booked and its song in the WAV), the power cut, boot 2
(filesystems, overlay root, grown data partition, the night intact and going on). Each check is
recorded with its figure; ``checks.json`` is written from them."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from .evidence import WavLevel, all_passed, decode_qr, lit_fraction, wav_level
from .guest_probe import FIRSTBOOT_HOSTNAME, FIRSTBOOT_TOML, fsck_clean, fsck_lines, watchdog_pings
from .phone import Remote, book_night, entries, night_kept, singers, wait_for
from .qemu_machine import DEFAULT_GPU, GROW_MIB, GUEST_ADDRESS, Card, Machine


class BootTest:
    def __init__(
        self, image: Path, evidence: Path, timeout_s: float, gpu: str = DEFAULT_GPU
    ) -> None:
        self.evidence = evidence
        self.gpu = gpu
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
        vm = Machine(self.card, self.kernel, self.initrd, self.evidence, name, gpu=self.gpu)

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
        lit = lit_fraction(png) if png.exists() else 0.0
        self.check(
            f"{name}: TV shows the remote's QR code",
            ok,
            texts,
            f"expected {expected}; {lit:.1%} of the screendump not black; QEMU device {self.gpu}",
        )

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
            before = book_night(phone)
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
        self.check(
            "boot 2: queue and singers intact",
            night_kept(before, after),
            {"singers": singers(after), "entries": entries(after)},
            f"before: singers {singers(before)}, entries {entries(before)}",
        )
