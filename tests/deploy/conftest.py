"""Deploy test fixtures: the app's wheel, built once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.deploy_rig import build_wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app's wheel, built offline from a copy of the sources."""
    return build_wheel(tmp_path_factory.mktemp("build"))
