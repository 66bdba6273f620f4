"""Stretching a song's buses (music, click/cue, in-ear guide), each through its own Rubber Band
stretcher, on as many threads as there are buses to stretch: the stretchers are independent
and the library releases the GIL, so on a multi-core board (a Pi has four) a chunk's stretching
takes as long as its longest bus, not the sum. The output is the same as one after the other::

    >>> buses = BusStretching()
    >>> music, click = buses.stretch([(music_stretcher, music), (click_stretcher, click)],
    ...                              final=False)  # doctest: +SKIP
    >>> buses.close()

A bus with no stretcher (``None``: nothing to change) passes through. A stretcher with one
channel takes the left of its bus and gives it to both (a bus whose channels are equal). A
click bus's :class:`~appliance.audio.dsp.click_stretch.ClickStretch` (microseconds of numpy)
runs on the calling thread, not worth a hand-over.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from appliance.audio.dsp.click_stretch import ClickStretch
from appliance.audio.dsp.rubberband import Stretcher

Job = tuple[Stretcher | ClickStretch | None, np.ndarray]


class BusStretching:
    """Stretches buses in parallel; a thread pool made when two buses first need it."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None

    def stretch(self, jobs: list[Job], *, final: bool) -> list[np.ndarray]:
        """Each bus through its stretcher (the song's ``final`` chunk flushes them)."""
        running = [index for index, (stretcher, _) in enumerate(jobs) if _threaded(stretcher)]
        results = [bus for _, bus in jobs]
        for index, (stretcher, bus) in enumerate(jobs):
            if stretcher is not None and (len(running) < 2 or index not in running):
                results[index] = stretch_bus(stretcher, bus, final=final)
        if len(running) < 2:
            return results
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="stretch")
        first, *others = running
        futures = {i: self._pool.submit(stretch_bus, *jobs[i], final=final) for i in others}
        results[first] = stretch_bus(*jobs[first], final=final)
        for index, future in futures.items():
            results[index] = future.result()
        return results

    def close(self) -> None:
        """Stop the threads."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


def _threaded(stretcher: Stretcher | ClickStretch | None) -> bool:
    return stretcher is not None and getattr(stretcher, "parallel", True)


def stretch_bus(
    stretcher: Stretcher | ClickStretch | None, bus: np.ndarray, *, final: bool
) -> np.ndarray:
    """One bus through its stretcher; at the ``final`` chunk the stretcher is flushed (R2
    keeps its last window back even when told "final")."""
    if stretcher is None:
        return bus
    if stretcher.channels == 1:  # a bus whose channels are equal (SongRenderer._mono_bus)
        bus = bus[:, :1]
    stretcher.process(bus)
    if final:
        stretcher.flush()
    out = stretcher.retrieve()
    return np.repeat(out, 2, axis=1) if stretcher.channels == 1 else out
