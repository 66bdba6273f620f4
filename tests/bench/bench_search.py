"""Benchmark: catalog search latency over a generated 100,000-song catalog.

    .venv/bin/python tests/bench/bench_search.py [--songs 100000]

Prints p50/p99 of search-as-you-type queries (every prefix of what a guest types) as a ratio
to the 10 ms goal, next to a baseline in the same run: a lookup by primary key.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from appliance.core.catalog import Catalog
from appliance.core.models import Song, SongId
from appliance.core.store import Store

WORDS = [
    "love",
    "night",
    "heart",
    "baby",
    "girl",
    "dance",
    "fire",
    "rain",
    "dream",
    "summer",
    "blue",
    "road",
    "home",
    "river",
    "moon",
    "star",
    "light",
    "time",
    "world",
    "crazy",
    "wild",
    "sweet",
    "angel",
    "devil",
    "money",
    "gold",
    "silver",
    "city",
    "lonely",
    "forever",
    "tonight",
    "yesterday",
    "sunshine",
    "thunder",
    "highway",
    "paradise",
    "rock",
    "roll",
    "soul",
    "ghost",
    "kiss",
]
ARTISTS = [f"{a} {b}".title() for a in WORDS[:30] for b in ("band", "kids", "and the crew")]


def make_catalog(path: Path, count: int, rng: random.Random) -> Catalog:
    catalog = Catalog(Store.open(path))
    batch = []
    for n in range(count):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))).title()
        song = Song(SongId(f"s{n}"), title, rng.choice(ARTISTS), 200.0, f"/lib/{n}")
        batch.append((song, "sig"))
        if len(batch) == 5000:
            catalog.upsert_songs(batch)
            batch = []
    catalog.upsert_songs(batch)
    return catalog


def typed_queries(rng: random.Random, count: int) -> list[str]:
    """Every prefix a guest produces while typing, e.g. 'l', 'lo', 'lov', 'love', 'love n'."""
    queries = []
    while len(queries) < count:
        phrase = " ".join(
            rng.choice(WORDS + [a.split()[0].lower() for a in ARTISTS[:5]])
            for _ in range(rng.randint(1, 2))
        )
        queries += [phrase[:i] for i in range(1, len(phrase) + 1) if phrase[:i].strip()]
    return queries[:count]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed(function, arguments) -> list[float]:
    times = []
    for argument in arguments:
        start = time.perf_counter()
        function(argument)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--songs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        catalog = make_catalog(Path(folder) / "bench.sqlite3", args.songs, rng)
        build_s = time.perf_counter() - start
        queries = typed_queries(rng, args.queries)
        search_ms = timed(lambda q: catalog.search(q, limit=50), queries)
        ids = [f"s{rng.randrange(args.songs)}" for _ in range(args.queries)]
        lookup_ms = timed(catalog.get, ids)
    goal_ms = 10.0
    p50, p99 = statistics.median(search_ms), percentile(search_ms, 0.99)
    print(f"catalog: {args.songs} songs, built in {build_s:.1f} s")
    print(f"search-as-you-type, {len(queries)} queries (limit 50):")
    print(f"  p50 {p50:.2f} ms = {p50 / goal_ms:.2f}x the 10 ms goal")
    print(f"  p99 {p99:.2f} ms = {p99 / goal_ms:.2f}x the 10 ms goal")
    slowest = queries[search_ms.index(max(search_ms))]
    print(f"  worst {max(search_ms):.2f} ms; slowest query: {slowest!r}")
    base = statistics.median(lookup_ms)
    print(f"baseline: lookup by id p50 {base:.3f} ms; search p50 = {p50 / base:.0f}x that")


if __name__ == "__main__":
    main()
