"""The display's tests draw on SDL's dummy video driver: a real pygame screen, no monitor."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame
import pytest

from appliance.display.frame import Resources

SCREENS = os.path.join(os.path.dirname(__file__), "..", "artifacts", "screens")


@pytest.fixture(scope="session", autouse=True)
def _pygame_display():
    pygame.display.init()
    pygame.font.init()
    yield
    pygame.display.quit()


@pytest.fixture(scope="session")
def resources():
    """Resources per screen size, shared by the session (fonts load once)."""
    made: dict[tuple[int, int], Resources] = {}

    def get(width: int = 1920, height: int = 1080) -> Resources:
        if (width, height) not in made:
            made[(width, height)] = Resources.create(width, height)
        return made[(width, height)]

    return get


@pytest.fixture
def save_screen():
    """Save a surface as tests/artifacts/screens/NAME.png (to look at) and return the path."""

    def save(surface: pygame.Surface, name: str) -> str:
        os.makedirs(SCREENS, exist_ok=True)
        path = os.path.abspath(os.path.join(SCREENS, f"{name}.png"))
        pygame.image.save(surface, path)
        return path

    return save
