"""Which phone is which singer: the core keeps it now (``Core.join_from_phone``, its SQLite
``claims`` table, a claim living as long as its singer). Here: bringing over the claims an older
version kept in ``STATE_DIR/web-claims.json``, once, and counting the new names each address
makes (a phone making hundreds of singers grows every phone's snapshot)::

    >>> budget = JoinBudget(per_address=2)
    >>> budget.may_create("10.0.0.7"), budget.spend("10.0.0.7"), budget.spend("10.0.0.7")
    (True, None, None)
    >>> budget.may_create("10.0.0.7"), budget.may_create("10.0.0.8")
    (False, True)
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path

from appliance.core.errors import KaraokeError
from appliance.core.service import Core

log = logging.getLogger(__name__)
OLD_CLAIMS_FILE = "web-claims.json"
MAX_ADDRESSES = 10_000


def import_old_claims(core: Core, state_dir: Path | None) -> int:
    """Move the claims of ``web-claims.json`` into the core; the file is then renamed."""
    path = Path(state_dir) / OLD_CLAIMS_FILE if state_dir else None
    if path is None or not path.is_file():
        return 0
    moved = 0
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        for singer_id, device in raw.items():
            try:
                core.hold(int(singer_id), str(device))
                moved += 1
            except (KaraokeError, ValueError):
                continue  # that singer is gone
        os.replace(path, path.with_name(path.name + ".imported"))
    except (OSError, ValueError, AttributeError) as error:
        log.warning("%s could not be brought over (%s); phones join again", path, error)
    return moved


class JoinBudget:
    """How many new singers each address may make in a night."""

    def __init__(self, per_address: int) -> None:
        self.per_address = per_address
        self._lock = threading.Lock()
        self._made: dict[str, int] = {}

    def may_create(self, address: str) -> bool:
        """True while ``address`` has made fewer new singers than allowed."""
        with self._lock:
            return self._made.get(address, 0) < self.per_address

    def spend(self, address: str) -> None:
        """``address`` made one more singer."""
        with self._lock:
            if len(self._made) >= MAX_ADDRESSES and address not in self._made:
                return  # a flood of addresses: the night's max_singers still holds
            self._made[address] = self._made.get(address, 0) + 1
