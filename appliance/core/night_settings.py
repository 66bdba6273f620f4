"""The night settings, defined once: their fields, defaults, allowed modes and ranges.

The config's ``[rotation]`` section is this dataclass (the values a night starts with), the
loader checks it with ``_choices`` and ``_ranges``, the core checks the host's changes with
:meth:`NightSettings.changed`, and the remote's OpenAPI document describes it with
:func:`json_schema`: a range changed here changes all four::

    >>> NightSettings().changed({"mode": "fifo", "countdown_s": 30}).countdown_s
    30
    >>> NightSettings().changed({"per_singer_limit": 0})
    Traceback (most recent call last):
    ...
    appliance.core.errors.InvalidRequest: per_singer_limit: must be a number from 1 to 100
    >>> json_schema()["properties"]["gap_s"]
    {'type': 'number', 'minimum': 0, 'maximum': 600}
    >>> json_schema()["properties"]["home_mode"]
    {'type': 'boolean'}
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from typing import Any

from appliance.core.errors import InvalidRequest

ROTATION_MODES = ("fair", "fifo")
SCORE_DIFFICULTIES = ("easy", "normal", "hard")


@dataclass(frozen=True)
class NightSettings:
    """What the host can change during the night. ``mode``: 'fair' (rotation) or 'fifo' (first
    come, first served); a guest may queue ``per_singer_limit`` songs; ``countdown_s`` before a
    song starts, ``gap_s`` between songs; the guide vocal's level for new entries; at most
    ``max_singers`` singers in the night (phones joining past it are refused: a hostile phone
    cannot grow every snapshot without bound); switches (true/false) for home mode and the TV's
    corner QR code; the scoring's difficulty, whether the TV draws the notes and shows the
    leaderboard, and whether it draws backgrounds behind the lyrics."""

    mode: str = "fair"
    per_singer_limit: int = 3
    countdown_s: float = 15.0
    gap_s: float = 5.0
    default_guide_level: float = 1.0
    max_singers: int = 100
    home_mode: bool = False
    """Everyone is host, no PIN (a family at home); the host turns it on."""
    qr_during_songs: bool = True
    """The TV shows a small join QR code in a corner while a song plays."""
    score_difficulty: str = "normal"
    """How close to a note counts (easy, normal, hard): the scorer's tolerance."""
    tv_notes: bool = True
    """The TV draws the note lane above the lyrics (false: lyrics only)."""
    show_leaderboard: bool = True
    """The night's leaderboard is shown on the TV and phones (false: hidden)."""
    tv_backgrounds: bool = True
    """The TV draws background videos and pictures behind the lyrics (false: plain)."""

    _choices: typing.ClassVar[dict[str, tuple[str, ...]]] = {
        "mode": ROTATION_MODES,
        "score_difficulty": SCORE_DIFFICULTIES,
    }
    _ranges: typing.ClassVar[dict[str, tuple[float, float]]] = {
        "per_singer_limit": (1, 100),
        "countdown_s": (0, 600),
        "gap_s": (0, 600),
        "default_guide_level": (0, 1),
        "max_singers": (1, 1000),
    }

    def changed(self, changes: object) -> NightSettings:
        """These settings with ``changes`` (a dict from a phone): InvalidRequest if any is
        unknown, of the wrong type or out of its range."""
        if not isinstance(changes, dict):
            raise InvalidRequest("settings", "must be an object")
        kinds = _field_kinds()
        for key, value in changes.items():
            if key not in kinds:
                raise InvalidRequest(str(key), "unknown setting")
            _check(key, value, kinds[key])
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        """The settings as plain values (saved in the store, sent to phones)."""
        return dataclasses.asdict(self)


def json_schema() -> dict[str, Any]:
    """The settings as a JSON Schema object (types, the mode's choices, every range)."""
    properties: dict[str, Any] = {}
    for name, kind in _field_kinds().items():
        if name in NightSettings._choices:
            properties[name] = {"enum": list(NightSettings._choices[name])}
            continue
        if kind is bool:
            properties[name] = {"type": "boolean"}
            continue
        low, high = NightSettings._ranges[name]
        json_type = "integer" if kind is int else "number"
        properties[name] = {"type": json_type, "minimum": low, "maximum": high}
    return {"type": "object", "properties": properties, "required": []}


def _field_kinds() -> dict[str, type]:
    hints = typing.get_type_hints(NightSettings)
    return {field.name: hints[field.name] for field in dataclasses.fields(NightSettings)}


def _check(key: str, value: object, kind: type) -> None:
    if key in NightSettings._choices:
        choices = NightSettings._choices[key]
        if value not in choices:
            raise InvalidRequest(key, "must be " + " or ".join(repr(c) for c in choices))
        return
    if kind is bool:
        if not isinstance(value, bool):
            raise InvalidRequest(key, "must be true or false")
        return
    low, high = NightSettings._ranges[key]
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if number is None or (kind is int and not isinstance(number, int)) or not low <= number <= high:
        raise InvalidRequest(key, f"must be a number from {low} to {high}")
