"""The night's settings (rotation mode, per-singer limit, countdown, gap, default guide level):
the config's ``[rotation]`` values, overridden by what the host saved, checked on every change
(the rules: :mod:`appliance.core.night_settings`)::

    >>> from appliance.core.store import Store
    >>> book = SettingsBook(Store.open_memory(), NightSettings())
    >>> book.save(book.validated({"mode": "fifo"}))
    >>> book.current.mode
    'fifo'
"""

from __future__ import annotations

from typing import Any

from appliance.core.night_settings import NightSettings
from appliance.core.store import Store, set_value


class SettingsBook:
    """The current night settings and where they are saved."""

    def __init__(self, store: Store, rotation: NightSettings) -> None:
        self._store = store
        saved = store.get_value("night_settings")
        self.current = rotation.changed(saved) if saved else rotation

    def validated(self, changes: dict[str, Any]) -> NightSettings:
        """The current settings with ``changes`` (InvalidRequest if any is wrong)."""
        return self.current.changed(changes)

    def save(self, settings: NightSettings) -> None:
        """Make ``settings`` current, saved at once."""
        self.current = settings
        with self._store.transaction() as db:
            set_value(db, "night_settings", settings.as_dict())
