"""Songs played in place (MP3+G, audio + LRC, UltraStar, KAR) made playable ahead of time: each
source is decoded (a KAR's MIDI rendered by FluidSynth, :mod:`midi_render`) once into the
transcode cache, in a process of its own, at low priority.

    >>> transcoder = Transcoder(TranscodeCache(folder, 2 << 30), meter)  # doctest: +SKIP
    >>> transcoder.playable(song)   # stems the engine can read, or None  # doctest: +SKIP
    >>> transcoder.request(song, lambda playable, reason: ...)            # doctest: +SKIP

``playable`` is fast (stat calls): native songs come back as they are, songs whose sources are
cached come back pointing at the cached FLACs (with the loudness measured then), a missing or
undecodable source raises SongLoadError at once, and None means a transcode is needed.
``request`` runs it on a thread that waits for a spawned process (a crash in a decoder, or a
decoder stuck on a damaged file, cannot take the main process or the engine with it) and calls
back with the playable song, or None and the reason. The loudness meter is given (the one
of :mod:`appliance.audio.dsp.meter`): sources sit below the DSP and import none of it.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from appliance.audio.sources.locate import (
    check_decodable,
    needs_transcode,
    playable_in_place,
    source_signature,
    stem_source,
)
from appliance.audio.sources.transcode_cache import TranscodeCache
from appliance.core.errors import SongLoadError
from appliance.core.models import Song, Stem

log = logging.getLogger(__name__)

JOB_TIMEOUT_S = 180.0
PARALLEL_JOBS = 2
NICENESS = 10  # below the engine and the core: the Pi's cores are shared
Done = Callable[[Song | None, str], None]
LoudnessMeter = Callable[[Song], float | None]  # a module-level function: it is pickled


@dataclass
class _Job:
    song: Song
    callbacks: list[Done] = field(default_factory=list)


class Transcoder:
    """Makes songs playable through the cache; one process per song being decoded."""

    def __init__(self, cache: TranscodeCache, measure: LoudnessMeter) -> None:
        self.cache, self.measure = cache, measure
        self.decodes = 0  # sources decoded by this transcoder (tests prove cache hits with it)
        self.pinned: dict[str, tuple[str, ...]] = {}  # files the engine uses: never evicted
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._jobs: dict[str, _Job] = {}
        self._slots = threading.Semaphore(PARALLEL_JOBS)

    def playable(self, song: Song) -> Song | None:
        """``song`` with stems the engine can open now; None if a transcode is needed."""
        if not needs_transcode(song):
            return song
        return playable_from_cache(song, self.cache)

    def pin(self, role: str, song: Song | None) -> None:
        """Keep ``song``'s cached files from eviction under ``role`` ('current', 'prepared')."""
        self.pinned[role] = tuple(stem.file for stem in song.stems) if song else ()

    def request(self, song: Song, done: Done) -> None:
        """Transcode ``song`` in the background, then ``done(playable, '')`` or
        ``done(None, reason)`` (on the job's thread). Requests for a song being decoded wait
        for the same job."""
        key = song_cache_key(song)
        with self._lock:
            job = self._jobs.get(key)
            if job is not None:
                job.callbacks.append(done)
                return
            self._jobs[key] = _Job(song, [done])
        worker = threading.Thread(target=self._run, args=(key,), name="transcode", daemon=True)
        worker.start()

    def busy(self) -> bool:
        """True while a job runs."""
        with self._lock:
            return bool(self._jobs)

    def _run(self, key: str) -> None:
        song = self._jobs[key].song
        started = time.perf_counter()
        with self._slots:
            decoded, reason = self._run_process(song)
        self.decodes += decoded
        playable = None
        if not reason:
            try:
                playable = self.playable(song)
                reason = "" if playable else "the transcoded audio is missing from the cache"
            except SongLoadError as error:
                reason = error.reason
        log.info(
            "transcoded %s: %d file(s) in %.2f s%s", song.song_id, decoded,
            time.perf_counter() - started, f" ({reason})" if reason else "",
        )  # fmt: skip
        self._evict()
        with self._lock:
            callbacks = self._jobs.pop(key).callbacks
        for callback in callbacks:
            try:
                callback(playable, reason)
            except Exception:
                log.exception("transcode callback for %s failed", song.song_id)

    def _evict(self) -> None:
        keep = [path for paths in list(self.pinned.values()) for path in paths]
        try:
            removed = self.cache.evict(keep)
        except OSError as error:
            log.warning("transcode cache eviction: %s", error)
            return
        if removed:
            log.info("transcode cache: evicted %d file(s)", len(removed))

    def _run_process(self, song: Song) -> tuple[int, str]:
        """(sources decoded, '' or the reason it failed), from a spawned process."""
        receiver, sender = self._context.Pipe(duplex=False)
        args = (sender, song, str(self.cache.folder), self.cache.max_bytes, self.measure)
        process = self._context.Process(
            target=transcode_main, args=args, name="karaoke-transcode", daemon=True
        )
        process.start()
        sender.close()
        deadline = time.monotonic() + JOB_TIMEOUT_S
        result: tuple[int, str] | None = None
        while result is None:
            if receiver.poll(0.05):
                with contextlib.suppress(EOFError, OSError):
                    result = receiver.recv()
                if result is None:
                    result = (0, f"the decoder stopped (exit code {process.exitcode})")
            elif time.monotonic() > deadline:
                process.kill()
                result = (0, f"decoding took longer than {JOB_TIMEOUT_S:.0f} s")
        process.join(5)
        receiver.close()
        return result


def transcode_main(
    conn: Any, song: Song, folder: str, max_bytes: int, measure: LoudnessMeter
) -> None:
    """The transcoder process: decode ``song``'s sources into the cache, send the outcome."""
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    try:
        outcome = (transcode_song(song, TranscodeCache(folder, max_bytes), measure), "")
    except SongLoadError as error:
        outcome = (0, error.reason)
    except Exception as error:  # a decoder bug must still give the core a reason
        outcome = (0, f"decoding failed: {error!r}")
    conn.send(outcome)
    conn.close()


def transcode_song(song: Song, cache: TranscodeCache, measure: LoudnessMeter) -> int:
    """Decode every source of ``song`` missing from ``cache``, ``measure`` the song's loudness
    if unknown, then move the files into place. Returns how many sources were decoded."""
    from appliance.audio.sources.decode import transcode
    from appliance.audio.sources.midi_render import is_midi, render_midi_source

    written: dict[str, Any] = {}
    stems: list[Stem] = []
    try:
        for stem in song.stems:
            ref = stem_source(song, stem)
            if playable_in_place(ref):
                stems.append(replace(stem, file=ref.path))
                continue
            key = cache.key(source_signature(ref, song.song_id))
            path = cache.lookup(key)
            if path is None:
                written[key] = temp = cache.temp_path(key)
                decode = render_midi_source if is_midi(ref) else transcode  # a KAR: FluidSynth
                decode(ref, str(temp), song.song_id)
                path = str(temp)
            stems.append(replace(stem, file=path))
        song_key = song_cache_key(song)
        if song.loudness_lufs is None and cache.loudness(song_key) is None:
            lufs = measure(replace(song, stems=tuple(stems)))
            cache.keep_loudness(song_key, lufs)
        for key, temp in written.items():
            cache.commit(key, temp)
    finally:
        for temp in written.values():
            with contextlib.suppress(OSError):
                os.unlink(temp)
    return len(written)


def playable_from_cache(song: Song, cache: TranscodeCache) -> Song | None:
    """``song`` pointing at its cached (or in-place) files, or None if one is not cached."""
    stems = []
    for stem in song.stems:
        ref = stem_source(song, stem)
        if playable_in_place(ref):
            stems.append(replace(stem, file=ref.path))
            continue
        check_decodable(ref, song.song_id)
        path = cache.lookup(cache.key(source_signature(ref, song.song_id)))
        if path is None:
            return None
        stems.append(replace(stem, file=path))
    lufs = song.loudness_lufs
    if lufs is None:
        lufs = cache.loudness(song_cache_key(song))
    return replace(song, stems=tuple(stems), loudness_lufs=lufs)


def song_cache_key(song: Song) -> str:
    """One song's key: its stems (names, roles, gains) and their sources' signatures."""
    parts = [song.song_id, repr(song.stems)]
    for stem in song.stems:
        with contextlib.suppress(SongLoadError):
            parts.append(source_signature(stem_source(song, stem), song.song_id))
    return TranscodeCache.key("\n".join(parts))
