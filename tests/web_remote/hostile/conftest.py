"""The hostile-guest tests: the real remote (waitress) on loopback, several loopback addresses
standing in for several phones (tests/support/loopback.py). The fixtures of tests/web_remote
(``box``, ``served``) apply; ``phone`` makes a phone at an address with its session open."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.support.loopback import LoopbackPhone
from tests.support.web_rig import Served


@pytest.fixture()
def phone(served: Served) -> Callable[[str], LoopbackPhone]:
    """``phone("127.0.0.3")``: a phone at that address, session opened."""

    def make(address: str) -> LoopbackPhone:
        return LoopbackPhone(served.url, address).open_session()

    return make
