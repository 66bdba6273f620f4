"""Fixtures shared by every area's tests.

``demo_library``: the synthesized demo library (six public-domain songs as native song folders
with stems, enhanced LRC and UltraStar notes), built once per test session into a temporary
folder. Expected values (notes, chords, sections) are in ``appliance.demosongs.SONGS``.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding one sub-folder per demo song (built on first use, ~10 s)."""
    from appliance.demosongs import build_demo_library

    root = tmp_path_factory.mktemp("demo-library")
    build_demo_library(root, workers=2)
    return root
