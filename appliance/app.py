"""The one composition root: builds the box from its parts, in dependency order.

config -> store -> library (scanned in the background) -> engine (Player) -> core -> web,
buttons -> display last, on the main thread (SDL wants it). Parts stop in reverse order. A part
that is missing or fails to start degrades the box (no HDMI: web and audio still run) with one
clear log line; it never aborts the night.

Adapters plug in through small modules, looked up by name so that a box without one still runs:

- ``appliance.audio.part``: ``create_player(box) -> Player``
- ``web_remote.part``, ``appliance.buttons.part``: ``start(box) -> Part`` (has ``stop()``)
- ``appliance.display.part``: ``run(box) -> None`` (blocks on the main thread until ``box.stop``)
- ``appliance.system.part``: ``start(box) -> Part`` (systemd notify/watchdog, USB sticks)
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import signal
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from appliance.core.catalog import Catalog
from appliance.core.config import Config
from appliance.core.events import EventBus
from appliance.core.ports import Player, SystemClock
from appliance.core.service import Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.store import Store
from appliance.library.service import LibraryService

log = logging.getLogger(__name__)


class Part(Protocol):
    """A started part of the box."""

    def stop(self) -> None:
        """Stop and release what the part holds."""


@dataclass
class Box:
    """What parts get to work with. ``stop`` is set when the box shuts down; ``library`` owns
    the song folders and every scan of them."""

    config: Config
    store: Store
    bus: EventBus
    library: LibraryService
    stop: threading.Event = field(default_factory=threading.Event)
    core: Core | None = None
    player: Player | None = None
    public_url: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    parts: list[tuple[str, Part]] = field(default_factory=list)
    heartbeat: list[Any] = field(default_factory=list)

    @property
    def library_roots(self) -> list[Path]:
        """The song folders indexed (configured ones, then USB sticks)."""
        return self.library.roots

    def add_library_root(self, root: Path) -> None:
        """Index a new song folder (a USB stick) in the background, with progress on the TV."""
        self.library.add_root(root)

    def remove_library_root(self, root: Path) -> None:
        """Forget the songs of a folder that went away (queued ones will say they are gone)."""
        self.library.remove_root(root)

    def beat(self) -> None:
        """Called by the main loop every second or so: feeds watchdogs."""
        for callback in list(self.heartbeat):
            try:
                callback()
            except Exception:
                log.exception("heartbeat callback failed")


def open_store(config: Config) -> Store:
    """The state database in the configured state directory."""
    return Store.open(config.state_dir() / "karaoke.sqlite3")


def library_roots(config: Config, *, build_demo: bool = True) -> list[Path]:
    """Configured library folders, or the demo library (built on first use) when none is."""
    roots = [Path(p).expanduser() for p in config.library.paths]
    if roots or not config.library.demo_if_empty:
        return roots
    demo = config.data_dir() / "demo-library"
    if build_demo:
        ensure_demo_library(demo)
    return [demo]


def ensure_demo_library(dest: Path) -> Path:
    """Build the bundled demo songs into ``dest`` unless they are already there."""
    if dest.is_dir() and any(dest.glob("*/song.toml")):
        return dest
    from appliance.demosongs import build_demo_library

    log.info("building the demo library into %s (first run only)", dest)
    build_demo_library(dest)
    return dest


def library_service(
    store: Store, bus: EventBus | None = None, roots: list[Path] | None = None
) -> LibraryService:
    """The one library service: scans announce on ``bus`` and measure loudness with the audio
    adapter's meter when this build has one (the CLI passes no bus)."""
    return LibraryService(
        Catalog(store),
        roots=roots or [],
        measure_loudness=_optional_callable("appliance.audio.loudness", "song_loudness_lufs"),
        announce=bus.publish if bus is not None else None,
    )


def build_core(box: Box) -> Core:
    """The engine (or a silent player when there is none), then the core on top of it."""
    clock = SystemClock()
    player = _start_player(box) or _silent_player(clock)
    box.player = player
    box.core = Core(
        box.store,
        player,
        clock=clock,
        rotation=box.config.rotation,
        bus=box.bus,
        volume=box.config.audio.volume,
    )
    return box.core


def _start_player(box: Box) -> Player | None:
    module = _optional_module("appliance.audio.part")
    if module is None:
        log.warning("no audio engine in this build: the box keeps time silently")
        return None
    try:
        return module.create_player(box)
    except Exception as error:
        log.error("audio engine failed to start (%s): the box keeps time silently", error)
        return None


def _silent_player(clock: SystemClock) -> SilentPlayer:
    player = SilentPlayer(clock)
    player.start()
    return player


def start_part(box: Box, name: str, module_name: str) -> None:
    """Start an optional part; a failure is logged and the box goes on without it."""
    module = _optional_module(module_name)
    if module is None:
        log.info("%s: not part of this build", name)
        return
    try:
        part = module.start(box)
    except Exception as error:
        log.error("%s failed to start (%s); the box goes on without it", name, error)
        return
    if part is not None:
        box.parts.append((name, part))


def run_box(config: Config, *, options: dict[str, Any] | None = None) -> int:
    """Run the whole box until interrupted. ``options``: port, windowed, public_url..."""
    store, bus = open_store(config), EventBus()
    library = library_service(store, bus, library_roots(config))
    box = Box(config=config, store=store, bus=bus, library=library, options=dict(options or {}))
    _stop_on_sigterm(box)
    core = build_core(box)
    core_thread = threading.Thread(target=core.run_forever, args=(box.stop,), name="core")
    core_thread.start()
    library.scan_in_background()
    for name, module_name in (
        ("system", "appliance.system.part"),
        ("web remote", "web_remote.part"),
        ("buttons", "appliance.buttons.part"),
    ):
        start_part(box, name, module_name)
    try:
        _run_display(box)
    except KeyboardInterrupt:
        log.info("interrupted")
    finally:
        shutdown(box, core_thread)
    return 0


def _stop_on_sigterm(box: Box) -> None:
    """SIGTERM (systemd stop) and Ctrl-C both shut the box down in order."""
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda _signum, _frame: box.stop.set())


def _run_display(box: Box) -> None:
    module = _optional_module("appliance.display.part") if box.config.display.enabled else None
    if module is not None:
        try:
            module.run(box)
            return
        except Exception as error:
            log.error("display failed (%s): web and audio keep running", error)
    else:
        log.info("no display: web remote and audio run headless")
    while not box.stop.wait(1.0):
        box.beat()


def shutdown(box: Box, core_thread: threading.Thread | None = None) -> None:
    """Stop every part in reverse order, then the core, the engine and the store."""
    box.stop.set()
    for name, part in reversed(box.parts):
        try:
            part.stop()
        except Exception:
            log.exception("%s did not stop cleanly", name)
    if core_thread is not None:
        core_thread.join(timeout=5)
    if box.player is not None:
        try:
            box.player.close()
        except Exception:
            log.exception("engine did not close cleanly")
    box.bus.close()
    box.store.close()
    log.info("the box stopped")


def _optional_module(name: str) -> Any:
    """Import ``name`` if this build has it (errors inside an existing module propagate)."""
    try:
        if importlib.util.find_spec(name) is None:
            return None
    except ModuleNotFoundError:
        return None
    return importlib.import_module(name)


def _optional_callable(module_name: str, attribute: str) -> Any:
    module = _optional_module(module_name)
    return getattr(module, attribute, None) if module else None
