"""The buttons part of the box: GPIO buttons, the volume knob and the status LEDs.

``start(context)`` is called by the composition root with its ``[buttons]`` section
(appliance/buttons/settings.py) in ``context.settings``. On a machine without GPIO it logs one
line and returns None: the box runs without buttons. Tests build the part directly on mock pins::

    >>> from gpiozero.pins.mock import MockFactory, MockPWMPin
    >>> from appliance.buttons.settings import ButtonsConfig
    >>> from appliance.core.ports import ManualClock
    >>> from appliance.core.silent_player import SilentPlayer
    >>> from appliance.core.store import Store
    >>> clock = ManualClock()
    >>> core = Core(Store.open_memory(), SilentPlayer(clock), clock=clock)
    >>> part = start_buttons(core, ButtonsConfig(), factory=MockFactory(pin_class=MockPWMPin))
    >>> part.knob_step(+1); part.worker.wait_idle(2.0), core.volume()
    (True, (0.85, False))
    >>> part.stop()
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from gpiozero.pins import Factory

from appliance.buttons.debounce import ButtonTiming
from appliance.buttons.hardware import Board, NoGpio, open_board, pin_factory
from appliance.buttons.knob import KNOB_MODE, KnobModes
from appliance.buttons.layout import Layout, layout_from_config
from appliance.buttons.leds import Attention, StatusLeds
from appliance.buttons.settings import ButtonsConfig
from appliance.buttons.worker import ActionWorker
from appliance.core.actions import perform
from appliance.core.service import Core
from appliance.core.silent_player import SilentPlayer
from appliance.parts import PartContext

log = logging.getLogger(__name__)

LED_REFRESH_S = 1.0
"""How often the attention window is re-checked without an event (no call to the core)."""


class ButtonsPart:
    """Running buttons: edges in, clean actions out to a worker, LEDs following the core."""

    def __init__(
        self,
        core: Core,
        layout: Layout,
        board: Board,
        *,
        clock: Callable[[], float] = time.monotonic,
        audio_missing: bool = False,
        run_thread: bool = True,
    ) -> None:
        self.core, self.layout, self.board, self._clock = core, layout, board, clock
        self.timings = {
            spec.name: ButtonTiming(spec.press, spec.hold, layout.debounce_s, layout.hold_s)
            for spec in layout.buttons
            if spec.name in board.buttons
        }
        for name, timing in self.timings.items():
            timing.down = bool(board.buttons[name].is_pressed)  # stuck at boot: ignored
        self._edges: dict[str, float] = {}
        self._edges_lock = threading.Lock()
        self._wake, self._stop = threading.Event(), threading.Event()
        self.knob = KnobModes(clock)
        self.worker = ActionWorker(self._perform)
        self.leds = StatusLeds(core, board.leds, Attention(clock))
        self.leds.attention.audio_missing = audio_missing
        self._listener = f"buttons-leds-{id(self)}"
        core.subscribe(self._listener, self.leds.on_event)
        self.leds.refresh()
        self._next_led_refresh = clock() + LED_REFRESH_S
        self._thread: threading.Thread | None = None
        if run_thread:
            self._thread = threading.Thread(target=self._run, name="buttons-input", daemon=True)
            self._thread.start()

    # --- gpiozero's callback thread: note and return ----------------------------------------

    def edge(self, name: str) -> None:
        """A button's pin changed (called on gpiozero's thread; only notes the time)."""
        with self._edges_lock:
            self._edges[name] = self._clock()
        self._wake.set()

    def knob_step(self, direction: int) -> None:
        """One detent of the knob (gpiozero's thread): queue a step of what it turns now (the
        volume, or the mic level or echo after a hold: :class:`KnobModes`)."""
        self.worker.submit(self.knob.step_action(direction))

    # --- the input thread ------------------------------------------------------------------

    def service(self) -> float | None:
        """Apply noted edges and due timers; return when to call again (None: on an edge)."""
        now = self._clock()
        with self._edges_lock:
            edges, self._edges = self._edges, {}
        for name, at in edges.items():
            self.timings[name].edge(at)
        for name, timing in self.timings.items():
            if (due := timing.next_due()) is not None and due <= now:
                level = bool(self.board.buttons[name].is_pressed)
                for action in timing.advance(now, level):
                    self.worker.submit(action)
        if now >= self._next_led_refresh:
            self._next_led_refresh = now + LED_REFRESH_S
            self.leds.tick()
        dues = [d for t in self.timings.values() if (d := t.next_due()) is not None]
        return min([*dues, self._next_led_refresh])

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                due = self.service()
            except Exception:
                log.exception("buttons: input handling failed; going on")
                due = self._clock() + LED_REFRESH_S
            wait = max(0.0, min(LED_REFRESH_S, (due or 0) - self._clock()))
            self._wake.wait(wait)
            self._wake.clear()

    # --- the worker thread -----------------------------------------------------------------

    def _perform(self, action: str) -> None:
        if action == KNOB_MODE:
            self.core.notify(self.knob.next_mode(), "info")
            return
        result = perform(self.core, action, volume_step=self.layout.volume_step)
        log.info("button %s: %s%s", action, "" if result.ok else "refused: ", result.message)
        self.core.notify(result.message, "info")

    def stop(self) -> None:
        """Stop reading the buttons, finish queued actions, darken the LEDs, free the pins."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(2.0)
        self.core.unsubscribe(self._listener)
        self.worker.stop()
        self.leds.all_off()
        self.board.close()


def start_buttons(
    core: Core,
    config: ButtonsConfig,
    *,
    factory: Factory | None = None,
    clock: Callable[[], float] = time.monotonic,
    audio_missing: bool = False,
    run_thread: bool = True,
) -> ButtonsPart:
    """Validate ``config`` (ConfigError), open the pins (NoGpio) and start reading them."""
    layout = layout_from_config(config)
    if factory is None:
        factory = pin_factory(config.pin_factory)
    holder: list[ButtonsPart] = []
    board = open_board(
        layout,
        factory,
        on_edge=lambda name: holder[0].edge(name) if holder else None,
        on_step=lambda step: holder[0].knob_step(step) if holder else None,
    )
    part = ButtonsPart(
        core, layout, board, clock=clock, audio_missing=audio_missing, run_thread=run_thread
    )
    holder.append(part)
    return part


def start(context: PartContext[ButtonsConfig]) -> ButtonsPart | None:
    """The composition root's entry: buttons for ``context.core``, or None without GPIO."""
    config = context.settings
    if not config.enabled:
        log.info("buttons: off in the config ([buttons] enabled = false)")
        return None
    audio_missing = isinstance(context.player, SilentPlayer)
    try:
        part = start_buttons(context.core, config, audio_missing=audio_missing)
    except NoGpio as error:
        log.warning("buttons: no GPIO on this machine, the box runs without buttons (%s)", error)
        return None
    log.info("buttons: %s", ", ".join(f"GPIO{p} {u}" for p, u in part.layout.pins().items()))
    return part
