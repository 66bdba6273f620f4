"""Notices that appear and fade: key/tempo/guide changes, volume, skipped songs, device problems,
library scan progress. Thread-safe: the event listener adds, the frame loop reads::

    >>> notices = Notices(clock=lambda: 0.0)
    >>> notices.add("Key +2")
    >>> [(n.text, n.alpha) for n in notices.shown(1.0)]
    [('Key +2', 1.0)]
    >>> notices.shown(10.0)
    ()
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from appliance.core import events
from appliance.core.models import MixSettings
from appliance.display.frame import ShownNotice

FADE_IN_S, HOLD_S, FADE_OUT_S = 0.25, 3.5, 0.8
MAX_NOTICES = 6


@dataclass
class _Notice:
    text: str
    level: str
    key: str
    born_s: float


class Notices:
    """Recent notices with their fade; a notice with the same ``key`` replaces the older one."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._items: list[_Notice] = []
        self._lock = threading.Lock()

    def add(self, text: str, level: str = "info", key: str = "") -> None:
        """Show ``text`` from now; the same text (or ``key``) shown already restarts its time."""
        if not text:
            return
        key = key or text
        with self._lock:
            self._items = [item for item in self._items if item.key != key]
            self._items.append(_Notice(text, level, key, self._clock()))
            del self._items[:-MAX_NOTICES]

    def shown(self, now_s: float) -> tuple[ShownNotice, ...]:
        """The notices visible at ``now_s``, oldest first, with their alpha."""
        life = FADE_IN_S + HOLD_S + FADE_OUT_S
        with self._lock:
            self._items = [item for item in self._items if now_s - item.born_s < life]
            items = list(self._items)
        return tuple(ShownNotice(i.text, i.level, _alpha(now_s - i.born_s)) for i in items)

    def active(self, now_s: float) -> bool:
        """True while a notice is on screen (the loop then draws at full frame rate)."""
        return bool(self.shown(now_s))


def _alpha(age_s: float) -> float:
    if age_s < FADE_IN_S:
        return max(0.0, age_s / FADE_IN_S)
    if age_s < FADE_IN_S + HOLD_S:
        return 1.0
    return max(0.0, 1.0 - (age_s - FADE_IN_S - HOLD_S) / FADE_OUT_S)


def mix_change_text(before: MixSettings | None, event: events.MixChanged) -> str:
    """What a MixChanged event changed, in words: 'Key +2', 'Tempo 80%', 'Guide vocal off'.

    >>> mix_change_text(MixSettings(), events.MixChanged(1, key_semitones=2))
    'Key +2'
    >>> mix_change_text(MixSettings(key_semitones=2), events.MixChanged(1, key_semitones=2,
    ...                 tempo_ratio=0.8))
    'Tempo 80%'
    """
    before = before or MixSettings()
    parts = []
    if event.key_semitones != before.key_semitones:
        key = event.key_semitones
        parts.append(f"Key {key:+d}" if key else "Original key")
    if abs(event.tempo_ratio - before.tempo_ratio) > 1e-6:
        parts.append(f"Tempo {round(event.tempo_ratio * 100)}%")
    if abs(event.guide_level - before.guide_level) > 1e-6:
        level = event.guide_level
        parts.append("Guide vocal off" if level <= 0 else f"Guide vocal {round(level * 100)}%")
    return "   ".join(parts)


def event_notice(event: events.Event, mix_before: MixSettings | None) -> tuple[str, str, str]:
    """(text, level, key) of the notice an event calls for; text '' for none."""
    if isinstance(event, events.MixChanged):
        return mix_change_text(mix_before, event), "info", "mix"
    if isinstance(event, events.VolumeChanged):
        text = "Muted" if event.muted else f"Volume {round(event.volume * 100)}%"
        return text, "info", "volume"
    if isinstance(event, events.SongFailed):
        reason = event.reason or "it could not be played"
        title = f"{event.title}: " if event.title else ""
        return f"Song skipped: {title}{reason}", "error", ""
    if isinstance(event, events.LibraryChanged):
        return event.message, "info", "library"
    if isinstance(event, events.Notice):
        return event.message, event.level if event.level in ("warn", "error") else "info", ""
    return "", "info", ""
