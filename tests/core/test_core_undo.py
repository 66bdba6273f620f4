"""Undo for removals and skips (issue 13, point 6): the entry comes back with its id and place;
a skipped song resumes where it was, or goes first in the queue once another song plays; after
the window (10 s on the core's clock) both answer Conflict; rights as for the change undone;
the singer affected is told, by a notice for their phone only. And renaming (point 10): not to
another singer's name, nor to one that only looks different."""

from __future__ import annotations

import threading

import pytest

from appliance.core import events
from appliance.core.actor import Actor
from appliance.core.errors import Conflict, PermissionDenied
from appliance.core.snapshot import PlaybackState
from appliance.core.undo import UNDO_WINDOW_S
from tests.support.cores import join_and_queue

HOST = Actor.host()


def test_a_removed_entry_comes_back_in_its_place(rig) -> None:  # type: ignore[no-untyped-def]
    first = join_and_queue(rig, "Ada", 1)
    second = join_and_queue(rig, "Ada", 2)
    join_and_queue(rig, "Ada", 3)
    rig.core.remove_entry(HOST, second.entry_id)
    assert [i.entry.entry_id for i in rig.core.snapshot().upcoming] == [first.entry_id, 3]
    rig.clock.advance(UNDO_WINDOW_S - 1)
    rig.core.undo_remove(HOST, second.entry_id)
    upcoming = rig.core.snapshot().upcoming
    assert [i.entry.song_id for i in upcoming] == ["song-1", "song-2", "song-3"]
    assert upcoming[1].entry.entry_id == second.entry_id
    with pytest.raises(Conflict):  # once only
        rig.core.undo_remove(HOST, second.entry_id)


def test_undo_is_refused_after_the_window_and_to_others(rig) -> None:  # type: ignore[no-untyped-def]
    entry = join_and_queue(rig, "Ada", 1)
    bob = rig.core.join("Bob")
    rig.core.remove_entry(HOST, entry.entry_id)
    with pytest.raises(PermissionDenied):
        rig.core.undo_remove(Actor.guest(bob.singer_id), entry.entry_id)
    rig.core.undo_remove(Actor.guest(entry.singer_id), entry.entry_id)  # the owner may
    rig.core.remove_entry(Actor.guest(entry.singer_id), entry.entry_id)
    rig.clock.advance(UNDO_WINDOW_S + 0.5)
    with pytest.raises(Conflict, match="too late"):
        rig.core.undo_remove(HOST, entry.entry_id)
    assert rig.core.snapshot().upcoming == ()


def test_an_undone_skip_resumes_where_it_was(rig) -> None:  # type: ignore[no-untyped-def]
    join_and_queue(rig, "Ada", 1)
    join_and_queue(rig, "Bob", 2)
    rig.core.start_next_now(HOST)
    rig.clock.advance(42)
    rig.core.skip(HOST)
    assert rig.core.snapshot().state is PlaybackState.UP_NEXT
    with pytest.raises(PermissionDenied):
        rig.core.undo_skip(Actor.guest(1))
    assert rig.core.undo_skip(HOST) is True
    snap = rig.core.snapshot()
    assert snap.state is PlaybackState.PLAYING
    assert snap.now is not None and snap.now.singer.name == "Ada"
    assert snap.now.position_s == pytest.approx(42)
    assert [i.singer.name for i in snap.upcoming] == ["Bob"]
    assert [h.outcome for h in rig.core.history()][1] == "skipped"
    with pytest.raises(Conflict):
        rig.core.undo_skip(HOST)


def test_an_undone_skip_waits_first_in_line_when_another_song_plays(rig) -> None:  # type: ignore[no-untyped-def]
    join_and_queue(rig, "Ada", 1)
    join_and_queue(rig, "Bob", 2)
    join_and_queue(rig, "Cy", 3)
    rig.core.start_next_now(HOST)
    rig.core.skip(HOST)
    rig.core.start_next_now(HOST)  # Bob sings already
    assert rig.core.undo_skip(HOST) is False
    snap = rig.core.snapshot()
    assert snap.now is not None and snap.now.singer.name == "Bob"
    assert [i.singer.name for i in snap.upcoming] == ["Ada", "Cy"]
    assert snap.upcoming[0].locked


def test_a_late_undo_skip_is_refused(rig) -> None:  # type: ignore[no-untyped-def]
    join_and_queue(rig, "Ada", 1)
    rig.core.start_next_now(HOST)
    rig.core.skip(HOST)
    rig.clock.advance(UNDO_WINDOW_S + 0.5)
    with pytest.raises(Conflict, match="too late"):
        rig.core.undo_skip(HOST)


def test_the_singer_affected_is_told_and_only_when_someone_else_acted(rig) -> None:  # type: ignore[no-untyped-def]
    told: list[events.SingerNotice] = []
    done = threading.Event()

    def listen(event: events.Event) -> None:
        if isinstance(event, events.SingerNotice):
            told.append(event)
            if len(told) == 3:
                done.set()

    rig.core.subscribe("undo-test", listen)
    entry = join_and_queue(rig, "Ada", 1)
    own = join_and_queue(rig, "Ada", 2)
    rig.core.remove_entry(Actor.guest(own.singer_id), own.entry_id)  # her own: no notice
    rig.core.remove_entry(HOST, entry.entry_id)
    rig.core.undo_remove(HOST, entry.entry_id)
    rig.core.start_next_now(HOST)
    rig.core.skip(HOST)
    assert done.wait(5)
    assert [(n.singer_id, n.message) for n in told] == [
        (entry.singer_id, "The host removed Song 1."),
        (entry.singer_id, "The host put back Song 1."),
        (entry.singer_id, "The host skipped Song 1."),
    ]


def test_the_box_buttons_undo_a_skip_by_holding_next(rig) -> None:  # type: ignore[no-untyped-def]
    from appliance.buttons.layout import DEFAULT_BUTTONS
    from appliance.core.actions import perform

    assert DEFAULT_BUTTONS["next"]["hold"] == "undo_skip"
    join_and_queue(rig, "Ada", 1)
    assert perform(rig.core, "undo_skip").message == "too late to undo the skip"
    rig.core.start_next_now(HOST)
    rig.clock.advance(30)
    assert perform(rig.core, "skip").ok
    result = perform(rig.core, "undo_skip")
    assert (result.ok, result.message) == (True, "Back where it was")
    assert rig.core.snapshot().now.position_s == pytest.approx(30)  # type: ignore[union-attr]


def test_a_singer_renames_but_not_to_another_singers_name_or_a_look_alike(rig) -> None:  # type: ignore[no-untyped-def]
    ada = rig.core.join("Ada")
    rig.core.join("Bob")
    with pytest.raises(PermissionDenied):
        rig.core.rename_singer(Actor.guest(99), ada.singer_id, "Ada L")
    with pytest.raises(Conflict, match="already singing"):
        rig.core.rename_singer(Actor.guest(ada.singer_id), ada.singer_id, "BOB")
    with pytest.raises(Conflict, match="looks too much like"):
        rig.core.rename_singer(Actor.guest(ada.singer_id), ada.singer_id, "Воb")  # Cyrillic В, о
    renamed = rig.core.rename_singer(Actor.guest(ada.singer_id), ada.singer_id, "ada")  # own name
    assert renamed.name == "ada"
    assert rig.core.rename_singer(HOST, ada.singer_id, "Ada Lovelace").name == "Ada Lovelace"
    assert [s.name for s in rig.core.snapshot().singers] == ["Ada Lovelace", "Bob"]
