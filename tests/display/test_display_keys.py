"""The TV's keyboard map: every default key names a real action, the mic keys among them."""

from __future__ import annotations

from appliance.core.actions import ACTIONS
from appliance.display.keys import DEFAULT_KEYS, QUIT, action_for, build_keymap


def test_every_default_key_names_an_action_the_core_has() -> None:
    unknown = {key: act for key, act in DEFAULT_KEYS.items() if act != QUIT and act not in ACTIONS}
    assert unknown == {}


def test_the_mic_level_and_echo_have_keys_by_default() -> None:
    keymap = build_keymap()
    assert action_for(keymap, "page up", "") == "mic_up"
    assert action_for(keymap, "page down", "") == "mic_down"
    assert action_for(keymap, "e", "e") == "echo_up"
    assert action_for(keymap, "d", "d") == "echo_down"


def test_a_configured_key_replaces_or_removes_a_default() -> None:
    keymap = build_keymap({"e": "", ".": "mic_up", "x": "no_such_action"})
    assert "e" not in keymap and keymap["."] == "mic_up" and "x" not in keymap
