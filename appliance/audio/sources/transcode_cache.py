"""The transcode cache: songs played in place, decoded once to 48 kHz FLAC, kept in the state
dir and evicted least recently used first when the folder outgrows its limit.

    >>> cache = TranscodeCache.in_state_dir("/state", max_mb=2048)  # doctest: +SKIP
    >>> cache.lookup(cache.key(signature))   # the FLAC's path, or None  # doctest: +SKIP

Entries are named by a hash of the source's signature (path, zip member, size, mtime), so a
replaced file is decoded again. ``<key>.flac`` is written under a temporary name and renamed
into place, so a half-written entry is never found; its use refreshes its mtime (the LRU
order). Song loudness measured at the first transcode is kept in ``<key>.lufs.json``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from appliance.core.paths import transcode_cache_dir

PART_SUFFIX = ".part"
STALE_PART_S = 3600.0


class TranscodeCache:
    """A folder of decoded sources, bounded in size."""

    def __init__(self, folder: str | os.PathLike[str], max_bytes: int) -> None:
        self.folder = Path(folder)
        self.max_bytes = int(max_bytes)

    @classmethod
    def in_state_dir(cls, state_dir: str | os.PathLike[str], max_mb: int) -> TranscodeCache:
        """The box's cache, in the state dir (where ``appliance.core.paths`` says); a per-user
        temporary folder without one (``""``). The engine and ``karaoke export`` share it."""
        if str(state_dir):
            return cls(transcode_cache_dir(Path(state_dir)), max_mb << 20)
        return cls(Path(tempfile.gettempdir()) / f"karaoke-transcode-{os.getuid()}", max_mb << 20)

    @staticmethod
    def key(signature: str) -> str:
        """The entry name for a source signature (or a song's signatures joined)."""
        return hashlib.sha256(signature.encode("utf-8", "surrogateescape")).hexdigest()[:32]

    def path(self, key: str) -> Path:
        """Where the entry's FLAC is (or goes)."""
        return self.folder / f"{key}.flac"

    def lookup(self, key: str) -> str | None:
        """The entry's path when it is complete, its use recorded; else None."""
        path = self.path(key)
        try:
            os.utime(path)
        except OSError:
            return None
        return str(path)

    def temp_path(self, key: str) -> Path:
        """A private name to write the entry under before :meth:`commit`."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f"{key}.{os.getpid()}{PART_SUFFIX}"

    def commit(self, key: str, temp: Path) -> str:
        """Move a written entry into place (atomic)."""
        path = self.path(key)
        os.replace(temp, path)
        return str(path)

    def loudness(self, key: str) -> float | None:
        """A song's loudness measured at its first transcode, if kept."""
        try:
            value = json.loads((self.folder / f"{key}.lufs.json").read_text())["lufs"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return float(value) if isinstance(value, int | float) else None

    def keep_loudness(self, key: str, lufs: float | None) -> None:
        """Record a song's loudness (None: measured, but silent or unreadable)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        temp = self.folder / f"{key}.lufs.{os.getpid()}{PART_SUFFIX}"
        temp.write_text(json.dumps({"lufs": lufs}))
        os.replace(temp, self.folder / f"{key}.lufs.json")

    def size_bytes(self) -> int:
        """Bytes held by complete entries."""
        return sum(size for _, size, _ in self._entries())

    def evict(self, keep: Iterable[str] = ()) -> list[str]:
        """Remove least recently used entries until the folder fits; never those in ``keep``
        (paths the engine has open or is about to). Returns the removed paths."""
        kept = {os.path.abspath(path) for path in keep}
        entries = sorted(self._entries(), key=lambda entry: entry[2])
        total = sum(size for _, size, _ in entries)
        removed = []
        for path, size, _ in entries:
            if total <= self.max_bytes:
                break
            if os.path.abspath(path) in kept:
                continue
            with contextlib.suppress(OSError):
                os.unlink(path)
                total -= size
                removed.append(path)
        self._remove_stale_parts()
        return removed

    def _entries(self) -> list[tuple[str, int, float]]:
        entries = []
        with contextlib.suppress(OSError), os.scandir(self.folder) as listing:
            for item in listing:
                if not item.name.endswith(".flac"):
                    continue
                with contextlib.suppress(OSError):
                    info = item.stat()
                    entries.append((item.path, info.st_size, info.st_mtime))
        return entries

    def _remove_stale_parts(self) -> None:
        """Temporary files left by a transcoder that died (power cut, kill)."""
        limit = time.time() - STALE_PART_S
        with contextlib.suppress(OSError):
            for part in self.folder.glob(f"*{PART_SUFFIX}"):
                with contextlib.suppress(OSError):
                    if part.stat().st_mtime < limit:
                        part.unlink()
