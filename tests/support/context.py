"""The one fake context: what the composition root (appliance/app.py) gives a part, built for a
test. A real core (over an in-memory store, a silent player on a manual clock, unless the test
brings its own), a stop event, a library that records what parts ask of it, a heartbeat that
counts, and the network info and public URL earlier parts would have given::

    box = FakeBox()
    part = buttons_part.start(box.context(ButtonsConfig(pin_factory="mock")))
    ...
    box = FakeBox(core, player, store=store, state_dir=tmp_path).run_core()   # core on a thread
    box.close()
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from appliance.core.ports import ManualClock, Player
from appliance.core.service import Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.store import Store
from appliance.parts import NetworkInfo, PartContext

S = TypeVar("S")
PUBLIC_URL = "http://192.168.1.20:8080/"


class FakeLibrary:
    """The song folders (:class:`appliance.parts.Library`): records what parts ask; no scans."""

    def __init__(self, roots: Sequence[Path] = ()) -> None:
        self._roots = list(roots)
        self.added: list[Path] = []
        self.removed: list[Path] = []
        self.rescans: list[float] = []

    @property
    def roots(self) -> list[Path]:
        return list(self._roots)

    def add_root(self, root: Path) -> None:
        self.added.append(root)
        self._roots.append(root)

    def remove_root(self, root: Path) -> None:
        self.removed.append(root)
        if root in self._roots:
            self._roots.remove(root)

    def rescan(self) -> bool:
        self.rescans.append(time.time())
        return True


class FakeBox:
    """A box for one test: makes a :class:`PartContext` for any part with :meth:`context`."""

    def __init__(
        self,
        core: Core | None = None,
        player: Player | None = None,
        *,
        store: Store | None = None,
        state_dir: Path | None = None,
        public_url: str = PUBLIC_URL,
        network: NetworkInfo | None = None,
    ) -> None:
        if core is None:
            clock = ManualClock()
            store = store or Store.open_memory()
            player = player or SilentPlayer(clock, check_files=False)
            core = Core(store, player, clock=clock)
        elif player is None:
            raise ValueError("a test that brings its core brings the core's player too")
        self.core = core
        self.player: Player = player
        self.store = store
        self.state_dir = state_dir or Path("/nonexistent/karaoke-state")
        self.public_url = public_url
        self.network = network or NetworkInfo()
        self.stop = threading.Event()
        self.library = FakeLibrary()
        self.beats = 0
        self.power_calls: list[str] = []
        """The power actions asked for (tests hand ``power_calls.append`` to the web remote)."""
        self._thread: threading.Thread | None = None

    def beat(self) -> None:
        """The main loop's heartbeat: counted."""
        self.beats += 1

    def context(self, settings: S) -> PartContext[S]:
        """What the composition root would give a part whose config section is ``settings``."""
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

    def run_core(self) -> FakeBox:
        """Run the core's loop on a thread until :meth:`close` (as the box does)."""
        self._thread = threading.Thread(
            target=self.core.run_forever, args=(self.stop,), daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop the core's thread; close the player, the core and the store."""
        self.stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self.player.close()
        self.core.close()
        if self.store is not None:
            self.store.close()
