"""Watches for USB sticks mounted by the udev rule (``/media/karaoke/<UUID>``, read-only).

The rule (``deploy/config/99-karaoke-usb.rules``) asks systemd to mount each stick; this watcher
notices the new mount point and tells the app, which indexes the songs with progress on the TV::

    watcher = MountWatcher(on_added=library.add_root, on_removed=library.remove_root)
    watcher.start()          # a daemon thread; poll()s /proc/self/mounts for changes
    ...
    watcher.stop()

Callbacks run on the watcher's thread: hand the work to the core, never block there.
``poll_once()`` does one comparison on the caller's thread (tests, or a main loop of one's own).
"""

from __future__ import annotations

import logging
import select
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger(__name__)

MOUNTS_FILE = Path("/proc/self/mounts")
USB_PREFIXES = ("/media/karaoke/",)


def unescape_mount_path(field: str) -> str:
    r"""Mount tables write space, tab, newline and backslash as octal escapes.

    >>> unescape_mount_path(r"/media/karaoke/My\040Songs")
    '/media/karaoke/My Songs'
    """
    out, index = [], 0
    while index < len(field):
        chunk = field[index : index + 4]
        if len(chunk) == 4 and chunk[0] == "\\" and chunk[1:].isdigit():
            out.append(chr(int(chunk[1:], 8)))
            index += 4
        else:
            out.append(field[index])
            index += 1
    return "".join(out)


def library_mounts(table: str, prefixes: Iterable[str] = USB_PREFIXES) -> set[Path]:
    """Mount points under the prefixes, from the text of /proc/self/mounts.

    autofs placeholders (systemd-mount --automount before first access) are left out: the real
    mount follows on first access, which the watcher triggers by listing the folder.
    """
    found: set[Path] = set()
    for line in table.splitlines():
        fields = line.split()
        if len(fields) < 3 or fields[2] == "autofs":
            continue
        point = unescape_mount_path(fields[1])
        if any(point.startswith(prefix) for prefix in prefixes):
            found.add(Path(point))
    return found


def automount_points(table: str, prefixes: Iterable[str] = USB_PREFIXES) -> set[Path]:
    """autofs mount points under the prefixes (sticks not yet accessed)."""
    points = set()
    for line in table.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[2] == "autofs":
            point = unescape_mount_path(fields[1])
            if any(point.startswith(prefix) for prefix in prefixes):
                points.add(Path(point))
    return points


class MountWatcher:
    """Calls ``on_added(path)`` / ``on_removed(path)`` as library mounts come and go."""

    def __init__(
        self,
        on_added: Callable[[Path], None],
        on_removed: Callable[[Path], None] = lambda _path: None,
        mounts_file: Path = MOUNTS_FILE,
        prefixes: Iterable[str] = USB_PREFIXES,
        interval_s: float = 2.0,
    ) -> None:
        self._on_added = on_added
        self._on_removed = on_removed
        self._mounts_file = mounts_file
        self._prefixes = tuple(prefixes)
        self._interval_s = interval_s
        self._known: set[Path] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def mounted(self) -> set[Path]:
        """Library mount points seen at the last poll."""
        return set(self._known)

    def poll_once(self) -> None:
        """Compares the mount table with the last one and calls back for each difference."""
        try:
            table = self._mounts_file.read_text()
        except OSError as error:
            log.warning("cannot read %s: %s", self._mounts_file, error)
            return
        for point in automount_points(table, self._prefixes):
            _trigger_automount(point)
        current = library_mounts(table, self._prefixes)
        for point in sorted(current - self._known):
            self._call(self._on_added, point)
        for point in sorted(self._known - current):
            self._call(self._on_removed, point)
        self._known = current

    def _call(self, callback: Callable[[Path], None], point: Path) -> None:
        try:
            callback(point)
        except Exception:
            log.exception("mount callback failed for %s", point)

    def start(self) -> None:
        """Polls on a daemon thread until :meth:`stop`."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="usb-mounts", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        self.poll_once()
        while not self._stop.is_set():
            self._wait_for_change()
            self.poll_once()

    def _wait_for_change(self) -> None:
        """Waits for the kernel's "mount table changed" (POLLPRI), at most one interval."""
        try:
            with self._mounts_file.open() as table:
                poller = select.poll()
                poller.register(table, select.POLLPRI | select.POLLERR)
                poller.poll(self._interval_s * 1000)
        except OSError:
            self._stop.wait(self._interval_s)


def _trigger_automount(point: Path) -> None:
    try:
        next(iter(point.iterdir()), None)
    except OSError as error:
        log.info("stick at %s not readable yet: %s", point, error)
