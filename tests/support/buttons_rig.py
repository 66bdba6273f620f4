"""A real core on mock pins for the buttons tests: songs, singers, and hands to press with."""

from __future__ import annotations

from dataclasses import dataclass

from gpiozero.pins.mock import MockFactory, MockPWMPin

from appliance.buttons.layout import KNOB
from appliance.buttons.part import ButtonsPart, start_buttons
from appliance.buttons.settings import ButtonsConfig
from appliance.core.catalog import Catalog
from appliance.core.models import Song, SongId
from appliance.core.ports import ManualClock
from appliance.core.service import Actor, Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.store import Store

HOST = Actor.host()
SONGS = {"s1": 180.0, "s2": 200.0, "s3": 150.0, "broken": 0.0}


@dataclass
class Rig:
    """A core, its clock and player, the buttons part and the mock pin factory."""

    core: Core
    clock: ManualClock
    player: SilentPlayer
    part: ButtonsPart
    factory: MockFactory

    def pin(self, name: str):
        """The mock pin of button ``name`` (or ``KNOB``, or an LED name)."""
        if name in self.part.layout.leds:
            number = self.part.layout.leds[name]
        else:
            number = next(b.pin for b in self.part.layout.buttons if b.name == name)
        return self.factory.pin(number)

    def settle(self, seconds: float | None = None) -> None:
        """Let ``seconds`` pass (default: one debounce time and a bit) and run the timers."""
        self.clock.advance(self.part.layout.debounce_s + 0.001 if seconds is None else seconds)
        self.part.service()

    def press(self, name: str, *, for_s: float = 0.1) -> None:
        """Press ``name`` cleanly, keep it down ``for_s``, release, wait for the core."""
        self.pin(name).drive_low()
        self.settle()
        self.settle(for_s)
        self.pin(name).drive_high()
        self.settle()
        self.done()

    def hold(self, name: str) -> None:
        """Hold ``name`` past the hold time, then release."""
        self.press(name, for_s=self.part.layout.hold_s + 0.1)

    def turn(self, detents: int, *, wait: bool = True) -> None:
        """Turn the knob: positive clockwise (volume up). Each detent is one quadrature cycle."""
        enc = self.part.layout.encoder
        assert enc is not None
        a, b = self.factory.pin(enc.a), self.factory.pin(enc.b)
        first, second = (a, b) if detents > 0 else (b, a)
        for _ in range(abs(detents)):
            first.drive_low()
            second.drive_low()
            first.drive_high()
            second.drive_high()
        if wait:
            self.done()

    def done(self) -> None:
        """Wait until the worker has handed every action to the core."""
        assert self.part.worker.wait_idle(5.0)

    def state(self) -> str:
        """The core's playback state."""
        return self.core.snapshot().state.value


def make_rig(config: ButtonsConfig | None = None, **options: object) -> Rig:
    """A core with four songs and two singers queued (Ada: s1, s2; Bob: s3), buttons on top."""
    clock = ManualClock()
    player = SilentPlayer(clock, check_files=False)
    store = Store.open_memory()
    core = Core(store, player, clock=clock)
    Catalog(store).upsert_songs(
        [(Song(SongId(i), f"Song {i}", "Tester", d, f"/songs/{i}"), i) for i, d in SONGS.items()]
    )
    factory = MockFactory(pin_class=MockPWMPin)
    part = start_buttons(
        core,
        config or ButtonsConfig(),
        factory=factory,
        clock=clock.monotonic,
        run_thread=False,
        **options,  # type: ignore[arg-type]
    )
    return Rig(core, clock, player, part, factory)


def queue(core: Core, singer: str, *song_ids: str) -> None:
    """``singer`` joins and queues ``song_ids``."""
    person = core.join(singer)
    for song_id in song_ids:
        core.queue_song(HOST, person.singer_id, song_id)


__all__ = ["HOST", "KNOB", "Rig", "make_rig", "queue"]
