"""Named host actions shared by GPIO buttons, the keyboard and IR remotes.

One map, so a button and a key do exactly the same thing. Physical access counts as the host.
An action that does not fit the moment (skip when nothing plays) is refused with a reason, not
an exception, so a button press never crashes anything::

    >>> from appliance.core.store import Store
    >>> from appliance.core.ports import ManualClock
    >>> from appliance.core.silent_player import SilentPlayer
    >>> clock = ManualClock()
    >>> core = Core(Store.open_memory(), SilentPlayer(clock), clock=clock)
    >>> perform(core, "skip").ok
    False
    >>> perform(core, "volume_up", volume_step=0.1).message
    'Volume 90%'
    >>> perform(core, "echo_up").message
    "Everyone's echo 40%"
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from appliance.core.errors import Conflict, InvalidRequest, RequestError
from appliance.core.models import KEY_MAX, KEY_MIN, TEMPO_MAX, TEMPO_MIN, MixSettings
from appliance.core.service import Actor, Core
from appliance.core.snapshot import PlaybackState

HOST = Actor.host()
_STATE_WORDS = {
    PlaybackState.PLAYING: "Playing",
    PlaybackState.PAUSED: "Paused",
    PlaybackState.UP_NEXT: "Up next",
    PlaybackState.IDLE: "Nothing queued",
}


@dataclass(frozen=True)
class ActionResult:
    """What happened, for a notice on the TV and for the log."""

    ok: bool
    message: str


def _live(core: Core) -> MixSettings:
    settings = core.current_settings()
    if settings is None:
        raise Conflict("no song is playing")
    return settings


def _change_key(core: Core, delta: int | None) -> str:
    settings = _live(core)
    key = 0 if delta is None else max(KEY_MIN, min(KEY_MAX, settings.key_semitones + delta))
    core.set_live_settings(HOST, replace(settings, key_semitones=key))
    return f"Key {key:+d}" if key else "Original key"


def _change_tempo(core: Core, delta: float) -> str:
    settings = _live(core)
    tempo = round(max(TEMPO_MIN, min(TEMPO_MAX, settings.tempo_ratio + delta)), 2)
    core.set_live_settings(HOST, replace(settings, tempo_ratio=tempo))
    return f"Tempo {round(tempo * 100)}%"


def _toggle_guide(core: Core) -> str:
    settings = _live(core)
    level = 0.0 if settings.guide_level > 0 else (core.settings().default_guide_level or 1.0)
    core.set_live_settings(HOST, replace(settings, guide_level=level))
    return "Guide vocal on" if level else "Guide vocal off"


def _toggle_vocal_reduction(core: Core) -> str:
    settings = _live(core)
    on = not settings.vocal_reduction
    core.set_live_settings(HOST, replace(settings, vocal_reduction=on))
    return "Vocal reduction on" if on else "Vocal reduction off"


def _change_volume(core: Core, delta: float) -> str:
    volume, muted = core.volume()
    volume = round(max(0.0, min(1.0, volume + delta)), 3)
    core.set_volume(HOST, volume, muted=False if delta > 0 else muted)
    return f"Volume {round(volume * 100)}%"


def _toggle_mute(core: Core) -> str:
    volume, muted = core.volume()
    core.set_volume(HOST, volume, muted=not muted)
    return "Muted" if not muted else f"Volume {round(volume * 100)}%"


MIC_STEP_DB = 2.0
"""One press (or knob detent) of mic_up / mic_down, in dB."""
ECHO_STEP = 0.1
"""One press (or knob detent) of echo_up / echo_down."""


def _step_voice(core: Core, level_db: float, echo: float) -> str:
    """The singer's mic (everyone's default between songs), a step at a time."""
    voice = core.step_voice(HOST, level_db_delta=level_db, echo_delta=echo)
    whose = "Mic" if core.current_settings() is not None else "Everyone's mic"
    if level_db:
        return f"{whose} level {voice.level_db:+.0f} dB"
    whose = "Echo" if whose == "Mic" else "Everyone's echo"
    return f"{whose} {round(voice.echo * 100)}%"


def _do(method: Callable[[Core, Actor], None], message: str) -> Callable[[Core, float], str]:
    def run(core: Core, _step: float) -> str:
        method(core, HOST)
        return message

    return run


def _show_pin(core: Core) -> str:
    core.show_pin_on_tv(HOST)
    return "Host PIN on the TV"


def _play_pause(core: Core) -> str:
    core.toggle_pause(HOST)
    return _STATE_WORDS[core.snapshot().state]


def _undo_skip(core: Core) -> str:
    return "Back where it was" if core.undo_skip(HOST) else "Back first in line"


ACTIONS: dict[str, Callable[[Core, float], str]] = {
    "play_pause": lambda core, _: _play_pause(core),
    "start_next": _do(Core.start_next_now, "Starting now"),
    "skip": _do(Core.skip, "Skipped"),
    "restart": _do(Core.restart, "From the top"),
    "undo_skip": lambda core, _: _undo_skip(core),
    "key_up": lambda core, _: _change_key(core, +1),
    "key_down": lambda core, _: _change_key(core, -1),
    "key_reset": lambda core, _: _change_key(core, None),
    "tempo_up": lambda core, _: _change_tempo(core, +0.05),
    "tempo_down": lambda core, _: _change_tempo(core, -0.05),
    "guide_toggle": lambda core, _: _toggle_guide(core),
    "vocal_reduction_toggle": lambda core, _: _toggle_vocal_reduction(core),
    "volume_up": lambda core, step: _change_volume(core, +step),
    "volume_down": lambda core, step: _change_volume(core, -step),
    "mute_toggle": lambda core, _: _toggle_mute(core),
    "show_pin": lambda core, _: _show_pin(core),
    "mic_up": lambda core, _: _step_voice(core, +MIC_STEP_DB, 0.0),
    "mic_down": lambda core, _: _step_voice(core, -MIC_STEP_DB, 0.0),
    "echo_up": lambda core, _: _step_voice(core, 0.0, +ECHO_STEP),
    "echo_down": lambda core, _: _step_voice(core, 0.0, -ECHO_STEP),
}
"""Every action a button, key or remote can be mapped to."""


def perform(core: Core, action: str, *, volume_step: float = 0.05) -> ActionResult:
    """Do ``action`` as the host. Unknown names raise InvalidRequest (a config error)."""
    if action not in ACTIONS:
        raise InvalidRequest("action", f"unknown action {action!r}; known: {', '.join(ACTIONS)}")
    try:
        return ActionResult(True, ACTIONS[action](core, volume_step))
    except RequestError as error:
        return ActionResult(False, str(error))
