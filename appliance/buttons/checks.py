"""``karaoke doctor`` checks for the buttons: is the pinout valid, is there GPIO to use it.

>>> from appliance.buttons.settings import ButtonsConfig
>>> [(c.name, c.status) for c in checks(ButtonsConfig(pin_factory="mock"))]
[('buttons', 'ok')]
"""

from __future__ import annotations

from appliance.buttons.hardware import NoGpio, pin_factory
from appliance.buttons.layout import layout_from_config
from appliance.buttons.settings import ButtonsConfig
from appliance.core.errors import ConfigError
from appliance.core.health import FAIL, OK, WARN, Check


def checks(buttons: ButtonsConfig) -> list[Check]:
    """One finding: the pinout (config errors fail) on this machine's GPIO (none warns: the box
    runs without buttons, the keyboard's keys still work)."""
    if not buttons.enabled:
        return [Check("buttons", OK, "off in the config ([buttons] enabled = false)")]
    try:
        layout = layout_from_config(buttons)
    except ConfigError as error:
        detail = "; ".join(error.problems)
        return [Check("buttons", FAIL, detail, fix="fix [buttons] in the config (docs/buttons.md)")]
    pins = ", ".join(f"GPIO{pin} {user}" for pin, user in layout.pins().items())
    try:
        factory = pin_factory(buttons.pin_factory)
    except NoGpio as error:
        reason = str(error).split(";")[0]
        detail = f"no GPIO on this machine ({reason}): no buttons; the keyboard's keys work"
        return [Check("buttons", WARN, detail, fix="on a Pi, see docs/buttons.md")]
    return [Check("buttons", OK, f"{type(factory).__name__}, pinout: {pins}")]
