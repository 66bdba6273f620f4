"""The rotation rules one by one, on the pure function and through the core."""

from __future__ import annotations

from appliance.core.models import EntryId, QueueEntry, Singer, SingerId, SongId
from appliance.core.rotation import upcoming
from appliance.core.service import Actor
from tests.support.cores import join_and_queue as queue

HOST = Actor.host()


def entry(n: int, singer: int, position: int | None = None) -> QueueEntry:
    return QueueEntry(EntryId(n), SingerId(singer), SongId(f"s{n}"), position=position or n)


def names(rig) -> list[str]:
    return [item.singer.name for item in rig.core.snapshot().upcoming]


def test_newcomers_go_first_in_arrival_order_then_longest_waiting():
    singers = [
        Singer(SingerId(1), "sang-long-ago", 1, last_sang_order=3),
        Singer(SingerId(2), "sang-recently", 2, last_sang_order=9),
        Singer(SingerId(3), "new-first", 3),
        Singer(SingerId(4), "new-second", 4),
    ]
    entries = [entry(10, 2), entry(11, 1), entry(12, 4), entry(13, 3)]
    order = [e.singer_id for e in upcoming(singers, entries)]
    assert order == [3, 4, 1, 2]


def test_each_singer_sings_their_own_list_in_order_once_per_round():
    singers = [Singer(SingerId(1), "a", 1), Singer(SingerId(2), "b", 2)]
    entries = [entry(1, 1), entry(2, 1), entry(3, 1), entry(4, 2), entry(5, 2)]
    assert [e.entry_id for e in upcoming(singers, entries)] == [1, 4, 2, 5, 3]


def test_fifo_is_first_come_first_served():
    singers = [Singer(SingerId(1), "a", 1), Singer(SingerId(2), "b", 2)]
    entries = [entry(1, 1), entry(2, 1), entry(3, 2)]
    assert [e.entry_id for e in upcoming(singers, entries, mode="fifo")] == [1, 2, 3]


def test_locked_singer_stays_next_when_a_newcomer_arrives(rig):
    queue(rig, "Ada", 1)
    queue(rig, "Bob", 2)
    queue(rig, "Ada", 3)
    rig.core.start_next_now(HOST)  # Ada sings, Bob is locked next
    queue(rig, "Newcomer", 4)  # has not sung: would go first, but Bob is locked
    assert names(rig) == ["Bob", "Newcomer", "Ada"]
    assert rig.core.snapshot().upcoming[0].locked


def test_paused_singer_keeps_place_and_is_skipped(rig):
    queue(rig, "Ada", 1)
    queue(rig, "Bob", 2)
    queue(rig, "Cy", 3)
    rig.core.start_next_now(HOST)  # Ada sings; Bob locked
    bob = rig.core.join("Bob")
    rig.core.pause_singer(Actor.guest(bob.singer_id), bob.singer_id, True)
    assert names(rig) == ["Cy"]
    rig.core.pause_singer(HOST, bob.singer_id, False)
    assert names(rig) == ["Cy", "Bob"]  # Cy was locked while Bob was away; Bob is next after


def test_bump_makes_a_singer_next_even_over_the_lock(rig):
    for name, song in (("Ada", 1), ("Bob", 2), ("Cy", 3), ("Di", 4)):
        queue(rig, name, song)
    rig.core.start_next_now(HOST)
    di = rig.core.join("Di")
    rig.core.bump_singer(HOST, di.singer_id)
    assert names(rig)[0] == "Di"
    rig.finish_song()
    rig.run_countdown()
    assert rig.core.snapshot().now.singer.name == "Di"


def test_move_entry_reorders_the_singers_own_list(rig):
    first = queue(rig, "Ada", 1)
    queue(rig, "Ada", 2)
    third = queue(rig, "Ada", 3)
    rig.core.move_entry(Actor.guest(first.singer_id), third.entry_id, 0)
    assert [i.entry.song_id for i in rig.core.snapshot().upcoming] == ["song-3", "song-1", "song-2"]


def test_host_move_in_fifo_mode_reorders_the_whole_queue(fifo_rig):
    queue(fifo_rig, "Ada", 1)
    queue(fifo_rig, "Bob", 2)
    cy = queue(fifo_rig, "Cy", 3)
    fifo_rig.core.move_entry(HOST, cy.entry_id, 1)
    assert names(fifo_rig) == ["Ada", "Cy", "Bob"]


def test_removing_the_locked_singer_locks_the_next_one(rig):
    queue(rig, "Ada", 1)
    queue(rig, "Bob", 2)
    queue(rig, "Cy", 3)
    rig.core.start_next_now(HOST)
    bob = rig.core.join("Bob")
    rig.core.remove_singer(HOST, bob.singer_id)
    assert names(rig) == ["Cy"] and rig.core.snapshot().upcoming[0].locked
