"""The one composition root: builds the box from its parts, in dependency order.

config -> store -> song folders (scanned in the background) -> engine (Player) -> core ->
system -> web -> buttons -> display last, on the main thread (SDL wants it). Each part gets a
typed :class:`appliance.parts.PartContext` holding its own config section and what the parts
before it returned (the system part's network info, the web part's URL); nothing is filled in
later. Parts stop in reverse order. A part that is missing or fails to start degrades the box
(no HDMI: web and audio still run) with one clear log line; it never aborts the night.

Adapters plug in through small modules, looked up by name so that a box without one still runs
(their entry points: the table in :mod:`appliance.parts`).
"""

from __future__ import annotations

import functools
import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from appliance.config import Config
from appliance.core.catalog import Catalog
from appliance.core.events import EventBus
from appliance.core.paths import database_path, demo_library_dir
from appliance.core.ports import Player, SystemClock
from appliance.core.service import Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.store import Store
from appliance.library.formats.score_sheet import load_score_sheet
from appliance.library.service import LibraryService
from appliance.optional import optional_callable, optional_module
from appliance.parts import Part, PartContext, SystemStarted, WebStarted

log = logging.getLogger(__name__)


@dataclass
class Heartbeat:
    """Callbacks the main loop calls about once a second (the systemd watchdog)."""

    callbacks: list[Callable[[], None]] = field(default_factory=list)

    def beat(self) -> None:
        """Call every callback; one failing is logged and the others still run."""
        for callback in list(self.callbacks):
            try:
                callback()
            except Exception:
                log.exception("heartbeat callback failed")


@dataclass
class RunningBox:
    """What the composition root holds while the box runs, to stop it in order."""

    store: Store
    bus: EventBus
    player: Player
    stop: threading.Event
    heartbeat: Heartbeat = field(default_factory=Heartbeat)
    parts: list[tuple[str, Part]] = field(default_factory=list)


def open_store(config: Config) -> Store:
    """The state database in the configured state directory."""
    return Store.open(database_path(config.state_dir()))


def library_roots(config: Config, *, build_demo: bool = True) -> list[Path]:
    """Configured library folders, or the demo library (built on first use) when none is."""
    roots = [Path(p).expanduser() for p in config.library.paths]
    if roots or not config.library.demo_if_empty:
        return roots
    demo = demo_library_dir(config.data_dir())
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
    store: Store,
    bus: EventBus | None = None,
    roots: list[Path] | None = None,
    state_dir: Path | None = None,
) -> LibraryService:
    """The one library service: scans announce on ``bus`` and measure loudness with the audio
    adapter's meter when this build has one (the CLI passes no bus); given ``state_dir``, the
    same worker takes the guide melody of songs with a guide vocal but no notes, cached there."""
    measure = optional_callable("appliance.audio.loudness_process", "isolated_loudness")
    with_melodies = optional_callable("appliance.audio.loudness_process", "loudness_with_melodies")
    if state_dir is not None and with_melodies is not None:
        measure = with_melodies(str(state_dir))
    return LibraryService(
        Catalog(store),
        roots=roots or [],
        measure_loudness=measure,
        announce=bus.publish if bus is not None else None,
    )


def create_player(config: Config, library: LibraryService) -> Player:
    """The engine, or a silent player keeping time when there is none or it fails."""
    module = optional_module("appliance.audio.part")
    if module is None:
        log.warning("no audio engine in this build: the box keeps time silently")
    else:
        try:
            player: Player = module.create_player(config.audio, config.state_dir(), library.roots)
            return player
        except Exception as error:
            log.error("audio engine failed to start (%s): the box keeps time silently", error)
    silent = SilentPlayer(SystemClock())
    silent.start()
    return silent


def start_part(box: RunningBox, name: str, module_name: str, context: PartContext[Any]) -> Any:
    """Start an optional part with ``start(context)``; None when missing or failing (logged)."""
    module = optional_module(module_name)
    if module is None:
        log.info("%s: not part of this build", name)
        return None
    try:
        part = module.start(context)
    except Exception as error:
        log.error("%s failed to start (%s); the box goes on without it", name, error)
        return None
    if part is not None:
        box.parts.append((name, part))
    return part


def run_box(config: Config) -> int:
    """Run the whole box until interrupted or stopped (SIGTERM)."""
    stop = threading.Event()
    _stop_on_sigterm(stop)
    store, bus = open_store(config), EventBus()
    library = library_service(store, bus, library_roots(config), config.state_dir())
    player = create_player(config, library)
    box = RunningBox(store, bus, player, stop)
    core = Core(
        store, player, clock=SystemClock(), rotation=config.rotation, bus=bus,
        volume=config.audio.volume,
        sheets=functools.partial(load_score_sheet, state_dir=config.state_dir()),
    )  # fmt: skip
    core_thread = threading.Thread(target=core.run_forever, args=(box.stop,), name="core")
    core_thread.start()
    library.scan_in_background()
    context = PartContext(
        settings=None, state_dir=config.state_dir(), core=core, player=player, stop=box.stop,
        library=library, beat=box.heartbeat.beat,
    )  # fmt: skip
    try:
        context = start_parts(box, config, context)
        _run_display(config, context)
    except KeyboardInterrupt:
        log.info("interrupted")
    finally:
        shutdown(box, core_thread)
    return 0


def start_parts(box: RunningBox, config: Config, context: PartContext[None]) -> PartContext[None]:
    """system -> web -> buttons, each one's result in the context of the next."""
    system: SystemStarted | None = start_part(box, "system", "appliance.system.part", context)
    if system is not None:
        box.heartbeat.callbacks.append(system.beat)
        context = replace(context, network=system.network)
    web_context = context.with_settings(config.web)
    web: WebStarted | None = start_part(box, "web remote", "web_remote.part", web_context)
    if web is not None:
        context = replace(context, public_url=web.url)
    start_part(box, "buttons", "appliance.buttons.part", context.with_settings(config.buttons))
    return context


def _stop_on_sigterm(stop: threading.Event) -> None:
    """SIGTERM (systemd stop) and Ctrl-C both shut the box down in order."""
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda _signum, _frame: stop.set())


def _run_display(config: Config, context: PartContext[None]) -> None:
    """The TV on the main thread until the box stops; headless, the heartbeat loop instead."""
    module = optional_module("appliance.display.part") if config.display.enabled else None
    if module is not None:
        try:
            pin_of = optional_callable("web_remote.secrets_store", "host_pin")
            state_dir = config.state_dir()
            keys = module.KeyControls(
                config.buttons.keys,
                config.buttons.volume_step,
                host_pin=(lambda: pin_of(config.web.pin, state_dir)) if pin_of else str,
            )
            module.run(context.with_settings(config.display), keys)
            return
        except Exception as error:
            log.error("display failed (%s): web and audio keep running", error)
    else:
        log.info("no display: web remote and audio run headless")
    while not context.stop.wait(1.0):
        context.beat()


def shutdown(box: RunningBox, core_thread: threading.Thread | None = None) -> None:
    """Stop every part in reverse order, then the core, the engine and the store."""
    box.stop.set()
    for name, part in reversed(box.parts):
        try:
            part.stop()
        except Exception:
            log.exception("%s did not stop cleanly", name)
    if core_thread is not None:
        core_thread.join(timeout=5)
    try:
        box.player.close()
    except Exception:
        log.exception("engine did not close cleanly")
    box.bus.close()
    box.store.close()
    log.info("the box stopped")
