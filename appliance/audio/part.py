"""How the composition root gets the engine: ``create_player(box) -> Player``.

    >>> player = create_player(box)  # spawns the engine process  # doctest: +SKIP

The engine plays on the configured device; break music comes from ``[audio] break_music`` or the
library. A box with no working engine falls back to the silent player (app.py does that).
"""

from __future__ import annotations

from typing import Any

from appliance.audio.engine.client import EngineClient
from appliance.audio.engine.device import EngineOptions
from appliance.audio.sources.break_music import break_playlist


def create_player(box: Any) -> EngineClient:
    """Start the engine process for ``box`` (its config, library roots and state dir)."""
    audio = box.config.audio
    options = EngineOptions.from_config(audio, state_dir=str(box.config.state_dir()))
    roots = list(box.library_roots)
    player = EngineClient(options, break_songs=lambda: break_playlist(audio.break_music, roots))
    player.set_volume(audio.volume)
    return player
