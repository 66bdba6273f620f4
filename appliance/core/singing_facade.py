"""The :class:`~appliance.core.service.Core`'s voice and scoring commands, kept beside it (the
facade's file stays small): who may do what is checked here, the work is
:class:`~appliance.core.singing.Singing`'s.

Rights: a singer sets their own voice, the host anyone's and the night's default; box buttons
(host rights) step the current singer's voice. Voices from phones are checked with
:meth:`VoiceSettings.from_dict` at the web boundary and again here (``validated``).
"""

from __future__ import annotations

import threading

from appliance.core.actor import Actor
from appliance.core.errors import InvalidRequest
from appliance.core.scoring.model import SingingView
from appliance.core.singing import Singing
from appliance.core.voice import VoiceSettings


class SingingFacade:
    """Mixed into the Core: it provides ``_lock`` and ``_singing``."""

    _lock: threading.RLock
    _singing: Singing

    def singing_views(self) -> tuple[SingingView, ...]:
        """What the TV draws for the song being sung: one view per part (empty when the song
        has no notes or no mic was heard yet). Lock-free, cheap at 60 fps."""
        return self._singing.views()

    def voice_of(self, singer_id: int) -> VoiceSettings:
        """A singer's mic level and echo (theirs, else the night's default; NotFound)."""
        with self._lock:
            return self._singing.voice_of(singer_id)

    def default_voice(self) -> VoiceSettings:
        """The night's default mic level and echo."""
        with self._lock:
            return self._singing.voices.default

    def set_singer_voice(self, actor: Actor, singer_id: int, voice: VoiceSettings) -> VoiceSettings:
        """A singer's own level and echo (the singer themself, or the host), remembered for
        their next songs and heard at once if they are singing."""
        actor.require_self_or_host(singer_id, "change the voice of")
        voice = voice.validated()
        with self._lock:
            return self._singing.set_singer_voice(singer_id, voice)

    def set_default_voice(self, actor: Actor, voice: VoiceSettings) -> VoiceSettings:
        """Host: the night's default level and echo (singers who set nothing, and mic 2)."""
        actor.require_host("change everyone's voice")
        voice = voice.validated()
        with self._lock:
            return self._singing.set_default_voice(voice)

    def step_voice(
        self, actor: Actor, level_db_delta: float = 0.0, echo_delta: float = 0.0
    ) -> VoiceSettings:
        """Box buttons: step the current singer's level (dB) and echo, clamped in range (the
        default between songs). The host, or the singer whose song is on."""
        for name, delta in (("level_db_delta", level_db_delta), ("echo_delta", echo_delta)):
            if isinstance(delta, bool) or not isinstance(delta, int | float):
                raise InvalidRequest(name, "must be a number")
            if not -100.0 <= delta <= 100.0:
                raise InvalidRequest(name, "must be between -100 and 100")
        with self._lock:
            current = self._singing.live.current
            if current is None:
                actor.require_host("change everyone's voice")
            else:
                actor.require_self_or_host(current.entry.singer_id, "change the voice of")
            return self._singing.step_voice(float(level_db_delta), float(echo_delta))
