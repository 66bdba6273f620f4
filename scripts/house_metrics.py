"""Measures the shape of the house: module and function sizes, import cycles, test time by area.

Used for the before/after tables in docs/architecture.md::

    .venv/bin/python scripts/house_metrics.py                      # sizes and cycles
    .venv/bin/python -m pytest -q --junitxml=/tmp/junit.xml
    .venv/bin/python scripts/house_metrics.py --junit /tmp/junit.xml   # plus test time by area

Import cycles count every import, including those inside functions (a cycle hidden in a
function is still a cycle a reader must hold in their head).
"""

from __future__ import annotations

import argparse
import ast
import statistics
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

PACKAGES = ("appliance", "web_remote")


def python_files(top: Path) -> list[Path]:
    """Every production module of the project, sorted."""
    return sorted(p for pkg in PACKAGES for p in (top / pkg).rglob("*.py"))


def module_name(top: Path, path: Path) -> str:
    """``appliance/core/store.py`` -> ``appliance.core.store`` (packages without ``__init__``)."""
    parts = list(path.relative_to(top).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def percentiles(values: list[int]) -> str:
    """``median / p90 / max`` of a list of sizes."""
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"{statistics.median(ordered):g} / {p90} / {ordered[-1]}"


def function_sizes(tree: ast.AST) -> list[int]:
    """Line counts of every function and method in a module."""
    return [
        node.end_lineno - node.lineno + 1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno
    ]


def imported_modules(tree: ast.AST, here: str, known: set[str]) -> set[str]:
    """Project modules a module imports anywhere in its body (functions included)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, here)
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            owner = _known_owner(name, known)
            if owner and owner != here:
                found.add(owner)
    return found


def _known_owner(name: str, known: set[str]) -> str:
    """The longest prefix of a dotted name that is a project module ('' if none)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name


def _absolute(node: ast.ImportFrom, here: str) -> str:
    if not node.level:
        return node.module or ""
    base = here.split(".")[: -node.level] if node.level else []
    return ".".join([*base, node.module] if node.module else base)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _is_ancestor_pair(component: list[str]) -> bool:
    """A package importing its own submodule (and back) is how packages work, not a cycle."""
    return len(component) == 2 and component[1].startswith(component[0] + ".")


def test_time_by_area(junit: Path) -> dict[str, float]:
    """Seconds of test time per test folder (doctests under their package)."""
    areas: dict[str, float] = defaultdict(float)
    for case in ET.parse(junit).getroot().iter("testcase"):
        parts = case.get("classname", "").split(".")
        area = "/".join(parts[:2]) if parts[0] == "tests" else f"doctest {parts[0]}"
        areas[area] += float(case.get("time", 0))
    return dict(sorted(areas.items(), key=lambda item: -item[1]))


def report(top: Path, junit: Path | None) -> None:
    """Print the house's figures as a Markdown table."""
    files = python_files(top)
    known = {module_name(top, p) for p in files}
    sizes, funcs, graph = [], [], {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        sizes.append(len(text.splitlines()))
        funcs.extend(function_sizes(tree))
        graph[module_name(top, path)] = imported_modules(tree, module_name(top, path), known)
    loops = [c for c in cycles(graph) if not _is_ancestor_pair(c)]
    print("| figure | value |\n| --- | --- |")
    print(f"| modules | {len(files)} |")
    print(f"| module lines (median / p90 / max) | {percentiles(sizes)} |")
    print(f"| modules over 300 lines | {sum(s > 300 for s in sizes)} |")
    print(f"| functions | {len(funcs)} |")
    print(f"| function lines (median / p90 / max) | {percentiles(funcs)} |")
    print(f"| functions over 50 lines | {sum(f > 50 for f in funcs)} |")
    print(f"| import cycles (function-level imports included) | {len(loops)} |")
    for loop in loops:
        print(f"|   cycle | {', '.join(loop)} |")
    if junit:
        for area, seconds in test_time_by_area(junit).items():
            print(f"| test time {area} | {seconds:.1f} s |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--junit", type=Path, help="a pytest --junitxml file for test times")
    args = parser.parse_args(argv)
    report(Path(__file__).resolve().parent.parent, args.junit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
