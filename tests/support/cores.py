"""The core builder: a real Core over a real SQLite store, a silent player and a manual clock,
with songs song-0..song-N in its catalog (their files need not exist)."""

from __future__ import annotations

from dataclasses import dataclass

from appliance.core.catalog import Catalog
from appliance.core.config import RotationConfig
from appliance.core.models import MixSettings, QueueEntry, Song, SongId, Stem, StemRole
from appliance.core.ports import ManualClock
from appliance.core.service import Actor, Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.singing import SheetSource
from appliance.core.store import Store


def make_song(n: int, duration_s: float = 120.0, title: str | None = None) -> Song:
    """A catalog song whose files need not exist (the silent player does not check them)."""
    return Song(
        song_id=SongId(f"song-{n}"),
        title=title or f"Song {n}",
        artist=f"Artist {n % 7}",
        duration_s=duration_s,
        path=f"/library/song-{n}",
        stems=(
            Stem("drums", StemRole.DRUMS, "drums.flac"),
            Stem("lead", StemRole.LEAD_VOCAL, "lead.flac"),
        ),
    )


@dataclass
class Rig:
    """A core with its clock and player, and songs song-0..song-N in the catalog."""

    core: Core
    clock: ManualClock
    player: SilentPlayer
    store: Store

    def finish_song(self) -> None:
        """Let the current song play to its end and the core react."""
        snapshot = self.core.snapshot()
        if snapshot.now is not None:
            remaining = snapshot.now.song.duration_s - snapshot.now.position_s
            self.clock.advance(remaining / snapshot.now.settings.tempo_ratio + 0.01)
        self.player.poll()
        self.core.tick()

    def run_countdown(self) -> None:
        """Let the up-next countdown run out."""
        self.clock.advance(self.core.settings().countdown_s + 0.01)
        self.core.tick()


def build_rig(
    store: Store,
    songs: int = 20,
    mode: str = "fair",
    limit: int = 3,
    sheets: SheetSource | None = None,
) -> Rig:
    """A core on ``store`` with ``songs`` songs, rotation ``mode`` and per-singer ``limit``;
    ``sheets`` gives songs their notes (None: no song is scored)."""
    clock = ManualClock()
    player = SilentPlayer(clock, check_files=False)
    core = Core(
        store,
        player,
        clock=clock,
        rotation=RotationConfig(mode=mode, per_singer_limit=limit),
        sheets=sheets,
    )
    Catalog(store).upsert_songs([(make_song(n), f"sig-{n}") for n in range(songs)])
    return Rig(core, clock, player, store)


def join_and_queue(rig: Rig, name: str, song: int, **settings: object) -> QueueEntry:
    """``name`` joins (or comes back) and queues song-``song`` as a guest, with mix ``settings``."""
    singer = rig.core.join(name)
    mix = MixSettings(**settings) if settings else None  # type: ignore[arg-type]
    return rig.core.queue_song(Actor.guest(singer.singer_id), singer.singer_id, f"song-{song}", mix)
