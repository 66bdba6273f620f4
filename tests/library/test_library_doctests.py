"""The usage examples in the library modules' docstrings run and stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "appliance.library.atomicfile",
    "appliance.library.lrc",
    "appliance.library.lrc_words",
    "appliance.library.lyrics",
    "appliance.library.manifest",
    "appliance.library.manifest_checks",
    "appliance.library.native",
    "appliance.library.progressbar",
    "appliance.library.readers",
    "appliance.library.registry",
    "appliance.library.songfiles",
    "appliance.library.songids",
    "appliance.library.tomlfields",
    "appliance.library.walk",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
