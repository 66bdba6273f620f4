"""The usage examples in the library modules' docstrings run and stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "appliance.library.formats.lrc",
    "appliance.library.formats.lrc_words",
    "appliance.library.formats.lyrics",
    "appliance.library.songfolder.manifest",
    "appliance.library.songfolder.manifest_checks",
    "appliance.library.formats.native",
    "appliance.library.scanning.progressbar",
    "appliance.library.formats.songreader",
    "appliance.library.scanning.registry",
    "appliance.library.formats.songfiles",
    "appliance.library.songfolder.songids",
    "appliance.library.songfolder.tomlfields",
    "appliance.library.scanning.walk",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
