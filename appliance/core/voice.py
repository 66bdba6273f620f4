"""A singer's microphone settings: their level and how much echo, remembered per singer.

The singer sets their own from the phone, the host anyone's (and the night's default for
singers who set nothing); box buttons step the current singer's. The engine applies them to
the mic the singer holds: mic 1 for a solo singer and duet part 1, mic 2 for duet part 2::

    >>> VoiceSettings.from_dict({"level_db": -3, "echo": 0.5})
    VoiceSettings(level_db=-3.0, echo=0.5)
    >>> VoiceSettings(level_db=40.0).validated()
    Traceback (most recent call last):
    ...
    appliance.core.errors.InvalidRequest: level_db: must be between -40.0 and 12.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from appliance.core.errors import InvalidRequest

LEVEL_DB_MIN, LEVEL_DB_MAX = -40.0, 12.0
"""The mic level range in dB (0 = as the mic gives it; the bottom is as good as off)."""
ECHO_DEFAULT = 0.3
"""A karaoke box's usual echo: present, not a cathedral."""
MICS = (1, 2)
"""The box's microphones."""


@dataclass(frozen=True)
class VoiceSettings:
    """Mic level in dB and echo amount 0..1 (0 = dry)."""

    level_db: float = 0.0
    echo: float = ECHO_DEFAULT

    def validated(self) -> VoiceSettings:
        """Self if in range, else :class:`InvalidRequest` naming the field."""
        _check("level_db", self.level_db, LEVEL_DB_MIN, LEVEL_DB_MAX)
        _check("echo", self.echo, 0.0, 1.0)
        return self

    def to_dict(self) -> dict[str, float]:
        """Plain JSON-ready form."""
        return {"level_db": self.level_db, "echo": self.echo}

    @classmethod
    def from_dict(cls, data: object, base: VoiceSettings | None = None) -> VoiceSettings:
        """From untrusted JSON: unknown keys and wrong types are refused, missing ones kept."""
        if not isinstance(data, dict):
            raise InvalidRequest("voice", "must be an object")
        unknown = set(data) - {"level_db", "echo"}
        if unknown:
            raise InvalidRequest(str(sorted(unknown, key=str)[0]), "unknown setting")
        base = base or cls()
        level = _number("level_db", data.get("level_db", base.level_db))
        echo = _number("echo", data.get("echo", base.echo))
        return cls(level_db=level, echo=echo).validated()


def _number(field_name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidRequest(field_name, "must be a number")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidRequest(field_name, "must be a finite number")
    return number


def _check(field_name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise InvalidRequest(field_name, f"must be between {low} and {high}")
