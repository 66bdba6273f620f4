"""The architecture's rules, checked by the suite: import contracts and a ruff-clean tree.

The contracts live in pyproject.toml ([tool.importlinter]): the core and the library import no
pygame, gpiozero, sounddevice, flask or numpy; the core imports nothing else of the project;
the library's subpackages are layered; adapters never import each other.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_import_contracts_are_kept():
    result = subprocess.run(
        [str(BIN / "lint-imports")], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.split("Contracts:")[-1].replace("0 broken", "")


def test_contracts_cover_every_adapter():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    independent = next(c for c in contracts if c["type"] == "independence")["modules"]
    adapters = {f"appliance.{p.name}" for p in (ROOT / "appliance").iterdir() if p.is_dir()}
    adapters -= {
        "appliance.core",
        "appliance.library",
        "appliance.commands",
        "appliance.__pycache__",
    }
    assert adapters | {"web_remote"} == set(independent)
    forbidden = next(c for c in contracts if c["type"] == "forbidden")
    assert {"pygame", "gpiozero", "sounddevice", "flask", "numpy"} <= set(
        forbidden["forbidden_modules"]
    )


def test_the_library_layers_cover_every_subpackage_and_module():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers" and "library" in c["name"])
    library = ROOT / "appliance" / "library"
    parts = {p.stem for p in library.iterdir() if p.suffix == ".py" and p.stem != "__init__"}
    parts |= {p.name for p in library.iterdir() if (p / "__init__.py").is_file()}
    assert {f"appliance.library.{part}" for part in parts} == set(layers["layers"])


def test_ruff_is_clean():
    result = subprocess.run(
        [str(BIN / "ruff"), "check", "--quiet", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
