"""Reboot and shut down, on the appliance only (systemd with a polkit rule for the service user).

The remote takes the function as a hook, so tests pass a recorder::

    >>> calls = []
    >>> power = make_power(runner=lambda argv: calls.append(argv), appliance=True)
    >>> power("reboot"); calls
    [['systemctl', 'reboot']]
    >>> make_power(appliance=False) is None
    True
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Callable

from appliance.core.errors import Conflict, InvalidRequest

log = logging.getLogger(__name__)
ACTIONS = ("reboot", "poweroff")
Runner = Callable[[list[str]], object]


def running_as_appliance() -> bool:
    """True under the box's systemd service (it sets KARAOKE_STATE_DIR; systemd sets
    INVOCATION_ID), not on a developer's laptop."""
    return bool(os.environ.get("INVOCATION_ID")) and bool(os.environ.get("KARAOKE_STATE_DIR"))


def _systemctl(argv: list[str]) -> object:
    return subprocess.run(argv, check=True, timeout=30, capture_output=True)


def make_power(
    runner: Runner = _systemctl, *, appliance: bool | None = None
) -> Callable[[str], None] | None:
    """The power hook, or None where the box must not power itself off."""
    if not (running_as_appliance() if appliance is None else appliance):
        return None

    def power(action: str) -> None:
        if action not in ACTIONS:
            raise InvalidRequest("action", f"must be one of {', '.join(ACTIONS)}")
        log.warning("system %s requested from the remote", action)
        try:
            runner(["systemctl", action])
        except (OSError, subprocess.SubprocessError) as error:
            raise Conflict(f"the box could not {action}: {error}") from error

    return power
