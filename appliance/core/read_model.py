"""The core's read model for a process without a running core (``karaoke queue``).

:func:`saved_snapshot` builds the same :class:`~appliance.core.snapshot.Snapshot` a running
core shows, from what the core saved in the store, and writes nothing: the box may be running
in another process. What only a running core knows is left out (the player's position, the
countdown, the last failure): ETAs count as if the current song had just started.
"""

from __future__ import annotations

from appliance.core.catalog import Catalog
from appliance.core.config import RotationConfig
from appliance.core.live_state import saved_live_state
from appliance.core.night import NightState
from appliance.core.settings_book import SettingsBook
from appliance.core.snapshot import Snapshot
from appliance.core.snapshot_builder import SnapshotInputs, build_snapshot
from appliance.core.store import Store


def saved_snapshot(store: Store, rotation: RotationConfig) -> Snapshot:
    """The night as saved in ``store`` (``rotation``: the config's defaults for the settings
    the host has not changed)."""
    inputs = SnapshotInputs(
        version=0,
        live=saved_live_state(store),
        night=NightState(store),
        settings=SettingsBook(store, rotation).current,
        find_song=Catalog(store).find,
        position_s=0.0,
        now=0.0,
    )
    return build_snapshot(inputs)
