"""Each singer's microphone level and echo, remembered by name like their key, and the night's
default (the host's, for singers who set nothing and for mic 2)::

    >>> from appliance.core.store import Store
    >>> book = VoiceBook(Store.open_memory(), clock=lambda: 0.0)
    >>> book.voice_of("Ada") == book.default
    True
    >>> book.remember("ADA ", VoiceSettings(level_db=-6.0, echo=0.1))
    >>> book.voice_of("ada")
    VoiceSettings(level_db=-6.0, echo=0.1)
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from appliance.core.errors import InvalidRequest
from appliance.core.night import name_key
from appliance.core.store import Store, set_value
from appliance.core.voice import LEVEL_DB_MAX, LEVEL_DB_MIN, VoiceSettings

log = logging.getLogger(__name__)

DEFAULT_VOICE_KEY = "default_voice"
"""Store key: the night's default :class:`VoiceSettings` (what the host set)."""


class VoiceBook:
    """The voices table and the default voice (call under the core's lock)."""

    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self._store, self._clock = store, clock
        self.default = _stored(store.get_value(DEFAULT_VOICE_KEY)) or VoiceSettings()

    def voice_of(self, singer_name: str) -> VoiceSettings:
        """What this singer set, else the night's default."""
        rows = self._store.query(
            "SELECT settings FROM voices WHERE name_key = ?", (name_key(singer_name),)
        )
        own = _stored(json.loads(rows[0][0])) if rows else None
        return own or self.default

    def remember(self, singer_name: str, voice: VoiceSettings) -> None:
        """Keep ``voice`` for this singer (saved before this returns)."""
        with self._store.transaction() as db:
            db.execute(
                "INSERT INTO voices(name_key, settings, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(name_key) DO UPDATE SET settings = excluded.settings, "
                "updated_at = excluded.updated_at",
                (name_key(singer_name), json.dumps(voice.to_dict()), self._clock()),
            )

    def set_default(self, voice: VoiceSettings) -> None:
        """The night's default voice (saved before this returns)."""
        with self._store.transaction() as db:
            set_value(db, DEFAULT_VOICE_KEY, voice.to_dict())
        self.default = voice


def stepped(voice: VoiceSettings, level_db_delta: float, echo_delta: float) -> VoiceSettings:
    """``voice`` moved by the deltas and clamped into range (a button held past the end stays
    at the end)."""
    level = min(LEVEL_DB_MAX, max(LEVEL_DB_MIN, voice.level_db + level_db_delta))
    echo = min(1.0, max(0.0, voice.echo + echo_delta))
    return VoiceSettings(level_db=round(level, 2), echo=round(echo, 3))


def _stored(data: object) -> VoiceSettings | None:
    """A voice read back from the store; what no longer validates is forgotten, not fatal."""
    if data is None:
        return None
    try:
        return VoiceSettings.from_dict(data)
    except InvalidRequest as error:
        log.warning("a stored voice is no longer valid (%s): the default is used", error)
        return None
