"""Root pytest configuration: the docstring examples in appliance/ and web_remote/ run as tests
(pyproject: --doctest-modules), on SDL's dummy drivers like every screen test; and every test,
with the commands it runs, keeps its state, data and config in a folder of this run, never in
the user's (a database another checkout upgraded, or a developer's config, changes nothing)."""

import os
import tempfile

_RUN_HOME = tempfile.mkdtemp(prefix="karaoke-tests-")
for _name in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
    os.environ[_name] = os.path.join(_RUN_HOME, _name.lower())
os.environ.pop("KARAOKE_CONFIG", None)
os.environ.pop("KARAOKE_STATE_DIR", None)

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
