"""The Pi 3B+ / Zero 2 W data partition: the image layout declares it (label, size, mount point,
last on the card), install.sh writes its fstab line and the grow unit idempotently, the real
systemd-fstab-generator turns that line into `var-lib-karaoke.mount` (the name image-rota's
slot-shared generator uses on A/B images) and `systemd-analyze verify` is silent on it, and the
grow script really grows the last partition of a loop-device card."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.deploy_rig import (
    make_root,
    metadata,
    run_install,
    tree_digest,
    verify,
    verify_root,
)

yaml = pytest.importorskip("yaml")

REPO = Path(__file__).resolve().parents[2]
LAYOUT = REPO / "image/image/karaoke-small"
SMALL_CONFIGS = [REPO / "image/config/karaoke-pi3.yaml", REPO / "image/config/karaoke-zero2w.yaml"]
LABEL = "KARAOKE-DATA"
MOUNT = "/var/lib/karaoke"
OPTIONS = "defaults,noatime,data=journal,commit=2,errors=remount-ro,x-systemd.growfs"
FSTAB_GENERATOR = Path("/lib/systemd/system-generators/systemd-fstab-generator")
GROW = REPO / "deploy/bin/karaoke-data-grow"
is_root = os.geteuid() == 0


def genimage_sections(text: str) -> dict[str, str]:
    """Top-level `image NAME { ... }` blocks of a genimage config, by name (braces balanced)."""
    sections, depth, name, start = {}, 0, "", 0
    for match in re.finditer(r"(?m)^image (\S+) \{|[{}]", text):
        if match.group(1) and depth == 0:
            name, start, depth = match.group(1), match.end(), 1
        elif match.group(0) == "{":
            depth += 1
        elif match.group(0) == "}":
            depth -= 1
            if depth == 0:
                sections[name] = text[start : match.start()]
    return sections


def test_layout_declares_the_data_partition_last_with_label_and_mount_point() -> None:
    meta = metadata(LAYOUT / "image-karaoke-small.yaml")
    assert meta["X-Env-Layer-Name"] == "image-karaoke-small"
    assert meta["X-Env-Layer-Category"] == "image" and meta["X-Env-Layer-Provides"] == "image"
    assert meta["X-Env-VarPrefix"] == "image"
    assert re.fullmatch(r"\d+[KMG]", meta["X-Env-Var-data_part_size"])
    assert meta["X-Env-Var-data_part_size-Valid"] == "size"
    body = yaml.safe_load((LAYOUT / "image-karaoke-small.yaml").read_text())
    assert "fdisk" in body["mmdebstrap"]["packages"]  # sfdisk for the first-boot grow
    sections = genimage_sections((LAYOUT / "genimage.cfg.in").read_text())
    disk = sections["<IMAGE_NAME>.<IMAGE_SUFFIX>"]
    partitions = re.findall(r"partition (\w+) \{[^}]*image = (\S+)", disk)
    assert partitions == [("boot", "boot.vfat"), ("root", "root.ext4"), ("data", "data.ext4")]
    assert 'partition-table-type = "mbr"' in disk
    data = sections["data.ext4"]
    assert f'label = "{LABEL}"' in data and f'mountpoint = "{MOUNT}"' in data
    assert "size = <DATA_SIZE>" in data
    hook = (LAYOUT / "image-karaoke-small.d/hooks/preimage.sh").read_text()
    for placeholder in set(re.findall(r"<[A-Z_]+>", (LAYOUT / "genimage.cfg.in").read_text())):
        assert f"s|{placeholder}|" in hook, placeholder
    assert "IGconf_image_data_part_size" in hook


@pytest.mark.parametrize("path", SMALL_CONFIGS, ids=lambda p: p.name)
def test_small_board_configs_use_the_layout_and_install_the_mount(path: Path) -> None:
    config = yaml.safe_load(path.read_text())
    assert config["image"]["layer"] == "image-karaoke-small"
    assert re.fullmatch(r"\d+[KMG]", config["image"]["data_part_size"])
    assert "--data-partition" in config["karaoke"]["install_args"].split()
    assert "--image-mode" in config["karaoke"]["install_args"].split()


def test_install_sh_and_the_layout_agree_on_label_mount_point_and_options() -> None:
    text = (REPO / "deploy/install.sh").read_text()
    assert f"data_label={LABEL}\n" in text and f"data_mount={MOUNT}\n" in text
    assert f"data_options={OPTIONS}\n" in text
    unit = (REPO / "deploy/systemd/karaoke-data-grow.service").read_text()
    escaped = subprocess.run(
        ["systemd-escape", "-p", f"/dev/disk/by-label/{LABEL}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert f"BindsTo={escaped}.device" in unit
    assert "var-lib-karaoke.mount" in unit


def test_overlay_root_keeps_other_mounts_writable(tmp_path: Path) -> None:
    """overlayroot's recurse=0 passes non-root fstab lines through unchanged (default 1 would
    put an overlay in RAM over /var/lib/karaoke too)."""
    conf = tmp_path / "overlayroot.local.conf"
    subprocess.run([str(REPO / "deploy/bin/karaoke-overlayroot-enable"), str(conf)], check=True)
    assert conf.read_text() == 'overlayroot="tmpfs:recurse=0"\n'


def data_lines(fstab: str) -> list[str]:
    return [line for line in fstab.splitlines() if line.split()[1:2] == [MOUNT]]


@pytest.mark.skipif(not is_root, reason="useradd --root in install.sh needs root")
def test_install_writes_fstab_line_and_grow_unit_idempotently(tmp_path: Path, wheel: Path) -> None:
    root = make_root(tmp_path / "r")
    (root / "etc/fstab").write_text(
        "# static file system information\n"
        "LABEL=ROOT  /  ext4  rw,noatime  0 1\n"
        "LABEL=OLD  /var/lib/karaoke  ext4  defaults  0 0\n"
    )
    first = run_install(root, wheel, "--image-mode", "--data-partition")
    fstab = (root / "etc/fstab").read_text()
    assert data_lines(fstab) == [f"LABEL={LABEL}  {MOUNT}  ext4  {OPTIONS}  0 2"]
    assert fstab.startswith("# static file system information\nLABEL=ROOT  /  ext4")
    assert "wrote /etc/fstab" in first.stdout
    assert (root / "etc/systemd/system/karaoke-data-grow.service").is_file()
    assert (
        root / "etc/systemd/system/local-fs.target.wants/karaoke-data-grow.service"
    ).is_symlink()
    assert os.access(root / "usr/local/lib/karaoke/karaoke-data-grow", os.X_OK)
    assert (root / MOUNT.lstrip("/")).is_dir()
    before = tree_digest(root)
    second = run_install(root, wheel, "--image-mode", "--data-partition")
    assert tree_digest(root) == before
    assert "wrote" not in second.stdout


@pytest.mark.skipif(not is_root, reason="useradd --root in install.sh needs root")
def test_without_the_flag_no_fstab_line_and_no_grow_unit(tmp_path: Path, wheel: Path) -> None:
    """A/B images get /var/lib/karaoke from image-rota's generator: a unit of ours in /etc would
    shadow it, so nothing is written there."""
    root = make_root(tmp_path / "r")
    run_install(root, wheel, "--image-mode")
    assert not (root / "etc/fstab").exists()
    assert not (root / "etc/systemd/system/karaoke-data-grow.service").exists()


@pytest.mark.skipif(not FSTAB_GENERATOR.exists(), reason="systemd-fstab-generator missing")
def test_the_fstab_line_becomes_a_mount_unit_that_verifies(tmp_path: Path) -> None:
    fstab = tmp_path / "fstab"
    fstab.write_text(f"LABEL={LABEL}  {MOUNT}  ext4  {OPTIONS}  0 2\n")
    out = [tmp_path / name for name in ("normal", "early", "late")]
    for folder in out:
        folder.mkdir()
    env = {
        **os.environ,
        "SYSTEMD_FSTAB": str(fstab),
        "SYSTEMD_PROC_CMDLINE": "",
        "SYSTEMD_LOG_LEVEL": "err",
    }
    subprocess.run([str(FSTAB_GENERATOR), *map(str, out)], env=env, check=True)
    mount = out[0] / "var-lib-karaoke.mount"
    text = mount.read_text()
    assert f"What=/dev/disk/by-label/{LABEL}" in text and f"Where={MOUNT}" in text
    assert "Options=defaults,noatime,data=journal,commit=2,errors=remount-ro" in text
    assert "systemd-fsck@" in text  # pass 2: checked (and repaired) after a power cut
    assert any(p.name.startswith("systemd-growfs@") for p in out[0].rglob("*"))
    grow_unit = REPO / "deploy/systemd/karaoke-data-grow.service"
    root = verify_root(tmp_path, [mount, grow_unit])
    result = verify(root, ["var-lib-karaoke.mount", "karaoke-data-grow.service"])
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def loop_usable() -> bool:
    tools = ("losetup", "sfdisk", "partx", "mkfs.ext4")
    return is_root and Path("/dev/loop-control").exists() and all(map(shutil.which, tools))


def make_card(path: Path, size_mib: int) -> None:
    """A card as the image lays it out: boot, root, then a small KARAOKE-DATA partition."""
    with path.open("wb") as card:
        card.truncate(64 * 2**20)
    layout = (
        "label: dos\nstart=2048, size=16MiB, type=c\nsize=16MiB, type=83\nsize=16MiB, type=83\n"
    )
    subprocess.run(["sfdisk", "--quiet", str(path)], input=layout, text=True, check=True)
    with path.open("r+b") as card:
        card.truncate(size_mib * 2**20)  # a bigger card than the image


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False)


def block_count(device: str) -> int:
    info = run("dumpe2fs", "-h", device).stdout
    return int(re.search(r"(?m)^Block count:\s+(\d+)", info).group(1))


@pytest.mark.skipif(not loop_usable(), reason="needs root, loop devices, sfdisk, partx, mkfs.ext4")
def test_grow_script_grows_the_last_partition_of_a_card(tmp_path: Path) -> None:
    card = tmp_path / "card.img"
    make_card(card, 256)
    loop = run("losetup", "--find", "--show", "--partscan", str(card)).stdout.strip()
    assert loop.startswith("/dev/loop")
    try:
        part = f"{loop}p3"
        for _ in range(50):  # devtmpfs makes the partition nodes; no udev needed
            if Path(part).exists():
                break
            run("partx", "--add", loop)
            time.sleep(0.05)
        subprocess.run(["mkfs.ext4", "-q", "-b", "4096", "-L", LABEL, part], check=True)
        first = run(str(GROW), "--device", part)
        assert first.returncode == 0, first.stderr
        assert first.stdout.strip() == "grown 16 -> 223 MiB"  # 256 - 1 (start) - 16 - 16
        assert run(str(GROW), "--device", part).stdout.strip() == "unchanged"
        table = run("sfdisk", "--dump", str(card)).stdout
        assert table.count("type=83") == 2 and "type=c" in table
        # The filesystem then fills the partition (on the Pi: x-systemd.growfs, online, at mount;
        # online resizing is refused with EPERM in this test VM, so resize2fs offline here).
        subprocess.run(["e2fsck", "-fp", part], check=True, capture_output=True)
        subprocess.run(["resize2fs", part], check=True, capture_output=True)
        assert block_count(part) * 4096 == 223 * 2**20
        refused = run(str(GROW), "--device", f"{loop}p2")
        assert refused.returncode == 1 and "follows" in refused.stderr
    finally:
        run("losetup", "--detach", loop)
