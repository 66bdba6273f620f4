"""Host sessions ended on the server: logging out revokes the session, not only the cookie.

A host cookie is signed and lives 12 h; a copy kept by someone (a shared phone, a screenshot of
the cookie jar) would stay a host after "Leave host mode" if only the browser forgot it. Each host
session has an id; logging out records it here until it would have expired anyway, kept in
``STATE_DIR/web-revoked.json`` (fsynced) so a restart does not bring it back::

    >>> revoked = Revocations(None, clock=lambda: 100.0)
    >>> revoked.revoke("s1", max_age_s=60); revoked.is_revoked("s1"), revoked.is_revoked("s2")
    (True, False)
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
REVOKED_FILE = "web-revoked.json"
MAX_REVOKED = 1000


class Revocations:
    """Session id -> when it would have expired (wall clock seconds)."""

    def __init__(self, state_dir: Path | None, clock: Callable[[], float] = time.time) -> None:
        self._path = Path(state_dir) / REVOKED_FILE if state_dir else None
        self._clock = clock
        self._lock = threading.Lock()
        self._until: dict[str, float] = self._load()

    def _load(self) -> dict[str, float]:
        if self._path is None or not self._path.is_file():
            return {}
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
            return {str(k): float(v) for k, v in raw.items()}
        except (OSError, ValueError, AttributeError, TypeError):
            log.warning("%s is unreadable; revoked host sessions are forgotten", self._path)
            return {}

    def is_revoked(self, session_id: str) -> bool:
        """True if this host session was ended."""
        with self._lock:
            return session_id in self._until

    def revoke(self, session_id: str, max_age_s: float) -> None:
        """End a host session for good."""
        now = self._clock()
        with self._lock:
            self._until = {k: v for k, v in self._until.items() if v > now}
            if len(self._until) >= MAX_REVOKED:
                self._until.pop(min(self._until, key=self._until.__getitem__))
            self._until[session_id] = now + max_age_s
            self._save()

    def _save(self) -> None:
        if self._path is None:
            return
        temporary = self._path.with_name(self._path.name + ".tmp")
        try:
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump(self._until, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self._path)
        except OSError as error:
            log.warning("cannot save %s: %s", self._path, error)
