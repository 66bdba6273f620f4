"""The playback state as one typed object: what plays, who is next, the countdown, the volume.

:class:`LiveState` is written only by the core's collaborators (the playback machine and the
transport), under the core's lock, and read by the snapshot builder. :class:`CurrentSong` is
the entry being sung with its history row; it is saved to the store so that a song cut by a
restart goes back to the front of the line. The store keys of the live state are named here
once; :func:`saved_live_state` reads them back for a process without a running core::

    >>> live = LiveState()
    >>> live.state.value, live.is_playing()
    ('idle', False)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from appliance.core.models import EntryId, MixSettings, QueueEntry, SingerId, SongId
from appliance.core.snapshot import PlaybackState
from appliance.core.store import Store

LOCKED_KEY = "locked_singer"
"""Store key: the singer locked as next (or null)."""
CURRENT_KEY = "current"
"""Store key: the song being sung (:meth:`CurrentSong.to_json`, or null)."""
VOLUME_KEY = "volume"
"""Store key: the master volume 0..1."""


@dataclass
class CurrentSong:
    """The entry being sung (its settings change live) and its history row."""

    entry: QueueEntry
    history_id: int

    def to_json(self) -> dict[str, object]:
        """The form saved in the store under ``current``."""
        e = self.entry
        return {
            "entry_id": e.entry_id, "singer_id": e.singer_id, "song_id": e.song_id,
            "settings": e.settings.to_dict(), "position": e.position, "added_at": e.added_at,
            "history_id": self.history_id,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, object]) -> CurrentSong:
        """Back from :meth:`to_json`."""
        entry = QueueEntry(
            EntryId(int(data["entry_id"])),  # type: ignore[call-overload]  # JSON: an int
            SingerId(int(data["singer_id"])),  # type: ignore[call-overload]  # JSON: an int
            SongId(str(data["song_id"])),
            MixSettings.from_stored(data["settings"]),
            int(data["position"]),  # type: ignore[call-overload]  # JSON: an int
            float(data["added_at"]),  # type: ignore[arg-type]  # JSON: a number
        )
        return cls(entry, int(data["history_id"]))  # type: ignore[call-overload]  # JSON: an int


@dataclass
class LiveState:
    """Everything about playback that is not the queue itself."""

    state: PlaybackState = PlaybackState.IDLE
    current: CurrentSong | None = None
    locked: SingerId | None = None
    """The singer locked as next: stays next whatever the rotation says, until they sing."""
    deadline: float | None = None
    """When the up-next countdown ends (the clock's monotonic seconds)."""
    last_failure: str = ""
    device_problem: str = ""
    audio_priority: str = ""
    mics: dict[int, str] = field(default_factory=dict)
    """Each microphone the player has told of: its problem, or "" when it is fine."""
    volume: float = 0.8
    muted: bool = False

    def is_playing(self) -> bool:
        """A song is on (playing or paused)."""
        return self.current is not None and self.state in (
            PlaybackState.PLAYING,
            PlaybackState.PAUSED,
        )


def saved_live_state(store: Store, volume: float = 0.8) -> LiveState:
    """The live state as a running core last saved it, read only. What only a running core
    knows is left out: the state is playing if a song was on, up next if someone is locked, else
    idle; no countdown deadline, no failure or device message."""
    saved = store.get_value(CURRENT_KEY)
    current = CurrentSong.from_json(saved) if saved else None
    locked = store.get_value(LOCKED_KEY)
    if current is not None:
        state = PlaybackState.PLAYING
    else:
        state = PlaybackState.IDLE if locked is None else PlaybackState.UP_NEXT
    volume = float(store.get_value(VOLUME_KEY, volume))
    return LiveState(state=state, current=current, locked=locked, volume=volume)
