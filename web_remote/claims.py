"""Which phone is which singer: a singer's name, once claimed by a device, is that device's.

Without this, anyone typing "Ada" would become Ada and could remove her songs. Claims are kept
in the state directory (so a restart keeps them); the host can release one::

    >>> claims = Claims(None)
    >>> claims.claim(3, "phone-a"), claims.claim(3, "phone-a"), claims.claim(3, "phone-b")
    (True, True, False)
    >>> claims.release(3); claims.claim(3, "phone-b")
    True
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)
CLAIMS_FILE = "web-claims.json"
MAX_CLAIMS = 5000


class Claims:
    """singer id -> device id, persisted as JSON when a state directory is given."""

    def __init__(self, state_dir: Path | None) -> None:
        self._path = Path(state_dir) / CLAIMS_FILE if state_dir else None
        self._lock = threading.Lock()
        self._owners: dict[int, str] = self._load()

    def _load(self) -> dict[int, str]:
        if self._path is None or not self._path.is_file():
            return {}
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
            return {int(k): str(v) for k, v in raw.items()}
        except (OSError, ValueError, AttributeError):
            log.warning("%s is unreadable; phones will join again", self._path)
            return {}

    def _save(self) -> None:
        if self._path is None:
            return
        temporary = self._path.with_name(self._path.name + ".tmp")
        try:
            temporary.write_text(json.dumps(self._owners), encoding="utf-8")
            os.replace(temporary, self._path)
        except OSError as error:
            log.warning("cannot save %s: %s", self._path, error)

    def claim(self, singer_id: int, device: str) -> bool:
        """Bind ``singer_id`` to ``device`` unless another device holds it."""
        with self._lock:
            owner = self._owners.get(singer_id)
            if owner is not None:
                return owner == device
            if len(self._owners) >= MAX_CLAIMS:
                self._owners.pop(next(iter(self._owners)))
            self._owners[singer_id] = device
            self._save()
            return True

    def owner(self, singer_id: int) -> str | None:
        """The device holding ``singer_id``, if any."""
        with self._lock:
            return self._owners.get(singer_id)

    def release(self, singer_id: int) -> None:
        """Forget the claim (the singer was removed, or the host freed the name)."""
        with self._lock:
            if self._owners.pop(singer_id, None) is not None:
                self._save()
