"""The playback state as one typed object: what plays, who is next, the countdown, the volume.

:class:`LiveState` is written only by the core's collaborators (the playback machine and the
transport), under the core's lock, and read by the snapshot builder. :class:`CurrentSong` is
the entry being sung with its history row; it is saved to the store so that a song cut by a
restart goes back to the front of the line::

    >>> live = LiveState()
    >>> live.state.value, live.is_playing()
    ('idle', False)
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.core.models import EntryId, MixSettings, QueueEntry, SingerId, SongId
from appliance.core.snapshot import PlaybackState


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
            MixSettings.from_dict(data["settings"]),  # type: ignore[arg-type]  # JSON: a dict
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
    volume: float = 0.8
    muted: bool = False

    def is_playing(self) -> bool:
        """A song is on (playing or paused)."""
        return self.current is not None and self.state in (
            PlaybackState.PLAYING,
            PlaybackState.PAUSED,
        )
