"""Count the files a piece of code opens under a folder, through Python's audit hooks (every
``open``, ``os.open`` and what calls them, zipfile and soundfile included)::

    with OpenCounter(root) as opens:
        scan_library(root, catalog)
    assert opens.paths == []
"""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import Any

_ACTIVE: list[OpenCounter] = []
_INSTALLED: list[bool] = []


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event != "open" or not _ACTIVE or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = os.fsdecode(args[0])
    for counter in _ACTIVE:
        if path.startswith(counter.prefix):
            counter.paths.append(path)


class OpenCounter:
    """Records the paths opened under ``root`` while active."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.prefix = os.path.join(os.path.abspath(root), "")
        self.paths: list[str] = []

    def __enter__(self) -> OpenCounter:
        if not _INSTALLED:
            sys.addaudithook(_hook)  # cannot be removed: it does nothing while none is active
            _INSTALLED.append(True)
        _ACTIVE.append(self)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _ACTIVE.remove(self)
