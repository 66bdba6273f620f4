"""One engine process and the pipe to it, seen from the main process.

:class:`EngineConnection` spawns the process (multiprocessing, spawn) and waits for its
``Ready``, sends commands, pairs each ``Play`` with its ``Reply``, and reads the other events on
a thread of its own, handing them to ``on_event``. A new process (after a crash, or a lost
device) is :meth:`EngineConnection.spawn` again::

    >>> engine = EngineConnection(options, status.name, on_event=print)  # doctest: +SKIP
    >>> engine.spawn()                                                   # doctest: +SKIP
    >>> engine.request_play(song, MixSettings(), start_s=0.0)  # None, or why not  # doctest: +SKIP
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from appliance.audio.engine.device import EngineOptions
from appliance.audio.engine.process import engine_main
from appliance.audio.engine.protocol import Close, Command, Event, Play, Ready, Reply
from appliance.core.errors import DeviceError
from appliance.core.models import MixSettings, Song

log = logging.getLogger(__name__)

START_TIMEOUT_S = 20.0
REPLY_TIMEOUT_S = 10.0


@dataclass
class _Waiter:
    """A ``Play`` waiting for its ``Reply``."""

    answered: threading.Event = field(default_factory=threading.Event)
    error: str | None = None


class EngineConnection:
    """The engine process, its pipe, and the thread reading its events."""

    def __init__(
        self, options: EngineOptions, status_name: str, on_event: Callable[[Event], None]
    ) -> None:
        self.options, self.status_name, self.on_event = options, status_name, on_event
        self._context = multiprocessing.get_context("spawn")
        self._requests = itertools.count(1)
        self._replies: dict[int, _Waiter] = {}
        self._ready = threading.Event()
        self._conn: Connection | None = None
        self.process: BaseProcess | None = None

    def spawn(self) -> None:
        """Start an engine process and wait until it serves commands (DeviceError if not)."""
        self._ready.clear()
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=engine_main, args=(child, self.status_name, self.options), daemon=True
        )
        process.start()
        child.close()
        self._conn, self.process = parent, process
        reader = threading.Thread(target=self._read, args=(parent,), name="engine-events")
        reader.daemon = True
        reader.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._ready.wait(0.05):
            if not process.is_alive():
                raise DeviceError(f"the audio engine exited at start (code {process.exitcode})")
            if time.monotonic() > deadline:
                raise DeviceError("the audio engine did not start within 20 s")

    @property
    def pid(self) -> int | None:
        """The engine process's id."""
        return self.process.pid if self.process is not None else None

    @property
    def exitcode(self) -> int | None:
        """The process's exit code (None while it runs)."""
        return self.process.exitcode if self.process is not None else None

    def alive(self) -> bool:
        """True while the engine process runs."""
        return self.process is not None and self.process.is_alive()

    def send(self, command: Command) -> None:
        """Send ``command``; a broken pipe is logged (the watchdog restarts the engine)."""
        try:
            if self._conn is not None:
                self._conn.send(command)
        except (OSError, ValueError, BrokenPipeError) as error:
            log.warning("engine command %s lost: %s", type(command).__name__, error)

    def request_play(self, song: Song, settings: MixSettings, start_s: float) -> str | None:
        """Send ``Play`` and wait for its ``Reply``: None, or why the song cannot start."""
        request = next(self._requests)
        waiter = self._replies[request] = _Waiter()
        self.send(Play(request, song, settings, start_s))
        answered = waiter.answered.wait(REPLY_TIMEOUT_S)
        self._replies.pop(request, None)
        return waiter.error if answered else "the audio engine did not answer"

    def _read(self, conn: Connection) -> None:
        while True:
            try:
                event: Event = conn.recv()
            except (EOFError, OSError):
                return
            try:
                self._dispatch(event)
            except Exception:
                log.exception("engine event %s failed", type(event).__name__)

    def _dispatch(self, event: Event) -> None:
        match event:
            case Ready():
                self._ready.set()
            case Reply(request, error):
                waiter = self._replies.get(request)
                if waiter is not None:
                    waiter.error = error
                    waiter.answered.set()
            case _:
                self.on_event(event)

    def close(self) -> None:
        """Ask the engine to stop; terminate it if it does not within 3 s."""
        self.send(Close())
        process = self.process
        if process is not None:
            process.join(timeout=3)
            if process.is_alive():
                process.terminate()
                process.join(timeout=2)
        if self._conn is not None:
            self._conn.close()
