"""What a part of the box is given and what it gives back: typed, no bag of options.

The composition root (:mod:`appliance.app`) starts the parts in this order, each one's result
handed to the next in a new :class:`PartContext` (frozen: nothing is filled in later)::

    audio    create_player(AudioConfig, state_dir, roots) -> Player   appliance/audio/part.py
    core     Core(store, player, ...)                                 appliance/core/service.py
    system   start(PartContext[None]) -> SystemPart (.network)        appliance/system/part.py
    web      start(PartContext[WebConfig]) -> RemotePart (.url)       web_remote/part.py
    buttons  start(PartContext[ButtonsConfig]) -> ButtonsPart         appliance/buttons/part.py
    display  run(PartContext[DisplayConfig], KeyControls), main thread appliance/display/part.py

A part imports this module and the core, never another part nor the composition root (the
import contracts in pyproject.toml say so). Tests build contexts with ``tests/support/context.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from appliance.core.ports import Player
from appliance.core.service import Core

S = TypeVar("S")
T = TypeVar("T")


class Part(Protocol):
    """A started part of the box."""

    def stop(self) -> None:
        """Stop and release what the part holds."""


class Library(Protocol):
    """The song folders of the running box: :class:`appliance.library.service.LibraryService`."""

    @property
    def roots(self) -> list[Path]:
        """The folders indexed now (configured ones, then USB sticks as they come)."""

    def add_root(self, root: Path) -> None:
        """Index a new folder (a USB stick) in the background, with progress on the TV."""

    def remove_root(self, root: Path) -> None:
        """Forget the songs of a folder that went away."""

    def rescan(self) -> bool:
        """Rescan every folder in the background (the phone's Rescan); False if one is running."""


def _never() -> bool:
    return False


@dataclass(frozen=True)
class NetworkInfo:
    """How phones reach the box: the system part's result (defaults: nothing known)."""

    mode: str = "unknown"
    """``appliance.system.network.NetworkMode`` value: 'venue', 'hotspot', 'offline', 'unknown'."""
    wifi_qr: str = ""
    """A ``WIFI:`` payload to join the box's hotspot (shown on the TV), or ''."""
    hotspot_ssid: str = ""
    hotspot_active: Callable[[], bool] = field(default=_never)
    """Asked live by the captive-portal answers: is the hotspot up right now?"""


class SystemStarted(Part, Protocol):
    """The system part's result: the network it found and a heartbeat for the watchdog."""

    network: NetworkInfo

    def beat(self) -> None:
        """One heartbeat of the main loop."""


class WebStarted(Part, Protocol):
    """The web part's result: the address phones use."""

    url: str


def _no_beat() -> None:
    return None


@dataclass(frozen=True)
class PartContext(Generic[S]):
    """What a part works with: its own config section, the core and what earlier parts gave."""

    settings: S
    """The part's own config section (``None`` for a part without one)."""
    state_dir: Path
    core: Core
    player: Player
    stop: threading.Event
    library: Library
    beat: Callable[[], None] = field(default=_no_beat)
    """Called by the main loop about once a second (feeds the systemd watchdog)."""
    network: NetworkInfo = field(default_factory=NetworkInfo)
    public_url: str = ""
    """The address phones use (the web part's result; '' without a web remote)."""

    def with_settings(self, settings: T) -> PartContext[T]:
        """The same context for a part whose section is ``settings``."""
        return PartContext(
            settings=settings,
            state_dir=self.state_dir,
            core=self.core,
            player=self.player,
            stop=self.stop,
            library=self.library,
            beat=self.beat,
            network=self.network,
            public_url=self.public_url,
        )
