"""Benchmark: the core's singing path while a scored song plays (issue 15).

    .venv/bin/python tests/bench/bench_singing.py [--seconds 180]

A real core (file store, silent player, the demo-sized sheet of a generated song: a note every
0.5 s) is fed pitch frames as the engine feeds it: 10 batches a second of 10 frames (100 Hz
tracker hops), on mic 1 and mic 2 (a duet). Printed, as ratios to their budgets and next to a
baseline in the same run (an empty posted job through the inbox):

- one batch posted and run on the core's thread (scoring, the 8 s of frames kept, the TV's
  views rebuilt) against the 100 ms between batches;
- ``Core.singing_views()`` (the TV, every frame) against a 60 fps frame (16.7 ms);
- the core thread's share of one core for the whole song.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from appliance.core.catalog import Catalog
from appliance.core.models import Song, SongId
from appliance.core.ports import SystemClock
from appliance.core.scoring.model import PitchFrame, ScoreNote, ScoreSheet
from appliance.core.service import Actor, Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.store import Store

BATCH_S, FRAME_S = 0.1, 0.01


def duet_sheet(seconds: float) -> ScoreSheet:
    notes = []
    for i in range(int(seconds / 0.5)):
        notes.append(ScoreNote(i * 0.5, 0.45, 55 + i % 12, line=i // 8, part=1 + (i // 8) % 2))
    return ScoreSheet(tuple(notes), line_count=len(notes) // 8 + 1)


def run(seconds: float) -> None:
    sheet = duet_sheet(seconds)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "state.db")
        Catalog(store).upsert_songs([(Song(SongId("s"), "Bench", "Box", seconds + 5, "/x"), "1")])
        player = SilentPlayer(SystemClock(), check_files=False)
        core = Core(store, player, sheets=lambda song: sheet)
        ada = core.join("Ada")
        core.queue_song(Actor.host(), ada.singer_id, "s")
        core.start_next_now(Actor.host())
        baseline = _time_posts(core, lambda: None, 2000)
        batches, cpu_start, wall_start = [], time.process_time(), time.perf_counter()
        for b in range(int(seconds / BATCH_S)):
            t0 = b * BATCH_S
            frames = tuple(
                PitchFrame(t0 + i * FRAME_S, 55.0 + (b // 5) % 12, mic)
                for i in range(int(BATCH_S / FRAME_S))
                for mic in (1, 2)
            )
            start = time.perf_counter()
            player.report_pitch(frames)
            core.tick()
            batches.append(time.perf_counter() - start)
        cpu = time.process_time() - cpu_start
        wall = time.perf_counter() - wall_start
        scored = [(v.part, v.score, len(v.frames)) for v in core.singing_views()]
        assert len(scored) == 2 and all(score > 0 for _, score, _ in scored), scored
        views = []
        for _ in range(20000):
            start = time.perf_counter()
            core.singing_views()
            views.append(time.perf_counter() - start)
        core.close()
        store.close()
    p50, p99 = _pct(batches, 50), _pct(batches, 99)
    print(f"song {seconds:.0f} s, {len(batches)} batches of 20 frames (2 mics), duet sheet")
    print(f"baseline: an empty posted job {baseline * 1e6:.1f} us")
    print("parts (part, running score, frames kept for the TV):", scored)
    print(
        f"one batch: p50 {p50 * 1e3:.3f} ms ({p50 / BATCH_S:.4f}x the 100 ms budget), "
        f"p99 {p99 * 1e3:.3f} ms ({p99 / BATCH_S:.4f}x), worst {max(batches) * 1e3:.3f} ms; "
        f"p50 = {p50 / baseline:.0f}x the baseline"
    )
    print(
        f"singing_views(): p50 {_pct(views, 50) * 1e6:.2f} us, p99 {_pct(views, 99) * 1e6:.2f} us "
        f"({_pct(views, 99) / (1 / 60):.6f}x a 60 fps frame)"
    )
    print(
        f"core work for {seconds:.0f} s of song: {cpu:.2f} s CPU in {wall:.2f} s "
        f"= {cpu / seconds * 100:.2f}% of one core at real time"
    )


def _time_posts(core: Core, job, count: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(count):
        start = time.perf_counter()
        core.post(job)
        core.tick()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _pct(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=180.0)
    run(parser.parse_args().seconds)
