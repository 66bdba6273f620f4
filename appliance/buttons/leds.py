"""Status LEDs that follow the core: ready, playing and attention, each with its own pattern.

| LED       | pattern                                                                     |
| --------- | --------------------------------------------------------------------------- |
| ready     | steady: idle, waiting for songs; slow blink: a singer is up next (countdown) |
| playing   | steady: a song plays; breathing: paused                                     |
| attention | fast blink: a song failed or the sound device had a problem (for           |
|           | ``attention_s``), and all the time while the box runs without sound         |

Patterns are worked out from the core's snapshot on every event, never from event deltas::

    >>> from appliance.core.snapshot import PlaybackState
    >>> led_patterns(PlaybackState.PAUSED, attention=True)["playing"]
    <Pattern.BREATHE: 'breathe'>
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from typing import Any

from appliance.core import events
from appliance.core.service import Core
from appliance.core.snapshot import PlaybackState

log = logging.getLogger(__name__)


class Pattern(enum.StrEnum):
    """How an LED shows something."""

    OFF = "off"
    ON = "on"
    BLINK_SLOW = "blink_slow"
    BLINK_FAST = "blink_fast"
    BREATHE = "breathe"


def led_patterns(state: PlaybackState, *, attention: bool) -> dict[str, Pattern]:
    """The pattern of each LED for a playback state and whether something needs attention."""
    ready = {PlaybackState.IDLE: Pattern.ON, PlaybackState.UP_NEXT: Pattern.BLINK_SLOW}
    playing = {PlaybackState.PLAYING: Pattern.ON, PlaybackState.PAUSED: Pattern.BREATHE}
    return {
        "ready": ready.get(state, Pattern.OFF),
        "playing": playing.get(state, Pattern.OFF),
        "attention": Pattern.BLINK_FAST if attention else Pattern.OFF,
    }


class Attention:
    """Whether something needs the host: a recent failure, a device problem, no sound at all."""

    def __init__(self, clock: Callable[[], float], *, window_s: float = 30.0) -> None:
        self._clock = clock
        self.window_s = window_s
        self.audio_missing = False
        self._until = float("-inf")

    def raise_for_a_while(self) -> None:
        """Something went wrong just now (a song failed, the device had a problem)."""
        self._until = self._clock() + self.window_s

    def clear(self) -> None:
        """A song plays again: the last failure is dealt with."""
        self._until = float("-inf")

    def active(self) -> bool:
        """True while the attention LED should blink."""
        return self.audio_missing or self._clock() < self._until


def apply_pattern(led: Any, pattern: Pattern, *, can_fade: bool) -> None:
    """Show ``pattern`` on a gpiozero LED or PWMLED (blink/pulse run on gpiozero's thread)."""
    if pattern is Pattern.ON:
        led.on()
    elif pattern is Pattern.BLINK_SLOW:
        led.blink(on_time=0.5, off_time=0.5)
    elif pattern is Pattern.BLINK_FAST:
        led.blink(on_time=0.12, off_time=0.12)
    elif pattern is Pattern.BREATHE and can_fade:
        led.pulse(fade_in_time=1.2, fade_out_time=1.2)
    elif pattern is Pattern.BREATHE:
        led.blink(on_time=1.2, off_time=1.2)
    else:
        led.off()


def _is_trouble(event: events.Event) -> bool:
    if isinstance(event, events.Notice):
        return event.level in ("warning", "error")
    return isinstance(event, events.SongFailed)


class StatusLeds:
    """Keeps the LEDs in step with the core. ``leds``: name -> gpiozero LED or PWMLED."""

    def __init__(self, core: Core, leds: dict[str, Any], attention: Attention) -> None:
        self._core = core
        self._leds = leds
        self.attention = attention
        self.shown: dict[str, Pattern] = {}
        self._state = PlaybackState.IDLE
        self._lock = threading.Lock()

    def on_event(self, event: events.Event) -> None:
        """A core event (on the bus's thread): note failures, then refresh."""
        if _is_trouble(event):
            self.attention.raise_for_a_while()
        elif isinstance(event, events.PlaybackStateChanged) and event.state == "playing":
            self.attention.clear()
        self.refresh()

    def refresh(self) -> None:
        """Show what the core's snapshot says; LEDs whose pattern is unchanged are left alone."""
        with self._lock:
            self._state = self._core.snapshot().state
            self._show()

    def tick(self) -> None:
        """Re-check the attention window without asking the core (never blocks on it)."""
        with self._lock:
            self._show()

    def _show(self) -> None:
        wanted = led_patterns(self._state, attention=self.attention.active())
        for name, led in self._leds.items():
            if self.shown.get(name) is not wanted[name]:
                apply_pattern(led, wanted[name], can_fade=hasattr(led, "pulse"))
                self.shown[name] = wanted[name]

    def all_off(self) -> None:
        """Dark, for shutdown."""
        with self._lock:
            for name, led in self._leds.items():
                led.off()
                self.shown[name] = Pattern.OFF
