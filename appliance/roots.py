"""The running box's song folders: the configured ones (or the demo library), USB sticks as
they come and go, and rescans; each scan announced to the TV and phones as LibraryChanged.

The composition root builds one :class:`SongFolders` and hands it to the parts as their
:class:`appliance.parts.Library`::

    folders = SongFolders(store, bus, library_roots(config))
    folders.scan_in_background()       # at start-up, loudness measured
    folders.add_root(Path("/media/usb-songs"))   # the system part, on a USB stick
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from appliance.config import Config
from appliance.core.catalog import Catalog
from appliance.core.events import EventBus, LibraryChanged
from appliance.core.paths import demo_library_dir
from appliance.core.store import Store
from appliance.optional import optional_callable

log = logging.getLogger(__name__)


def library_roots(config: Config, *, build_demo: bool = True) -> list[Path]:
    """Configured library folders, or the demo library (built on first use) when none is."""
    roots = [Path(p).expanduser() for p in config.library.paths]
    if roots or not config.library.demo_if_empty:
        return roots
    demo = demo_library_dir(config.data_dir())
    if build_demo:
        ensure_demo_library(demo)
    return [demo]


def ensure_demo_library(dest: Path) -> Path:
    """Build the bundled demo songs into ``dest`` unless they are already there."""
    if dest.is_dir() and any(dest.glob("*/song.toml")):
        return dest
    from appliance.demosongs import build_demo_library

    log.info("building the demo library into %s (first run only)", dest)
    build_demo_library(dest)
    return dest


class SongFolders:
    """The folders the box indexes; implements :class:`appliance.parts.Library`."""

    def __init__(self, store: Store, bus: EventBus, roots: Sequence[Path]) -> None:
        self.store, self.bus = store, bus
        self._roots = list(roots)

    def roots(self) -> Sequence[Path]:
        """The folders indexed now."""
        return list(self._roots)

    def scan(self, roots: Sequence[Path] | None = None) -> None:
        """Index ``roots`` (default: all), loudness measured, progress as LibraryChanged events."""
        from appliance.library.scanner import scan_library

        catalog = Catalog(self.store)
        analyze = optional_callable("appliance.audio.loudness", "song_loudness_lufs")
        for root in list(self._roots if roots is None else roots):

            def progress(done: int, total: int, path: str, _root: Path = root) -> None:
                if done == total or done % 50 == 0:
                    message = f"Scanning {_root.name}: {done}/{total}"
                    changed = LibraryChanged(version=0, message=message, done=done, total=total)
                    self.bus.publish(changed)

            report = scan_library(str(root), catalog, progress=progress, analyze_loudness=analyze)
            log.info("library %s: %s", root, report.summary())
            self.bus.publish(LibraryChanged(version=0, message=report.summary()))

    def scan_in_background(self, roots: Sequence[Path] | None = None) -> None:
        """:meth:`scan` on a daemon thread; a failure is logged."""
        threading.Thread(target=self._scan_quietly, args=(roots,), name="scan", daemon=True).start()

    def _scan_quietly(self, roots: Sequence[Path] | None) -> None:
        try:
            self.scan(roots)
        except Exception:
            log.exception("library scan failed")

    def add_root(self, root: Path) -> None:
        """Index a new song folder (a USB stick) in the background, with progress on the TV."""
        if root not in self._roots:
            self._roots.append(root)
        self.scan_in_background([root])

    def remove_root(self, root: Path) -> None:
        """Forget the songs of a folder that went away (queued ones will say they are gone)."""
        if root in self._roots:
            self._roots.remove(root)
        catalog = Catalog(self.store)
        catalog.remove_paths(list(catalog.signatures_under(str(root))))
        self.bus.publish(LibraryChanged(version=0, message=f"Songs on {root.name} removed"))

    def rescan(self) -> None:
        """The phone's Rescan: every folder again, on the caller's thread.

        As before this module existed, it does not measure loudness (issue 11 point 3 makes one
        library service for every scan); a failure is announced, not raised.
        """
        from appliance.library.scanner import scan_library

        try:
            catalog = Catalog(self.store)
            for root in self.roots():
                report = scan_library(str(root), catalog)
                log.info("rescan of %s: %s", root, report.summary())
                message = f"Library: {report.summary()}"
                self.bus.publish(LibraryChanged(version=0, message=message))
        except Exception as error:
            log.exception("rescan failed")
            self.bus.publish(LibraryChanged(version=0, message=f"Rescan failed: {error}"))
