"""Root pytest configuration: the docstring examples in appliance/ and web_remote/ run as tests
(pyproject: --doctest-modules), on SDL's dummy drivers like every screen test."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
