"""Build the demo library: one native song folder per demo song, written atomically.

    build_demo_library(Path("/var/lib/karaoke/library/demo"))

Each song is rendered and written into a hidden temporary folder first and renamed into place
when complete, so an interrupted first run leaves no half-written song; a song folder that is
already complete is kept unless ``force`` is set. Songs are built in parallel worker processes
when ``workers`` > 1 (the output does not depend on it: rendering is deterministic).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from appliance.demosongs.render import render_stems
from appliance.demosongs.songs import SONG_IDS, SONGS
from appliance.demosongs.writers import write_song_files
from appliance.library.songfolder.manifest import MANIFEST_NAME

Progress = Callable[[str, int, int], None]


def build_demo_library(
    dest: Path,
    *,
    progress: Progress | None = None,
    songs: Iterable[str] | None = None,
    force: bool = False,
    workers: int = 1,
) -> list[Path]:
    """Write the demo songs (all, or the ids in ``songs``) under ``dest``; return their folders.

    ``progress(song_id, done, total)`` is called after each song.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    wanted = list(songs) if songs is not None else list(SONG_IDS)
    unknown = [song_id for song_id in wanted if song_id not in SONGS]
    if unknown:
        raise ValueError(f"unknown demo song(s): {', '.join(unknown)}")
    todo = [s for s in wanted if force or not (dest / s / MANIFEST_NAME).is_file()]
    done = len(wanted) - len(todo)
    if workers > 1 and len(todo) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for song_id in pool.map(build_song, [dest] * len(todo), todo):
                done += 1
                _report(progress, song_id, done, len(wanted))
    else:
        for song_id in todo:
            build_song(dest, song_id)
            done += 1
            _report(progress, song_id, done, len(wanted))
    return [dest / song_id for song_id in wanted]


def build_song(dest: Path, song_id: str) -> str:
    """Render and write one song folder ``dest/song_id`` (replacing an old one)."""
    song = SONGS[song_id]
    final = Path(dest) / song_id
    staging = Path(dest) / f".{song_id}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        write_song_files(staging, song, render_stems(song))
        if final.exists():
            shutil.rmtree(final)
        staging.rename(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return song_id


def _report(progress: Progress | None, song_id: str, done: int, total: int) -> None:
    if progress is not None:
        progress(song_id, done, total)
