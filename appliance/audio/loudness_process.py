"""Songs' loudness measured in a worker process of its own, so the box's main process never
holds the meter's arrays (hundreds of MB for a long song) nor imports SciPy (about 70 MB that
would stay for the night): on a Zero 2 W's 512 MB that is the difference between fitting and
not (docs/performance.md, "Memory").

    measure = isolated_loudness            # what the composition root hands the library
    measure(song)                          # -> Loudness or None, like song_loudness

Given a state dir (``loudness_with_melodies``), the worker also takes the reference melody of a
song with a guide vocal but no notes (:mod:`appliance.audio.melody`) and caches it there, so the
song can be scored: both read the same stems once a song is found.

One worker, started on the first song of a scan at low CPU priority (the TV and the engine come
first), measures the songs one after another and exits once no song has come for
``IDLE_EXIT_S``, giving its memory back. A worker that dies (out of memory on a huge file) costs
that song its measurement, logged, and the next song gets a new worker.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import multiprocessing
import os
import threading
from concurrent.futures.process import BrokenProcessPool

from appliance.core.errors import KaraokeError
from appliance.core.models import Loudness, Song, StemRole

log = logging.getLogger(__name__)

IDLE_EXIT_S = 15.0
SONG_TIMEOUT_S = 600.0
SONGS_PER_WORKER = 200  # a fresh worker now and then: nothing a song leaves behind piles up
WORKER_NICENESS = 10


WORKER_NAME = "kb-loudness"  # in `top` and /proc/PID/comm


def _worker_start() -> None:
    """In the worker: a name to tell it by, and the CPU yielded to the TV, engine and phones."""
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    with contextlib.suppress(OSError), open("/proc/self/comm", "w") as comm:
        comm.write(WORKER_NAME)


def _measure(song: Song, melody_dir: str | None = None) -> Loudness | None:
    """In the worker: the measurement itself (with and without the guide vocal), then the
    guide's melody when ``melody_dir`` is given and the song has a guide but no notes."""
    from appliance.audio.loudness import song_loudness

    loudness = song_loudness(song)
    if melody_dir is not None and not song.notes_file:
        _take_melody(song, melody_dir)
    return loudness


def _take_melody(song: Song, melody_dir: str) -> None:
    from pathlib import Path

    from appliance.audio.melody import melody_sheet

    if not any(stem.role is StemRole.LEAD_VOCAL for stem in song.stems):
        return
    try:
        sheet = melody_sheet(song, Path(melody_dir))
    except (KaraokeError, OSError) as error:
        log.warning("melody of %s: %s", song.song_id, error)
        return
    log.info("melody of %s: %s", song.song_id, "taken" if sheet else "none in the guide")


class IsolatedLoudness:
    """A callable ``(song) -> Loudness | None`` whose work runs in a short-lived worker process."""

    def __init__(self, idle_exit_s: float = IDLE_EXIT_S, melody_dir: str | None = None) -> None:
        self.idle_exit_s = idle_exit_s
        self.melody_dir = melody_dir
        self._lock = threading.Lock()
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._timer: threading.Timer | None = None
        self._busy = 0

    def __call__(self, song: Song) -> Loudness | None:
        with self._lock:
            self._busy += 1
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            pool = self._pool = self._pool or self._new_pool()
        try:
            return pool.submit(_measure, song, self.melody_dir).result(timeout=SONG_TIMEOUT_S)
        except (BrokenProcessPool, concurrent.futures.TimeoutError) as error:
            log.warning("loudness of %s: the worker failed (%s)", song.song_id, error or "timeout")
            self._discard(pool)
            return None
        finally:
            with self._lock:
                self._busy -= 1
                if self._busy == 0 and self._pool is not None:
                    self._timer = threading.Timer(self.idle_exit_s, self._exit_if_idle)
                    self._timer.daemon = True
                    self._timer.start()

    @property
    def running(self) -> bool:
        """True while a worker process is alive (for tests and the log)."""
        return self._pool is not None

    def close(self) -> None:
        """Stop the worker now (the box is stopping)."""
        with self._lock:
            pool, self._pool = self._pool, None
            if self._timer is not None:
                self._timer.cancel()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _new_pool(self) -> concurrent.futures.ProcessPoolExecutor:
        return concurrent.futures.ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_start,
            max_tasks_per_child=SONGS_PER_WORKER,
        )

    def _exit_if_idle(self) -> None:
        with self._lock:
            if self._busy or self._pool is None:
                return
            pool, self._pool, self._timer = self._pool, None, None
        pool.shutdown(wait=True)
        log.info("loudness worker exited (idle %.0f s)", self.idle_exit_s)

    def _discard(self, pool: concurrent.futures.ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)


isolated_loudness = IsolatedLoudness()
"""A measurer of loudness alone (``karaoke import``'s scan, and the CLI without a state dir)."""


def loudness_with_melodies(state_dir: str) -> IsolatedLoudness:
    """The box's measurer: loudness, and the guide melodies cached under ``state_dir``."""
    return IsolatedLoudness(melody_dir=state_dir)
