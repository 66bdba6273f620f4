"""shellcheck on every shell script in the repository: *.sh files and files with a shell shebang."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SKIP_DIRS = {
    ".git",
    ".venv",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "build",
}
SHELLS = ("sh", "bash", "dash")


def is_shell_script(path: Path) -> bool:
    if path.suffix in {".sh", ".bash"}:
        return True
    try:
        with path.open("rb") as handle:
            first = handle.readline(200).decode("ascii", "replace")
    except OSError:
        return False
    if not first.startswith("#!"):
        return False
    words = first[2:].split()
    interpreter = Path(words[0]).name if words else ""
    if interpreter == "env" and len(words) > 1:
        interpreter = words[1]
    return interpreter in SHELLS


def shell_scripts() -> list[Path]:
    found = []
    for path in REPO.rglob("*"):
        if any(part in SKIP_DIRS for part in path.relative_to(REPO).parts):
            continue
        if path.is_file() and not path.is_symlink() and is_shell_script(path):
            found.append(path)
    return sorted(found)


def test_the_deploy_scripts_are_found() -> None:
    names = {path.relative_to(REPO).as_posix() for path in shell_scripts()}
    assert {
        "deploy/install.sh",
        "deploy/bin/karaoke-cmdline",
        "deploy/bin/karaoke-network-fallback",
        "scripts/setup.sh",
    } <= names


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_shellcheck_is_clean_on_every_script() -> None:
    scripts = shell_scripts()
    result = subprocess.run(
        ["shellcheck", "--external-sources", *map(str, scripts)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
