"""How the composition root gets the engine: ``create_player(settings, state_dir, roots)``.

    >>> player = create_player(config.audio, config.state_dir(), roots)  # doctest: +SKIP

The engine plays on the configured device (the ``[audio]`` section, appliance/audio/settings.py);
break music comes from ``[audio] break_music`` or the library ``roots``. It starts before the
core, so it takes no :class:`appliance.parts.PartContext`. A box with no working engine falls
back to the silent player (app.py does that).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from appliance.audio.engine.client import EngineClient
from appliance.audio.engine.device import EngineOptions
from appliance.audio.settings import AudioConfig
from appliance.audio.sources.break_music import break_playlist


def create_player(settings: AudioConfig, state_dir: Path, roots: Sequence[Path]) -> EngineClient:
    """Start the engine process for ``settings``, its status and cache in ``state_dir``."""
    options = EngineOptions.from_config(settings, state_dir=str(state_dir))
    folders = list(roots)
    player = EngineClient(
        options, break_songs=lambda: break_playlist(settings.break_music, folders)
    )
    player.set_volume(settings.volume)
    return player
