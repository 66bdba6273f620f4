"""A process that sings songs through the real scorer as fast as it can and acknowledges each
result on stdout once the core has announced it (the song's end handled by the core).

Run by test_durability_scores.py, which kills it with SIGKILL at random moments. Protocol, one
line each, flushed: ``BEGIN <singer>`` before a song ends, ``ACK <singer> <score>`` once the
result is in the snapshot (acknowledged: a phone may have shown it).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from appliance.core.catalog import Catalog
from appliance.core.config import RotationConfig
from appliance.core.ports import ManualClock
from appliance.core.scoring.model import PitchFrame, ScoreNote, ScoreSheet
from appliance.core.service import Actor, Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.store import Store
from tests.support.cores import make_song

HOST = Actor.host()
SHEET = ScoreSheet(
    tuple(ScoreNote(1.0 + i * 0.5, 0.4, 60 + i % 5, line=i // 4) for i in range(16)), 4
)


def main(path: str, seed: int) -> None:
    store = Store.open(Path(path))
    clock = ManualClock()
    player = SilentPlayer(clock, check_files=False)
    rotation = RotationConfig(countdown_s=600.0)  # the result stays in the snapshot meanwhile
    core = Core(store, player, clock=clock, rotation=rotation, sheets=lambda song: SHEET)
    catalog = Catalog(store)
    if catalog.count() == 0:
        catalog.upsert_songs([(make_song(n, duration_s=10.0), f"sig{n}") for n in range(3)])
    rng = random.Random(seed)
    print("READY", flush=True)
    while True:
        singer = core.join(f"singer{rng.randrange(5)}")
        core.queue_song(HOST, singer.singer_id, f"song-{rng.randrange(3)}")
        core.tick()
        if core.snapshot().now is None:
            core.start_next_now(HOST)
        now = core.snapshot().now  # whoever the rotation chose (a song cut by a kill: first)
        assert now is not None
        shift = rng.choice((0.0, 0.6, 0.8, 3.0))
        frames = tuple(
            PitchFrame(n.start_s + i * 0.01, n.pitch_midi + shift)
            for n in SHEET.notes
            for i in range(40)
        )
        player.report_pitch(frames)
        core.tick()
        print(f"BEGIN {now.singer.name}", flush=True)
        clock.advance(11.0)
        player.poll()
        core.tick()
        final = core.snapshot().final_score
        assert final is not None and final.singer_name == now.singer.name
        print(f"ACK {final.singer_name} {final.score}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
