"""Parts this build may lack, looked up by name: a box without one still runs.

>>> optional_module("appliance.no_such_part") is None
True
>>> optional_callable("appliance.no_such_part", "anything") is None
True
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any


def optional_module(name: str) -> ModuleType | None:
    """Import ``name`` if this build has it (errors inside an existing module propagate)."""
    try:
        if importlib.util.find_spec(name) is None:
            return None
    except ModuleNotFoundError:
        return None
    return importlib.import_module(name)


def optional_callable(module_name: str, attribute: str) -> Any:
    """``module_name.attribute``, or None when the module or the attribute is missing."""
    module = optional_module(module_name)
    return getattr(module, attribute, None) if module else None
