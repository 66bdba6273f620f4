"""The keyboard side of the host's controls: key names to the shared named actions.

Defaults below; ``[buttons] keys`` in the config adds or overrides (``"f" = "skip"``; an empty
string unmaps a key). Key names are pygame's (``pygame.key.name``: 'space', 'return', 'up', 'n')
or the character typed ('+', '-'). 'quit' closes the window (windowed mode only)::

    >>> keymap = build_keymap({"f": "skip", "n": ""})
    >>> keymap["f"], "n" in keymap, keymap["space"]
    ('skip', False, 'play_pause')
"""

from __future__ import annotations

import logging
from typing import Any

from appliance.core.actions import ACTIONS

log = logging.getLogger(__name__)

QUIT = "quit"
DEFAULT_KEYS: dict[str, str] = {
    "space": "play_pause",
    "n": "skip",
    "right": "skip",
    "up": "key_up",
    "down": "key_down",
    "0": "key_reset",
    "g": "guide_toggle",
    "+": "volume_up",
    "=": "volume_up",
    "[+]": "volume_up",
    "-": "volume_down",
    "[-]": "volume_down",
    "m": "mute_toggle",
    "[": "tempo_down",
    "]": "tempo_up",
    "r": "restart",
    "return": "start_next",
    "enter": "start_next",
    "p": "show_pin",
    "page up": "mic_up",
    "page down": "mic_down",
    "e": "echo_up",
    "d": "echo_down",
    "escape": QUIT,
    "q": QUIT,
}


def build_keymap(configured: dict[str, Any] | None = None) -> dict[str, str]:
    """The default map with the configured keys applied; unknown actions are logged and skipped."""
    keymap = dict(DEFAULT_KEYS)
    for key, action in (configured or {}).items():
        name = str(key).lower()
        if action in ("", None):
            keymap.pop(name, None)
        elif action == QUIT or action in ACTIONS:
            keymap[name] = str(action)
        else:
            log.warning("[buttons] keys: %r maps to unknown action %r; ignored", key, action)
    return keymap


def action_for(keymap: dict[str, str], key_name: str, typed: str) -> str | None:
    """The action of a key press: by key name first, then by the character typed."""
    return keymap.get(key_name.lower()) or (keymap.get(typed) if typed else None)
