"""The library service: scan these roots, measure loudness, then announce it.

Start-up, ``karaoke scan``, ``karaoke import``, a USB stick and the phone's Rescan all index
songs through one :class:`LibraryService`, so every song found is measured for loudness the same
way (and plays normalised) and every scan is announced the same way::

    library = LibraryService(Catalog(store), roots=[Path("/media/songs")],
                             measure_loudness=song_loudness_lufs, announce=bus.publish)
    library.scan_in_background()          # start-up: every root, after any running scan
    library.rescan()                      # the phone: False while a scan is running
    library.add_root(Path("/media/usb0")) # a stick: remembered and scanned
    report = library.scan_root(Path("/media/songs"), progress=TextProgressBar())  # the CLI

One scan runs at a time. The loudness measurer is injected (the composition root,
``appliance/app.py``, passes the audio adapter's); without one, songs are indexed unmeasured.
Announcements are :class:`LibraryChanged` events: progress at the first song and every
``PROGRESS_EVERY`` songs (phones show it), then
a summary per root, or the reason a root could not be scanned.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from appliance.core.events import LibraryChanged
from appliance.library.scanning.scanner import (
    CatalogWriter,
    LoudnessAnalyzer,
    Progress,
    ScanReport,
    scan_library,
)

log = logging.getLogger(__name__)

Announce = Callable[[LibraryChanged], None]
PROGRESS_EVERY = 50


class LibraryService:
    """Owns the library roots and every scan of them."""

    def __init__(
        self,
        catalog: CatalogWriter,
        *,
        roots: Iterable[Path] = (),
        measure_loudness: LoudnessAnalyzer | None = None,
        announce: Announce | None = None,
    ) -> None:
        self._catalog = catalog
        self._roots = list(dict.fromkeys(roots))
        self._measure_loudness = measure_loudness
        self._announce = announce
        self._turn = threading.Lock()

    @property
    def roots(self) -> list[Path]:
        """The song folders indexed (configured ones, then USB sticks), a copy."""
        return list(self._roots)

    def scan_root(self, root: Path, *, progress: Progress | None = None) -> ScanReport:
        """Scan one folder now (after any running scan) and announce it; raises
        ``LibraryError`` when ``root`` is not a folder."""
        with self._turn:
            return self._scan(root, progress)

    def scan_in_background(self, roots: Sequence[Path] | None = None) -> None:
        """Scan ``roots`` (default: all) on a thread, after any scan already running."""
        chosen = self.roots if roots is None else list(roots)
        self._start_thread(chosen, holding_turn=False)

    def rescan(self) -> bool:
        """Scan every root on a thread; False, and nothing started, while a scan runs."""
        if not self._turn.acquire(blocking=False):
            return False
        self._start_thread(self.roots, holding_turn=True)
        return True

    def add_root(self, root: Path) -> None:
        """Remember a new song folder (a USB stick) and scan it in the background."""
        if root not in self._roots:
            self._roots.append(root)
        self.scan_in_background([root])

    def remove_root(self, root: Path) -> None:
        """Forget a folder that went away and its songs (queued ones will say they are gone)."""
        if root in self._roots:
            self._roots.remove(root)
        resolved = str(root.resolve())
        self._catalog.remove_paths(list(self._catalog.signatures_under(resolved)))
        self._catalog.forget_scan(resolved)
        self._tell(f"Songs on {root.name} removed")

    def _start_thread(self, roots: list[Path], *, holding_turn: bool) -> None:
        def run() -> None:
            if not holding_turn:
                self._turn.acquire()
            try:
                self._scan_each(roots)
            finally:
                self._turn.release()

        threading.Thread(target=run, name="library-scan", daemon=True).start()

    def _scan_each(self, roots: list[Path]) -> None:
        """Scan every root; one that fails is logged and announced, and the others go on."""
        for root in roots:
            try:
                self._scan(root, None)
            except Exception as error:
                log.exception("scan of %s failed", root)
                self._tell(f"Scan of {root.name} failed: {error}")

    def _scan(self, root: Path, progress: Progress | None) -> ScanReport:
        def announced(done: int, total: int, path: str) -> None:
            if progress is not None:
                progress(done, total, path)
            if total and (done in (1, total) or done % PROGRESS_EVERY == 0):
                self._tell(f"Scanning {root.name}: {done}/{total}", done=done, total=total)

        report = scan_library(
            str(root.resolve()),
            self._catalog,
            progress=announced,
            analyze_loudness=self._measure_loudness,
        )
        log.info("library %s: %s", root, report.summary())
        self._tell(f"Library {root.name}: {report.summary()}")
        return report

    def _tell(self, message: str, *, done: int = 0, total: int = 0) -> None:
        if self._announce is not None:
            self._announce(LibraryChanged(version=0, message=message, done=done, total=total))
