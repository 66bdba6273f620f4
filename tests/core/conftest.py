"""Core test fixtures: a core with 20 songs, in fair rotation or first come, first served."""

from __future__ import annotations

import pytest

from appliance.core.store import Store
from tests.support.cores import Rig, build_rig


@pytest.fixture
def rig() -> Rig:
    return build_rig(Store.open_memory())


@pytest.fixture
def fifo_rig() -> Rig:
    return build_rig(Store.open_memory(), mode="fifo")
