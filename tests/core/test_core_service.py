"""The core's public API, used the way frontends use it."""

from __future__ import annotations

import pytest

from appliance.core import events
from appliance.core.errors import (
    Conflict,
    InvalidRequest,
    LimitReached,
    NotFound,
    PermissionDenied,
)
from appliance.core.models import MixSettings
from appliance.core.service import Actor
from appliance.core.snapshot import PlaybackState
from tests.support.cores import join_and_queue as queue

HOST = Actor.host()


def test_first_song_counts_down_then_plays(rig):
    queue(rig, "Ada", 1)
    assert rig.core.snapshot().state is PlaybackState.UP_NEXT
    assert rig.core.snapshot().countdown_s == pytest.approx(15.0)
    rig.run_countdown()
    snap = rig.core.snapshot()
    assert snap.state is PlaybackState.PLAYING
    assert snap.now.singer.name == "Ada" and snap.now.song.song_id == "song-1"


def test_host_starts_at_once_and_song_end_moves_on(rig):
    queue(rig, "Ada", 1)
    queue(rig, "Bob", 2)
    rig.core.start_next_now(HOST)
    assert rig.core.snapshot().now.singer.name == "Ada"
    assert rig.core.snapshot().up_next.singer.name == "Bob"
    rig.finish_song()
    snap = rig.core.snapshot()
    assert snap.state is PlaybackState.UP_NEXT and snap.up_next.singer.name == "Bob"
    rig.run_countdown()
    rig.finish_song()
    assert rig.core.snapshot().state is PlaybackState.IDLE
    assert rig.player.break_music
    outcomes = [(h.singer_name, h.outcome) for h in rig.core.history()]
    assert outcomes == [("Bob", "completed"), ("Ada", "completed")]


def test_guest_cannot_use_host_powers(rig):
    entry = queue(rig, "Ada", 1)
    bob = rig.core.join("Bob")
    guest = Actor.guest(bob.singer_id)
    rig.core.start_next_now(HOST)
    for call in (
        lambda: rig.core.skip(guest),
        lambda: rig.core.pause(guest),
        lambda: rig.core.bump_singer(guest, bob.singer_id),
        lambda: rig.core.set_volume(guest, 0.1),
        lambda: rig.core.update_settings(guest, {"mode": "fifo"}),
        lambda: rig.core.set_live_settings(guest, MixSettings(key_semitones=3)),
    ):
        with pytest.raises(PermissionDenied):
            call()
    queue(rig, "Ada", 2)
    ada_second = rig.core.snapshot().upcoming[0].entry
    with pytest.raises(PermissionDenied):
        rig.core.remove_entry(guest, ada_second.entry_id)
    assert entry.singer_id != bob.singer_id


def test_current_singer_changes_own_key_live_and_it_is_remembered(rig):
    entry = queue(rig, "Ada", 1, key_semitones=2)
    rig.core.start_next_now(HOST)
    ada = Actor.guest(entry.singer_id)
    rig.core.set_live_settings(ada, MixSettings(key_semitones=-3, tempo_ratio=0.9))
    assert rig.core.snapshot().now.settings.key_semitones == -3
    assert rig.player.settings.tempo_ratio == 0.9
    assert rig.core.default_settings(entry.singer_id, "song-1").key_semitones == -3


def test_remembered_settings_are_offered_next_time(rig):
    queue(rig, "Ada", 1, key_semitones=4, guide_level=0.0)
    ada = rig.core.join("ada")  # same person, other spelling
    again = rig.core.queue_song(Actor.guest(ada.singer_id), ada.singer_id, "song-1")
    assert again.settings.key_semitones == 4 and again.settings.guide_level == 0.0


def test_limits_and_validation(rig):
    for n in range(3):
        queue(rig, "Ada", n)
    with pytest.raises(LimitReached):
        queue(rig, "Ada", 4)
    ada = rig.core.join("Ada")
    rig.core.queue_song(HOST, ada.singer_id, "song-5")  # the host may go past the limit
    with pytest.raises(InvalidRequest):
        queue(rig, "Ada2", 1, key_semitones=13)
    with pytest.raises(InvalidRequest):
        MixSettings.from_dict({"tempo_ratio": float("nan")})
    with pytest.raises(InvalidRequest):
        rig.core.join("x" * 41)
    with pytest.raises(InvalidRequest):
        rig.core.join("bad\x00name")
    with pytest.raises(NotFound):
        rig.core.queue_song(HOST, ada.singer_id, "no-such-song")


def test_failed_song_is_skipped_with_a_reason_and_the_night_goes_on(rig):
    seen = []
    rig.core.subscribe("test", seen.append)
    queue(rig, "Ada", 1)
    queue(rig, "Bob", 2)
    rig.player.check_files = True  # song-1's stem files do not exist: it fails to load
    rig.core.start_next_now(HOST)
    snap = rig.core.snapshot()
    assert snap.state is PlaybackState.UP_NEXT and snap.up_next.singer.name == "Bob"
    assert "stem file missing" in snap.last_failure
    assert rig.core.history()[0].outcome == "failed"
    rig.core.close()
    assert any(isinstance(e, events.SongFailed) for e in seen)


def test_player_reported_failure_mid_song_moves_on(rig):
    queue(rig, "Ada", 1)
    queue(rig, "Bob", 2)
    rig.core.start_next_now(HOST)
    rig.player.report_failure("stem drums.flac is corrupt at 61 s")
    rig.core.tick()
    snap = rig.core.snapshot()
    assert snap.up_next.singer.name == "Bob" and "corrupt" in snap.last_failure


def test_pause_resume_skip_restart_seek(rig):
    queue(rig, "Ada", 1)
    with pytest.raises(Conflict):
        rig.core.pause(HOST)
    rig.core.start_next_now(HOST)
    rig.clock.advance(10)
    rig.core.pause(HOST)
    rig.clock.advance(10)
    assert rig.core.snapshot().now.position_s == pytest.approx(10)
    rig.core.resume(HOST)
    rig.core.seek(HOST, 50.0)
    assert rig.core.snapshot().now.position_s == pytest.approx(50)
    with pytest.raises(InvalidRequest):
        rig.core.seek(HOST, 1e9)
    rig.core.restart(HOST)
    assert rig.core.snapshot().now.position_s == pytest.approx(0)
    rig.core.skip(HOST)
    assert rig.core.snapshot().state is PlaybackState.IDLE
    assert rig.core.history()[0].outcome == "skipped"


def test_etas_count_remaining_time_tempo_and_gaps(rig):
    queue(rig, "Ada", 1)  # 120 s songs
    queue(rig, "Bob", 2, tempo_ratio=0.5)
    queue(rig, "Cy", 3)
    rig.core.start_next_now(HOST)
    rig.clock.advance(20)
    etas = [round(item.eta_s, 3) for item in rig.core.snapshot().upcoming]
    between = 15 + 5
    assert etas == [100 + between, 100 + between + 240 + between]


def test_volume_is_validated_and_persisted(rig):
    rig.core.set_volume(HOST, 0.3, muted=True)
    assert rig.core.volume() == (0.3, True)
    assert rig.player.volume == 0.3 and rig.player.muted
    assert rig.store.get_value("volume") == 0.3
    with pytest.raises(InvalidRequest):
        rig.core.set_volume(HOST, 1.5)


def test_settings_update_validated(rig):
    rig.core.update_settings(HOST, {"mode": "fifo", "per_singer_limit": 5})
    assert rig.core.settings().mode == "fifo"
    for bad in ({"mode": "random"}, {"countdown_s": -1}, {"nope": 1}, {"per_singer_limit": True}):
        with pytest.raises(InvalidRequest):
            rig.core.update_settings(HOST, bad)


def test_interrupted_song_goes_back_to_the_front_after_a_restart(tmp_path):
    from appliance.core.store import Store
    from tests.support.cores import build_rig

    path = tmp_path / "state.sqlite3"
    rig = build_rig(Store.open(path))
    queue(rig, "Ada", 1)
    queue(rig, "Bob", 2)
    rig.core.start_next_now(HOST)
    rig.store.close()  # the power goes out mid-song
    again = build_rig(Store.open(path))
    snap = again.core.snapshot()
    assert snap.state is PlaybackState.UP_NEXT and snap.up_next.singer.name == "Ada"
    assert [i.singer.name for i in snap.upcoming] == ["Ada", "Bob"]
    assert again.core.history()[0].outcome == "interrupted"


def test_events_are_published_with_increasing_versions(rig):
    seen = []
    rig.core.subscribe("versions", seen.append)
    queue(rig, "Ada", 1)
    rig.core.start_next_now(HOST)
    rig.core.close()
    versions = [e.version for e in seen]
    assert versions == sorted(versions) and len(versions) >= 3


def test_ids_are_never_reused(rig):
    first = queue(rig, "Ada", 1)
    rig.core.remove_entry(HOST, first.entry_id)
    again = queue(rig, "Ada", 2)
    assert again.entry_id != first.entry_id
    ada = rig.core.join("Ada")
    rig.core.remove_singer(HOST, ada.singer_id)
    assert rig.core.join("Bob").singer_id != ada.singer_id


def test_migration_from_version_1_keeps_the_night(tmp_path):
    import sqlite3

    from appliance.core.store import MIGRATIONS, Store, split_sql

    path = tmp_path / "v1.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    for statement in split_sql(MIGRATIONS[0]):
        old.execute(statement)
    old.execute("PRAGMA user_version=1")
    old.execute("INSERT INTO singers VALUES (1, 'Ada', 'ada', 1, NULL, 0, NULL)")
    old.execute("INSERT INTO entries VALUES (5, 1, 'song-1', '{}', 1, 0.0)")
    old.close()
    store = Store.open(path)
    assert store.schema_version() == len(MIGRATIONS)
    assert store.query("SELECT entry_id, singer_id FROM entries") == [(5, 1)]
    assert store.integrity_ok()
    with store.transaction() as db:
        db.execute("DELETE FROM entries")
        db.execute("INSERT INTO entries(singer_id, song_id, settings, position, added_at) "
                   "VALUES (1, 's', '{}', 2, 0)")  # fmt: skip
    assert store.query("SELECT entry_id FROM entries") == [(6,)]


def test_migration_6_folds_the_search_index_of_songs_already_there(tmp_path):
    import sqlite3

    from appliance.core.catalog import Catalog
    from appliance.core.store import MIGRATIONS, Store, split_sql

    path = tmp_path / "v2.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    for version in (1, 2):
        for statement in split_sql(MIGRATIONS[version - 1]):
            old.execute(statement)
    old.execute("PRAGMA user_version=2")
    old.execute(
        "INSERT INTO songs(song_id, path, signature, kind, title, artist, duration_s, sort_key)"
        " VALUES ('s1', '/a', 'sig', 'native', 'Fußmassage', 'Ørsted', 60, 'x')"
    )
    old.close()
    store = Store.open(path)
    assert store.schema_version() == len(MIGRATIONS)
    catalog = Catalog(store)
    assert [song.title for song in catalog.search("fussmassage orsted")] == ["Fußmassage"]
    assert store.query("SELECT sort_key FROM songs") == [("fussmassage\x01orsted",)]
    catalog.remove_paths(["/a"])
    assert catalog.search("fussmassage") == []
    assert store.integrity_ok()


def test_device_problems_are_kept_until_the_device_is_back(rig):
    rig.player.report_device_problem("USB sound card unplugged")
    rig.core.tick()
    assert rig.core.snapshot().device_problem == "USB sound card unplugged"
    rig.player.report_device_problem("")
    rig.core.tick()
    assert rig.core.snapshot().device_problem == ""


def test_the_audio_threads_priority_reaches_the_snapshot(rig):
    assert rig.core.snapshot().audio_priority == ""
    version = rig.core.snapshot().version
    rig.player.report_audio_priority("SCHED_FIFO priority 50")
    rig.core.tick()
    snapshot = rig.core.snapshot()
    assert (snapshot.audio_priority, snapshot.version) == ("SCHED_FIFO priority 50", version + 1)


def test_failure_message_clears_when_the_next_song_plays(rig):
    queue(rig, "Ada", 1)
    queue(rig, "Bob", 2)
    rig.player.check_files = True
    rig.core.start_next_now(HOST)
    assert rig.core.snapshot().last_failure
    rig.player.check_files = False
    rig.core.start_next_now(HOST)
    assert rig.core.snapshot().last_failure == ""
