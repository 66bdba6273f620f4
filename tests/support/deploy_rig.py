"""What the deploy tests share: a throwaway root for deploy/install.sh, the app's wheel, the
install run and a digest of a whole tree, `systemd-analyze verify` against a temporary root, and
the metadata blocks of the image layers."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
INSTALL = REPO / "deploy" / "install.sh"
PIP_WHEEL = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
SYSTEM_UNITS = next(
    (p for p in (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")) if p.is_dir()), None
)


def make_root(root: Path) -> Path:
    """A minimal root: account files (some groups missing on purpose), cmdline.txt, hostname."""
    (root / "etc").mkdir(parents=True)
    (root / "boot/firmware").mkdir(parents=True)
    (root / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    groups = ["root:x:0:", "video:x:44:", "audio:x:29:", "plugdev:x:46:", "input:x:101:"]
    (root / "etc/group").write_text("\n".join(groups) + "\n")
    (root / "etc/shadow").write_text("root:*:19000:0:99999:7:::\n")
    (root / "etc/gshadow").write_text("".join(f"{g.split(':')[0]}:*::\n" for g in groups))
    (root / "boot/firmware/cmdline.txt").write_text("console=tty1 root=PARTUUID=0-02 rootwait\n")
    (root / "etc/hostname").write_text("raspberrypi\n")
    return root


def build_wheel(work: Path) -> Path:
    """The app's wheel, built offline from a copy of the sources (the checkout stays untouched)."""
    src = work / "src"
    src.mkdir()
    for name in ("appliance", "web_remote"):
        shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    out = work / "wheel"
    out.mkdir()
    subprocess.run(
        [*PIP_WHEEL, "-w", str(out), str(src)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("*.whl"))


def run_install(root: Path, wheel: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    args = [str(INSTALL), "--root", str(root), "--wheel", str(wheel), "--no-deps", *extra]
    env = {**os.environ, "PIP_NO_INDEX": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=240, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def tree_digest(root: Path) -> str:
    """Every path with its mode, size, mtime, link target and content."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        digest.update(f"{path.relative_to(root)} {info.st_mode} {info.st_mtime_ns}".encode())
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def exec_paths(unit_text: str) -> list[str]:
    return re.findall(r"(?m)^Exec\w+=[-+!@:]*(/\S+)", unit_text)


def verify_root(tmp_path: Path, units: list[Path]) -> Path:
    root = tmp_path / "root"
    shutil.copytree(SYSTEM_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    target = root / "etc/systemd/system"
    target.mkdir(parents=True)
    for unit in units:
        shutil.copy(unit, target / unit.name)
        for program in exec_paths(unit.read_text()):
            stub = root / program.lstrip("/")
            stub.parent.mkdir(parents=True, exist_ok=True)
            stub.write_text("#!/bin/sh\n")
            stub.chmod(0o755)
    return root


def verify(root: Path, names: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["systemd-analyze", "verify", f"--root={root}"]
        + [f"/etc/systemd/system/{name}" for name in names],
        capture_output=True,
        text=True,
        check=False,
    )


def metadata(path: Path) -> dict[str, str]:
    """The `# METABEGIN` ... `# METAEND` block as a dict; continuation lines join the last key."""
    text = path.read_text()
    block = text.split("# METABEGIN", 1)[1].split("# METAEND", 1)[0]
    meta: dict[str, str] = {}
    last = None
    for line in block.splitlines():
        body = line.removeprefix("#")
        match = re.match(r"^ (X-Env-[\w-]+):\s?(.*)$", body)
        if match:
            last = match.group(1)
            meta[last] = match.group(2).strip()
        elif body.startswith("  ") and last:
            meta[last] += " " + body.strip()
    return meta
