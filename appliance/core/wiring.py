"""How the core's collaborators are put together: each gets what it needs, nothing more.

The :class:`~appliance.core.service.Core` calls :func:`wire_core` once and keeps the parts;
this is the one place that shows which collaborator depends on which.
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.core.catalog import Catalog
from appliance.core.config import RotationConfig
from appliance.core.events import Announcer, EventBus
from appliance.core.history import History
from appliance.core.live_state import VOLUME_KEY, LiveState
from appliance.core.night import NightState
from appliance.core.playback import PlaybackMachine
from appliance.core.ports import Clock, Player
from appliance.core.queue_commands import QueueCommands
from appliance.core.settings_book import SettingsBook
from appliance.core.singing import SheetSource, Singing
from appliance.core.store import Store
from appliance.core.transport import Transport


@dataclass(frozen=True)
class CoreParts:
    """The core's state and collaborators."""

    catalog: Catalog
    night: NightState
    history: History
    clock: Clock
    bus: EventBus
    announcer: Announcer
    settings: SettingsBook
    live: LiveState
    playback: PlaybackMachine
    queue: QueueCommands
    transport: Transport
    singing: Singing


def wire_core(
    store: Store,
    player: Player,
    *,
    clock: Clock,
    rotation: RotationConfig,
    bus: EventBus,
    volume: float,
    sheets: SheetSource | None = None,
) -> CoreParts:
    """The collaborators over ``store`` and ``player`` (the volume saved in the store wins
    over ``volume``); ``sheets`` gives a song's notes for scoring (None: nothing is scored)."""
    catalog, night, history = Catalog(store), NightState(store), History(store, clock.wall)
    announcer, book = Announcer(bus), SettingsBook(store, rotation)
    live = LiveState(volume=float(store.get_value(VOLUME_KEY, volume)))
    singing = Singing(
        store=store,
        night=night,
        catalog=catalog,
        clock=clock,
        player=player,
        live=live,
        announcer=announcer,
        settings=lambda: book.current,
        sheets=sheets,
    )
    playback = PlaybackMachine(
        store=store,
        night=night,
        catalog=catalog,
        history=history,
        clock=clock,
        player=player,
        live=live,
        announcer=announcer,
        settings=lambda: book.current,
        singing=singing,
    )
    queue = QueueCommands(
        store=store,
        night=night,
        catalog=catalog,
        clock=clock,
        machine=playback,
        announcer=announcer,
        settings=lambda: book.current,
    )
    transport = Transport(
        store=store,
        night=night,
        catalog=catalog,
        clock=clock,
        player=player,
        live=live,
        machine=playback,
        announcer=announcer,
    )
    return CoreParts(
        catalog, night, history, clock, bus, announcer, book, live, playback, queue, transport,
        singing,
    )  # fmt: skip
