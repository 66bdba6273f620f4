"""The night's settings (rotation mode, per-singer limit, countdown, gap, default guide level):
the config's ``[rotation]`` values, overridden by what the host saved, checked on every change::

    >>> from appliance.core.store import Store
    >>> book = SettingsBook(Store.open_memory(), RotationConfig())
    >>> book.save(book.validated({"mode": "fifo"}))
    >>> book.current.mode
    'fifo'
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from appliance.core.config import RotationConfig
from appliance.core.errors import InvalidRequest
from appliance.core.snapshot import NightSettings
from appliance.core.store import Store, set_value


class SettingsBook:
    """The current night settings and where they are saved."""

    def __init__(self, store: Store, rotation: RotationConfig) -> None:
        self._store = store
        saved = store.get_value("night_settings")
        base = NightSettings(
            rotation.mode,
            rotation.per_singer_limit,
            rotation.countdown_s,
            rotation.gap_s,
            rotation.default_guide_level,
        )
        self.current = _validated_settings(base, saved) if saved else base

    def validated(self, changes: dict[str, Any]) -> NightSettings:
        """The current settings with ``changes`` (InvalidRequest if any is wrong)."""
        return _validated_settings(self.current, changes)

    def save(self, settings: NightSettings) -> None:
        """Make ``settings`` current, saved at once."""
        self.current = settings
        with self._store.transaction() as db:
            set_value(db, "night_settings", settings.__dict__)


def _validated_settings(base: NightSettings, changes: dict[str, Any]) -> NightSettings:
    if not isinstance(changes, dict):
        raise InvalidRequest("settings", "must be an object")
    allowed = set(base.__dict__)
    for key, value in changes.items():
        if key not in allowed:
            raise InvalidRequest(key, "unknown setting")
        if isinstance(value, bool):
            raise InvalidRequest(key, "wrong type")
    merged = {**base.__dict__, **changes}
    if merged["mode"] not in ("fair", "fifo"):
        raise InvalidRequest("mode", "must be 'fair' or 'fifo'")
    checks: dict[str, tuple[type | tuple[type, ...], float, float]] = {
        "per_singer_limit": (int, 1, 100),
        "countdown_s": ((int, float), 0, 600),
        "gap_s": ((int, float), 0, 600),
        "default_guide_level": ((int, float), 0, 1),
    }
    for key, (types, low, high) in checks.items():
        if not isinstance(merged[key], types) or not low <= merged[key] <= high:
            raise InvalidRequest(key, f"must be a number from {low} to {high}")
    return replace(base, **merged)
