"""pytest plugin for a run under CPU emulation (scripts/arm64-tests.sh: arm64 under qemu-user).

Loaded with ``-p tests.support.emulated``; the normal suite never loads it. It leaves out, by
what a test needs rather than by file name (so a new test of either kind is left out too):

- tests on a real-time clock: JACK's dummy server and the live engine on it (fixtures ``jack``,
  ``engine``, ``real_time``, ``mic_rig``, ``usb_card``, or a module that starts a ``JackServer``
  itself). Under qemu-user every audio period is emulated many times slower than the clock
  that paces it, so their deadlines (underflows, latency, reopen times) measure the emulator;
- tests driving headless Chromium (fixtures ``browser``, ``chromium``, or a module that imports
  ``sync_playwright``): Chromium's sandbox and JIT under qemu-user take most of an hour, and the
  remote's server side is covered by the Flask test-client and HTTP tests that stay.

Everything else runs: the pipeline offline (DSP, codecs, pitch, scoring), the core, library,
formats, display on SDL's dummy driver, commands, system and the web remote's server.
"""

from __future__ import annotations

import pytest

REAL_TIME = frozenset({"jack", "engine", "real_time", "mic_rig", "usb_card"})
BROWSER = frozenset({"browser", "chromium"})


def reason(item: pytest.Item) -> str | None:
    """Why ``item`` is left out under emulation, or None when it runs."""
    fixtures = set(getattr(item, "fixturenames", ()))
    module = getattr(getattr(item, "module", None), "__dict__", {})
    if fixtures & REAL_TIME or "JackServer" in module:
        return "real-time clock (JACK)"
    if fixtures & BROWSER or "sync_playwright" in module:
        return "Chromium"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept: list[pytest.Item] = []
    left: dict[str, list[pytest.Item]] = {}
    for item in items:
        why = reason(item)
        if why is None:
            kept.append(item)
        else:
            left.setdefault(why, []).append(item)
    if left:
        config.hook.pytest_deselected(items=[i for group in left.values() for i in group])
        items[:] = kept
    config.stash[_LEFT] = {why: len(group) for why, group in left.items()}


_LEFT = pytest.StashKey[dict[str, int]]()


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    for why, count in sorted(config.stash.get(_LEFT, {}).items()):
        terminalreporter.write_line(f"emulated run: {count} tests left out, they need a {why}")
