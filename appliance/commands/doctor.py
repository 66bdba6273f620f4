"""``karaoke doctor``: what the box sees (display, audio, GPIO, disk, library) and what to fix.

Each part may offer ``checks(...) -> list[Check]`` in a ``checks`` module, taking its own
config section (``PART_CHECKS`` says which); parts missing from this build are skipped.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from appliance.commands.common import config_from, print_json, this_board
from appliance.config import Config
from appliance.core.health import FAIL, OK, WARN, Check
from appliance.core.paths import database_path
from appliance.core.scanlog import ProblemPage

MAX_PROBLEMS_SHOWN = 50

PART_CHECKS: tuple[tuple[str, Callable[[Config], tuple[object, ...]]], ...] = (
    ("appliance.audio.checks", lambda config: (config.audio, config.state_dir())),
    ("appliance.display.checks", lambda config: (config.display,)),
    ("appliance.buttons.checks", lambda config: (config.buttons,)),
    ("appliance.system.checks", lambda config: (config.state_dir(),)),
)
"""Each part's checks module, and what of the config it is given."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``doctor``."""
    doctor = subparsers.add_parser("doctor", help="check what the box sees and say what to fix")
    doctor.add_argument("--json", action="store_true", help="machine-readable output")
    doctor.set_defaults(handler=_doctor)


def core_checks(config: Config) -> list[Check]:
    """The database and the library, which every box has (disk space: appliance.system)."""
    state = config.state_dir()
    state.mkdir(parents=True, exist_ok=True)
    results = []
    from appliance.commands.common import open_catalog

    store, catalog = open_catalog(config)
    try:
        count = catalog.count()
        ok = store.integrity_ok()
        problems = catalog.scan_log.page(0, MAX_PROBLEMS_SHOWN)
    finally:
        store.close()
    results.append(Check("database", OK if ok else FAIL, str(database_path(state))))
    results.append(
        Check("library", OK, f"{count} songs")
        if count
        else Check("library", WARN, "no songs indexed", fix="run `karaoke scan` or `karaoke demo`")
    )
    results.extend(scan_checks(problems))
    return results


def board_checks(board: Any, config: Config) -> list[Check]:
    """The board found, each default it chose (or the config's value that won), the headroom
    each part keeps and what does not keep 2x (:mod:`appliance.system.board`)."""
    if board is None:
        return []
    if not board.model:
        return [Check("board", OK, f"{board.name}: the config's own defaults")]
    lo, hi = board.slower
    results = [Check("board", OK, f"{board.model}: a core {lo}-{hi}x slower than the bench's")]
    for section, values in board.config_defaults().items():
        for key, value in values.items():
            used = getattr(getattr(config, section), key)
            how = "board default" if used == value else f"set in the config; the board's: {value!r}"
            results.append(Check("board default", OK, f"[{section}] {key} = {used!r} ({how})"))
    tv = (config.display.size, config.display.fps)
    for part, (worst, best) in board.headroom(config.audio.quality, tv).items():
        status = OK if worst >= 2 else WARN
        detail = f"{part}: {worst:.1f}-{best:.1f}x of one core with these defaults (goal 2x)"
        results.append(Check("headroom", status, detail))
    results.extend(Check("board", WARN, short) for short in board.short)
    return results


def scan_checks(page: ProblemPage) -> list[Check]:
    """The last scans' counts, then each file they could not index (at most
    ``MAX_PROBLEMS_SHOWN``, then how many more), with the reason."""
    results = [
        Check("last scan", OK, f"{run['root']}: {run['files_summary']}") for run in page.runs
    ]
    if not page.total:
        return results
    fix = "fix or remove these files, then `karaoke scan` (the phone's host page lists them too)"
    results.append(Check("not indexed", WARN, f"{page.total} song file(s) or folder(s)", fix=fix))
    results.extend(Check("not indexed", WARN, f"{p.path}: {p.reason}") for p in page.problems)
    if page.total > len(page.problems):
        more = page.total - len(page.problems)
        detail = f"... and {more} more (`karaoke scan` lists all)"
        results.append(Check("not indexed", WARN, detail))
    return results


def _doctor(args: argparse.Namespace) -> int:
    from appliance.optional import optional_module

    config = config_from(args)
    results = core_checks(config) + board_checks(this_board(), config)
    for name, arguments in PART_CHECKS:
        module = optional_module(name)
        if module is None:
            continue
        try:
            results.extend(module.checks(*arguments(config)))
        except Exception as error:
            results.append(Check(name.split(".")[-2], FAIL, f"check crashed: {error}"))
    if args.json:
        print_json([r.__dict__ for r in results])
    else:
        for result in results:
            print(result.line())
    return 1 if any(r.status == FAIL for r in results) else 0
