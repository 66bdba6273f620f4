"""``karaoke doctor`` checks for the buttons: is the pinout valid, is there GPIO to use it.

>>> from appliance.buttons.settings import ButtonsConfig
>>> [c.status for c in checks(ButtonsConfig(pin_factory="mock"))]
['ok', 'ok']
"""

from __future__ import annotations

from appliance.buttons.hardware import NoGpio, pin_factory
from appliance.buttons.layout import layout_from_config
from appliance.buttons.settings import ButtonsConfig
from appliance.core.errors import ConfigError
from appliance.core.health import FAIL, OK, WARN, Check


def checks(buttons: ButtonsConfig) -> list[Check]:
    """The pinout (config errors fail) and the pin factory (no GPIO warns: no buttons)."""
    if not buttons.enabled:
        return [Check("buttons", OK, "off in the config ([buttons] enabled = false)")]
    try:
        layout = layout_from_config(buttons)
    except ConfigError as error:
        detail = "; ".join(error.problems)
        return [Check("buttons", FAIL, detail, fix="fix [buttons] in the config (docs/buttons.md)")]
    pins = ", ".join(f"GPIO{pin} {user}" for pin, user in layout.pins().items())
    results = [Check("buttons", OK, f"pinout: {pins}")]
    try:
        factory = pin_factory(buttons.pin_factory)
    except NoGpio as error:
        results.append(
            Check("pin factory", WARN, f"no GPIO here ({error})", fix="runs without buttons")
        )
        return results
    name = type(factory).__name__
    results.append(Check("pin factory", OK, name))
    return results
