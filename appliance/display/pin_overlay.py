"""The host PIN, shown big over any scene for a few seconds when someone at the box asks for it
(the ``guide`` button held, or the ``p`` key): physical access is host rights already, and on the
appliance there is no other way to learn the PIN without a shell.

The display learns of the request from the core's ``PinShown`` event (which carries no PIN) and
asks the composition root's ``host_pin`` function for the PIN; the phones never see it::

    draw_pin_overlay(screen, "4821", res)
"""

from __future__ import annotations

import pygame

from appliance.display.frame import Resources
from appliance.display.theme import ACCENT, BAND, DIM, TEXT

CAPTION = "Host PIN: phone remote > Host tab"


def draw_pin_overlay(surface: pygame.Surface, pin: str, res: Resources) -> None:
    """A panel in the middle of the screen: the caption and the PIN in large digits."""
    theme = res.theme
    digits = res.texts.render(" ".join(pin), theme.px(0.16), ACCENT, BAND)
    caption = res.texts.render(CAPTION, theme.small_px, TEXT, BAND)
    hint = res.texts.render("Shown for a few seconds", theme.small_px, DIM, BAND)
    pad = theme.px(0.04)
    width = max(digits.get_width(), caption.get_width()) + 2 * pad
    height = caption.get_height() + digits.get_height() + hint.get_height() + 2 * pad
    panel = pygame.Rect(0, 0, width, height)
    panel.center = (theme.width // 2, theme.height // 2)
    surface.fill(BAND, panel)
    pygame.draw.rect(surface, ACCENT, panel, width=max(3, theme.px(0.006)))
    y = panel.top + pad
    for part in (caption, digits, hint):
        surface.blit(part, part.get_rect(midtop=(panel.centerx, y)))
        y += part.get_height()
