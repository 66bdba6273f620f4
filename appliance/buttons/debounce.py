"""Debounce and press/hold timing for one button, in the project's own code.

gpiozero's mock pins ignore ``bounce_time`` and real contacts chatter, so each button keeps a
clean level of its own: an edge only arms a settle timer, and when no edge has come for
``debounce_s`` the real pin level is read. A burst of edges is one change (or none, for a spike
that ends where it began). A change to "down" starts the hold timer; the hold action fires once
however long the button stays down, and the press action fires on release if no hold fired.
A button without a hold action fires its press as soon as the press is clean.

Pure logic with explicit times, so tests can step it::

    >>> timing = ButtonTiming(press="skip", hold="restart", debounce_s=0.03, hold_s=1.0)
    >>> for t in (0.000, 0.002, 0.003, 0.005):   # a chattering press, ending down
    ...     timing.edge(t)
    >>> timing.advance(0.040, level=True), timing.next_due()
    ([], 1.035)
    >>> timing.advance(1.040, level=True), timing.advance(60.0, level=True)
    (['restart'], [])
    >>> timing.edge(61.0); timing.advance(61.1, level=False)
    []
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ButtonTiming:
    """The clean state of one button and the actions its changes give."""

    press: str | None
    hold: str | None
    debounce_s: float
    hold_s: float
    down: bool = False
    settle_at: float | None = None
    hold_at: float | None = None
    held: bool = False

    def edge(self, now: float) -> None:
        """The pin changed at ``now`` (any direction): wait for it to settle."""
        self.settle_at = now + self.debounce_s

    def next_due(self) -> float | None:
        """When :meth:`advance` next has something to do (None: only after an edge)."""
        times = [t for t in (self.settle_at, self.hold_at) if t is not None]
        return min(times) if times else None

    def advance(self, now: float, level: bool) -> list[str]:
        """Run the timers due by ``now``; ``level`` is the pin read now (True: pressed)."""
        actions: list[str] = []
        while (due := self.next_due()) is not None and due <= now:
            if self.hold_at is not None and self.hold_at == due:
                self.hold_at, self.held = None, True
                if self.hold is not None:  # hold_at is only set for a button with a hold action
                    actions.append(self.hold)
            else:
                self.settle_at = None
                if level != self.down:
                    actions += self._became(level, due)
        return actions

    def _became(self, down: bool, at: float) -> list[str]:
        self.down = down
        if down:
            self.held = False
            if self.hold is None:
                return [self.press] if self.press else []
            self.hold_at = at + self.hold_s
            return []
        fired_hold = self.held or self.hold is None
        self.hold_at, self.held = None, False
        return [self.press] if self.press and not fired_hold else []
