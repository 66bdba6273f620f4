"""MixSettings.vocal_reduction and multiplex tracks in the core: validation, old stored JSON,
the host action, the default channel choice of a multiplex song."""

from __future__ import annotations

import dataclasses
import json

import pytest

from appliance.core.actions import ACTIONS, perform
from appliance.core.catalog import Catalog
from appliance.core.errors import InvalidRequest
from appliance.core.models import MixSettings, Song, SongId, Stem, StemRole
from appliance.core.service import Actor
from appliance.core.store import Store
from tests.support.cores import build_rig

OLD_ROW = {"key_semitones": 2, "tempo_ratio": 0.9, "guide_level": 0.5, "stem_gains": {"d": 0.0}}


def mix_song(n: int, tags: tuple[str, ...] = ()) -> Song:
    return Song(
        SongId(f"mix-{n}"), f"Mix {n}", "Artist", 120.0, f"/library/mix-{n}.mp3",
        tags=tags, stems=(Stem("mix", StemRole.MIX, "mix.mp3"),),
    )  # fmt: skip


def test_vocal_reduction_is_off_by_default_and_round_trips():
    assert MixSettings().vocal_reduction is False
    on = MixSettings(vocal_reduction=True)
    assert on.to_dict()["vocal_reduction"] is True
    assert MixSettings.from_dict(json.loads(json.dumps(on.to_dict()))) == on


def test_old_settings_without_the_field_still_load():
    settings = MixSettings.from_dict(OLD_ROW)
    assert settings.vocal_reduction is False and settings.key_semitones == 2
    base = MixSettings(vocal_reduction=True)
    assert MixSettings.from_dict({"key_semitones": 1}, base=base).vocal_reduction is True


@pytest.mark.parametrize("value", ["yes", 1, 0, None, [True]])
def test_vocal_reduction_must_be_a_boolean(value):
    with pytest.raises(InvalidRequest) as error:
        MixSettings.from_dict({"vocal_reduction": value})
    assert error.value.field == "vocal_reduction"
    with pytest.raises(InvalidRequest):
        MixSettings(vocal_reduction=value).validated()  # type: ignore[arg-type]


def test_queue_rows_stored_before_the_field_load_after_a_restart(tmp_path):
    path = tmp_path / "state.sqlite3"
    rig = build_rig(Store.open(path))
    ada = rig.core.join("Ada")
    rig.core.queue_song(Actor.guest(ada.singer_id), ada.singer_id, "song-1")
    with rig.store.transaction() as db:  # as an older version of the box wrote it
        db.execute("UPDATE entries SET settings = ?", (json.dumps(OLD_ROW),))
    rig.store.close()
    again = build_rig(Store.open(path))
    entry = again.core.snapshot().upcoming[0].entry
    assert entry.settings == MixSettings.from_dict(OLD_ROW)
    assert entry.settings.vocal_reduction is False


def test_the_host_action_toggles_vocal_reduction_live(rig):
    assert "vocal_reduction_toggle" in ACTIONS
    assert not perform(rig.core, "vocal_reduction_toggle").ok  # nothing plays
    ada = rig.core.join("Ada")
    rig.core.queue_song(Actor.guest(ada.singer_id), ada.singer_id, "song-1")
    rig.core.start_next_now(Actor.host())
    result = perform(rig.core, "vocal_reduction_toggle")
    assert result.ok and result.message == "Vocal reduction on"
    assert rig.core.current_settings().vocal_reduction is True
    assert rig.player.settings.vocal_reduction is True
    assert perform(rig.core, "vocal_reduction_toggle").message == "Vocal reduction off"
    assert rig.core.current_settings().vocal_reduction is False


def test_a_multiplex_song_has_a_guide_and_starts_on_the_left_channel(rig):
    Catalog(rig.store).upsert_songs(
        [(mix_song(1), "sig-m1"), (mix_song(2, ("multiplex", "disc:SC1")), "sig-m2")]
    )
    ada = rig.core.join("Ada")
    plain, multiplex = rig.core.song("mix-1"), rig.core.song("mix-2")
    assert not plain.has_stems and not plain.has_guide
    assert multiplex.has_guide
    assert rig.core.default_settings(ada.singer_id, "mix-1").guide_level == 1.0
    assert rig.core.default_settings(ada.singer_id, "mix-2").guide_level == 0.0
    remembered = dataclasses.replace(MixSettings(), guide_level=1.0)
    entry = rig.core.queue_song(Actor.guest(ada.singer_id), ada.singer_id, "mix-2", remembered)
    assert entry.settings.guide_level == 1.0  # "both" when the singer asks for the guide
