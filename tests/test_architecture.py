"""The architecture's rules, checked by the suite: import contracts, a ruff-clean tree, and the
tests' own shape (folders named after packages, no test module importing another).

The contracts live in pyproject.toml ([tool.importlinter]): the core and the library import no
pygame, gpiozero, sounddevice, flask or numpy; the core imports nothing else of the project;
the library's subpackages are layered; adapters never import each other.
"""

from __future__ import annotations

import ast
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


def _test_folders() -> list[Path]:
    return [
        p for p in (ROOT / "tests").iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    ]


def test_every_test_folder_is_a_package_named_after_what_it_tests():
    packages = {p.name for p in (ROOT / "appliance").rglob("*") if (p / "__init__.py").is_file()}
    packages |= {"web_remote", "deploy", "image"}  # the remote; the installer and image folders
    shared = {"support", "bench", "artifacts"}  # the support layer, benchmarks, screenshots
    for folder in _test_folders():
        if folder.name in {"bench", "artifacts"}:
            continue
        assert (folder / "__init__.py").is_file(), f"{folder.name}: not a package"
        assert folder.name in packages | shared, f"tests/{folder.name} names no package"


def test_no_test_module_imports_another_test_module():
    offenders = []
    for path in (ROOT / "tests").rglob("*.py"):
        if "support" in path.parts or path.parent == ROOT / "tests":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.startswith("tests.") and not name.startswith("tests.support"):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders, offenders
