"""The USB library mount watcher, fed real mount-table text through a file."""

from __future__ import annotations

from pathlib import Path

from appliance.system.mounts import MountWatcher, library_mounts

TABLE = """sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
/dev/mmcblk0p2 / ext4 rw,noatime 0 0
/dev/sda1 /media/karaoke/1234-ABCD vfat ro,nosuid,nodev,noexec 0 0
systemd-1 /media/karaoke/5678-EF00 autofs rw,relatime 0 0
/dev/sdb1 /media/other/x vfat ro 0 0
/dev/sdc1 /media/karaoke/My\\040Songs exfat ro 0 0
"""


def test_library_mounts_skip_autofs_and_other_places() -> None:
    assert library_mounts(TABLE) == {
        Path("/media/karaoke/1234-ABCD"),
        Path("/media/karaoke/My Songs"),
    }


def test_watcher_reports_added_and_removed(tmp_path: Path) -> None:
    table = tmp_path / "mounts"
    table.write_text("/dev/mmcblk0p2 / ext4 rw 0 0\n")
    added: list[Path] = []
    removed: list[Path] = []
    media = tmp_path / "media"
    watcher = MountWatcher(added.append, removed.append, mounts_file=table, prefixes=[f"{media}/"])
    watcher.poll_once()
    assert added == [] and removed == []
    table.write_text(f"/dev/sda1 {media}/A vfat ro 0 0\n/dev/sdb1 {media}/B vfat ro 0 0\n")
    watcher.poll_once()
    assert added == [media / "A", media / "B"]
    table.write_text(f"/dev/sdb1 {media}/B vfat ro 0 0\n")
    watcher.poll_once()
    assert removed == [media / "A"]
    assert watcher.mounted == {media / "B"}


def test_a_failing_callback_does_not_stop_the_watcher(tmp_path: Path) -> None:
    table = tmp_path / "mounts"
    table.write_text(f"/dev/sda1 {tmp_path}/m/A vfat ro 0 0\n")

    def boom(_path: Path) -> None:
        raise RuntimeError("indexer crashed")

    watcher = MountWatcher(boom, mounts_file=table, prefixes=[f"{tmp_path}/m/"])
    watcher.poll_once()
    assert watcher.mounted == {tmp_path / "m/A"}


def test_thread_starts_and_stops(tmp_path: Path) -> None:
    table = tmp_path / "mounts"
    table.write_text(f"/dev/sda1 {tmp_path}/m/A vfat ro 0 0\n")
    seen: list[Path] = []
    watcher = MountWatcher(
        seen.append, mounts_file=table, prefixes=[f"{tmp_path}/m/"], interval_s=0.05
    )
    watcher.start()
    try:
        import time

        deadline = time.monotonic() + 5
        while not seen and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        watcher.stop()
    assert seen == [tmp_path / "m/A"]
