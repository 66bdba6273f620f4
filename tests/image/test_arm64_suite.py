"""scripts/arm64-tests.sh (the suite on arm64 under qemu-user) and its pytest plugin, checked fast.

The real run (an arm64 root, tens of minutes, root, network) is `.ci/run`'s with KARAOKE_CI_ARM64=1;
these need neither root nor the root.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from tests.support import emulated

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "arm64-tests.sh"


def plan(*args: str) -> str:
    return subprocess.run(
        ["bash", str(SCRIPT), *args, "--dry-run"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def test_the_script_passes_shellcheck() -> None:
    result = subprocess.run(
        ["shellcheck", "--external-sources", str(SCRIPT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_root_holds_what_setup_installs_for_tests_and_is_keyed_by_it() -> None:
    text = plan()
    packages = set(next(line for line in text.splitlines() if "packages:" in line).split()[1:])
    wanted = subprocess.run(
        ["bash", str(REPO / "scripts" / "setup.sh"), "packages", "test"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    run_only = subprocess.run(
        ["bash", str(REPO / "scripts" / "setup.sh"), "packages"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert set(wanted) <= packages
    assert {"jackd2", "shellcheck"} <= set(wanted) - set(run_only)
    root = text.splitlines()[0].split()[-1]
    assert "/root-" in root
    assert plan("--suite", "trixie").splitlines()[0].split()[-1] != root
    assert plan("--cache", "/x").splitlines()[0].split()[-1].startswith("/x/root-")
    assert "-p tests.support.emulated --ignore=tests/deploy --ignore=tests/image" in text


def item(fixtures: tuple[str, ...], **module: object) -> SimpleNamespace:
    return SimpleNamespace(fixturenames=fixtures, module=SimpleNamespace(**module))


def test_the_plugin_leaves_out_real_time_and_chromium_tests_only() -> None:
    assert emulated.reason(item(("tmp_path", "engine"))) == "real-time clock (JACK)"
    assert emulated.reason(item(("tmp_path",), JackServer=object)) == "real-time clock (JACK)"
    assert emulated.reason(item(("browser", "served"))) == "Chromium"
    assert emulated.reason(item(("chromium",))) == "Chromium"
    assert emulated.reason(item(("tmp_path", "demo_library", "served"))) is None
    assert emulated.reason(SimpleNamespace(fixturenames=("tmp_path",))) is None  # a doctest


def test_the_plugin_deselects_at_collection_and_says_how_many() -> None:
    files = ["tests/audio/test_audio_device.py", "tests/system/test_system_notify.py"]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.support.emulated",
            "--collect-only",
            "-q",
            *files,
        ],
        capture_output=True,
        check=False,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_audio_device.py::" not in result.stdout
    assert "test_system_notify.py::" in result.stdout
    assert "emulated run: 2 tests left out, they need a real-time clock (JACK)" in result.stdout
