"""The :class:`~appliance.core.service.Core`'s door for phones that listen: a batch of pitch
frames from the singer's own phone, stamped in song seconds and scored like a mic.

Rules (checked here, under the core's lock, after :class:`PhoneBatch` checked the batch's
shape): only the singer whose song is playing may send (``PermissionDenied``, 403), a song
paused, between songs or without notes takes nothing (``Conflict``, 409, with why). A solo
song's phone sings part 0; in a duet it sings the part it names, else part 2 (the partner's:
the singer whose turn it is holds mic 1). The work is small and bounded (64 frames at most,
scored in place), so it runs on the request's thread like any other command.
"""

from __future__ import annotations

import threading

from appliance.core.errors import Conflict, PermissionDenied
from appliance.core.scoring.phones import PHONE_MICS, PhoneBatch
from appliance.core.scoring.session import parts_of
from appliance.core.singing import Singing
from appliance.core.snapshot import PlaybackState


class PhonePitchFacade:
    """Mixed into the Core: it provides ``_lock`` and ``_singing``."""

    _lock: threading.RLock
    _singing: Singing

    def phone_pitch(self, singer_id: int | None, batch: PhoneBatch) -> int:
        """Score ``batch`` from the phone of ``singer_id`` (the device's own singer); returns
        how many frames were taken."""
        if not isinstance(batch, PhoneBatch):
            raise TypeError("phone_pitch takes a PhoneBatch")
        with self._lock:
            singing = self._singing
            current = singing.live.current
            if current is None or singing.live.state is not PlaybackState.PLAYING:
                raise Conflict("no song is playing: nothing to listen to")
            if singer_id is None or current.entry.singer_id != singer_id:
                raise PermissionDenied("only the singer whose song is on may send their pitch")
            session = singing.session
            if session is None:
                raise Conflict(singing.summary().no_score_reason or "this song is not scored")
            duet = parts_of(session.sheet) == (1, 2)
            part = (batch.part or 2) if duet else 0
            mic = PHONE_MICS[part]
            session.listen(mic, part)
            position = singing.player.position_s()
            frames = batch.stamped(position, current.entry.settings.tempo_ratio, mic)
            singing.feed(frames)
            return len(frames)
