"""A process that changes the queue as fast as it can and acknowledges each change on stdout.

Run by test_durability.py, which kills it with SIGKILL at random moments. Protocol, one line
each, flushed: ``BEGIN <op> <args>`` before a change, ``ACK <op> <entry_id> <key>`` once the
core's call has returned (the change is acknowledged).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from appliance.core.catalog import Catalog
from appliance.core.config import RotationConfig
from appliance.core.models import MixSettings
from appliance.core.ports import ManualClock
from appliance.core.service import Actor, Core
from appliance.core.silent_player import SilentPlayer
from appliance.core.store import Store
from tests.support.cores import make_song

HOST = Actor.host()


def main(path: str, seed: int) -> None:
    store = Store.open(Path(path))
    clock = ManualClock()
    core = Core(
        store,
        SilentPlayer(clock, check_files=False),
        clock=clock,
        rotation=RotationConfig(per_singer_limit=100),
    )
    catalog = Catalog(store)
    if catalog.count() == 0:
        catalog.upsert_songs([(make_song(n), f"sig{n}") for n in range(10)])
    rng = random.Random(seed)
    singers = [core.join(f"singer{n}").singer_id for n in range(5)]
    print("READY", flush=True)
    while True:
        entries = [item.entry.entry_id for item in core.snapshot().upcoming]
        op = rng.choice(["add", "add", "key", "remove"] if entries else ["add"])
        if op == "add":
            singer, key = rng.choice(singers), rng.randint(-12, 12)
            print(f"BEGIN add {singer} {key}", flush=True)
            entry = core.queue_song(HOST, singer, f"song-{rng.randrange(10)}", MixSettings(key))
            print(f"ACK add {entry.entry_id} {key}", flush=True)
        elif op == "key":
            entry_id, key = rng.choice(entries), rng.randint(-12, 12)
            print(f"BEGIN key {entry_id} {key}", flush=True)
            core.update_entry(HOST, entry_id, MixSettings(key))
            print(f"ACK key {entry_id} {key}", flush=True)
        else:
            entry_id = rng.choice(entries)
            print(f"BEGIN remove {entry_id}", flush=True)
            core.remove_entry(HOST, entry_id)
            print(f"ACK remove {entry_id} 0", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
