"""Which board the box runs on, and the defaults that keep its CPU inside the board's cores.

A Raspberry Pi names itself in the device tree (``/proc/device-tree/model``, e.g. "Raspberry Pi 4
Model B Rev 1.4"); anything else is "desktop", whose defaults are the config's own. The board's
defaults apply only where the config file does not set the value (:func:`appliance.config.
load_config` takes them as ``defaults``)::

    >>> board = detect_board(Path("/nonexistent/model"))
    >>> board.key, board.config_defaults()
    ('desktop', {})

How the defaults are chosen (docs/performance.md, "Per-board defaults"): each part's CPU floor
measured here under a cgroup quota (a share of one core of the bench machine) times how many
times slower a board's core is gives the share of one board core the part needs; the headroom is
one core over that. The engine runs in its own process (a core of its own); the TV loop and the
phone remote share the main process and its GIL (one core between them). For each board the
first (best) setting in :data:`TV_CHOICES` and :data:`ENGINE_CHOICES` that keeps ``HEADROOM``
at the board's pessimistic speed is taken, else the cheapest, and :attr:`Board.short` says so
(``karaoke doctor`` shows it); the TV is chosen on its own floor, and the main process's
headroom with the remote's load on top is reported beside it. To update: change a floor or a
board's speed here, run ``python -m appliance.system.board`` and paste its table into the docs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MODEL_FILE = Path("/proc/device-tree/model")
HEADROOM = 2.0

# --- the floors: lowest share of ONE core of the bench machine (docs/performance.md) ----------
ENGINE_FLOOR = {"r3": 0.20, "r2": 0.30}
"""8 stems, key +2, tempo 0.9, 150 ms ring: tests/bench/bench_engine_quota.py (upper bounds;
R3's "18%" ran at 20%: the kernel's 1 ms smallest quota in a 5 ms period)."""
TV_FLOOR = {
    ("1920x1080", 60): 0.30,
    ("1280x720", 60): 0.20,
    ("1920x1080", 30): 0.11,
    ("1280x720", 30): 0.09,
}
"""Lyrics scene while a song plays, frame p99 within a frame: tests/bench/bench_display_quota.py."""
REMOTE_LOAD = 0.45
"""200 phones, 20 requests/s: the remote's mean use (tests/bench/bench_web_quota.py). Not a floor:
on the loaded bench machine the goals were missed even without a quota, so the floor is higher."""

TV_CHOICES = (("1920x1080", 60), ("1280x720", 60), ("1920x1080", 30), ("1280x720", 30))
"""The TV's settings, best first (the last is the cheapest)."""
ENGINE_CHOICES = ("r3", "r2")
"""The engine's quality, best first; when none keeps the headroom, the one with the lowest floor."""


@dataclass(frozen=True)
class BoardSpec:
    """A kind of board: how its model text starts, and how many times slower its core is than
    the bench machine's for this work (low, high: docs/performance.md's table)."""

    key: str
    name: str
    models: tuple[str, ...]
    slower: tuple[float, float]


BOARD_SPECS = (
    BoardSpec("pi5", "Raspberry Pi 5", ("Raspberry Pi 5", "Raspberry Pi Compute Module 5"),
              (1.7, 2.5)),
    BoardSpec("pi4", "Raspberry Pi 4", ("Raspberry Pi 4", "Raspberry Pi 400",
                                        "Raspberry Pi Compute Module 4"), (3.1, 4.7)),
    BoardSpec("pi3", "Raspberry Pi 3", ("Raspberry Pi 3",), (6.6, 10.0)),
    BoardSpec("zero2", "Raspberry Pi Zero 2 W", ("Raspberry Pi Zero 2",), (9.2, 14.0)),
)  # fmt: skip
"""The Zero 2 W: the Pi 3B+'s Cortex-A53 at 1.0 GHz instead of 1.4 (1.4x the 3B+'s figures)."""
OTHER_PI = BOARD_SPECS[2]
"""Another "Raspberry Pi" (a Pi 2, a future model): treated as the Pi 3."""


@dataclass(frozen=True)
class Board:
    """The board found, what it defaults to, and what does not keep the headroom."""

    key: str
    name: str
    model: str = ""
    slower: tuple[float, float] = (1.0, 1.0)
    engine: str = ""
    tv: tuple[str, int] | None = None
    short: tuple[str, ...] = field(default=())

    def config_defaults(self) -> dict[str, dict[str, object]]:
        """``{section: {key: value}}`` for the config loader ({} on a desktop)."""
        if self.tv is None:
            return {}
        return {
            "audio": {"quality": self.engine},
            "display": {"size": self.tv[0], "fps": self.tv[1]},
        }

    def headroom(
        self, engine: str = "", tv: tuple[str, int] | None = None
    ) -> dict[str, tuple[float, float]]:
        """Part -> (pessimistic, optimistic) headroom of one board core with the board's
        defaults, or with ``engine`` and ``tv`` (settings not measured have no row)."""
        if self.tv is None:
            return {}
        engine, tv = engine or self.engine, tv or self.tv
        rows = {}
        if engine in ENGINE_FLOOR:
            rows[f"engine ({engine.upper()})"] = _room(ENGINE_FLOOR[engine], self.slower)
        if tv in TV_FLOOR:
            rows[f"TV ({tv[0]} at {tv[1]} fps)"] = _room(TV_FLOOR[tv], self.slower)
            main = TV_FLOOR[tv] + REMOTE_LOAD
            rows["main process (TV + remote with 200 phones: at most)"] = _room(main, self.slower)
        return rows


def _room(floor: float, slower: tuple[float, float]) -> tuple[float, float]:
    return (1.0 / (floor * slower[1]), 1.0 / (floor * slower[0]))


def board_for(spec: BoardSpec, model: str = "") -> Board:
    """``spec``'s board with the best settings that keep :data:`HEADROOM` (else the cheapest)."""
    worst = spec.slower[1]
    short = []
    engines = [q for q in ENGINE_CHOICES if 1.0 / (ENGINE_FLOOR[q] * worst) >= HEADROOM]
    engine = engines[0] if engines else min(ENGINE_CHOICES, key=ENGINE_FLOOR.__getitem__)
    if not engines:
        need = ENGINE_FLOOR[engine] * worst
        short.append(
            f"engine: {engine.upper()} needs up to {need:.2f} of a core for 8 stems at key +2 "
            f"and tempo 0.9 (headroom {1 / need:.1f}x, goal {HEADROOM:.0f}x): such songs may "
            "lose blocks; songs with fewer stems, or without key and tempo changes, cost less"
        )
    fits = [c for c in TV_CHOICES if 1.0 / (TV_FLOOR[c] * worst) >= HEADROOM]
    tv = fits[0] if fits else TV_CHOICES[-1]
    if tv != TV_CHOICES[0]:
        best = TV_CHOICES[0]
        short.append(
            f"TV: {tv[0]} at {tv[1]} fps ({best[0]} at {best[1]} fps would need up to "
            f"{TV_FLOOR[best] * worst:.2f} of a core here)"
        )
    if not fits:
        need = TV_FLOOR[tv] * worst
        short.append(f"TV: needs up to {need:.2f} of a core (headroom {1 / need:.1f}x)")
    need = (TV_FLOOR[tv] + REMOTE_LOAD) * worst
    if 1.0 / need < HEADROOM:
        short.append(
            f"TV and remote share the main process: with 200 phones busy they need at least "
            f"{need:.2f} of a core (headroom at most {1 / need:.1f}x): frames may be late then"
        )
    return Board(spec.key, spec.name, model, spec.slower, engine, tv, tuple(short))


DESKTOP = Board("desktop", "desktop")


def detect_board(model_file: Path = MODEL_FILE) -> Board:
    """The board this runs on, from the device tree's model text (desktop when there is none)."""
    try:
        model = model_file.read_bytes().decode("utf-8", "replace").strip("\0 \n")
    except OSError:
        return DESKTOP
    for spec in BOARD_SPECS:
        if model.startswith(spec.models):
            return board_for(spec, model)
    if model.startswith("Raspberry Pi"):
        return board_for(OTHER_PI, model)
    return DESKTOP


def markdown_table() -> str:
    """The board -> defaults -> headroom table of docs/performance.md and docs/configuration.md."""
    rows = [
        "| board (model text starts with) | core slower than here | engine | TV | headroom: "
        "engine | headroom: TV | headroom: TV + remote (200 phones), at most |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for spec in BOARD_SPECS:
        board = board_for(spec)
        room = board.headroom()
        tv = board.tv or ("", 0)
        rows.append(
            f"| {spec.name} ({', '.join(spec.models)}) | {spec.slower[0]}-{spec.slower[1]}x | "
            f"{board.engine.upper()} | {tv[0]} at {tv[1]} fps | "
            + " | ".join(f"{lo:.1f}-{hi:.1f}x" for lo, hi in room.values())
            + " |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
