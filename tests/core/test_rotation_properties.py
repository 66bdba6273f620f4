"""Property-based tests of the fair rotation over random nights (hypothesis state machine).

Random joins, queues, host moves, pauses, removals, bumps and songs ending are applied to a real
Core. After every step:
- the locked next singer never changes, except by an explicit override on that lock (a bump,
  pausing or removing the locked singer, removing their last song, a change of mode);
- when a singer starts a song, every other singer who waited the whole time since that
  singer's previous song (active, unpaused, with a song queued throughout) has sung since:
  everyone sings once per round;
- a bumped singer sings next.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from appliance.core.service import Actor
from appliance.core.snapshot import PlaybackState
from appliance.core.store import Store
from tests.support.cores import build_rig

HOST = Actor.host()
NAMES = [f"singer{i}" for i in range(6)]


class Night(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.rig = build_rig(Store.open_memory(), songs=10, limit=3)
        self.core = self.rig.core
        self.lock = None  # (singer_id) we expect to stay locked
        self.override = False
        self.started: list[int] = []  # singer ids in the order their songs started
        self.waiting_since: dict[int, int] = {}  # singer -> index into started when continuous
        self.expected_next: int | None = None

    # --- helpers ------------------------------------------------------------------------

    def singer_ids(self) -> list[int]:
        return [s.singer_id for s in self.core.snapshot().singers]

    def locked(self) -> int | None:
        first = next(iter(self.core.snapshot().upcoming), None)
        return first.singer.singer_id if first is not None and first.locked else None

    def note_song_started(self) -> None:
        snap = self.core.snapshot()
        if snap.now is None or (self.started and snap.now.entry.entry_id == self.last_entry):
            return
        self.last_entry = snap.now.entry.entry_id
        singer = snap.now.singer.singer_id
        if self.expected_next is not None:
            assert singer == self.expected_next, "a bumped singer must sing next"
            self.expected_next = None
        previous = max((i for i, s in enumerate(self.started) if s == singer), default=None)
        if previous is not None:
            sang_since = set(self.started[previous + 1 :])
            for other, since in self.waiting_since.items():
                if other != singer and since <= previous and other not in sang_since:
                    raise AssertionError(
                        f"singer {singer} sang twice while {other} waited the whole round"
                    )
        self.started.append(singer)
        self.waiting_since.pop(singer, None)

    last_entry = None

    def refresh_waiting(self) -> None:
        snap = self.core.snapshot()
        queued = {item.singer.singer_id for item in snap.upcoming}
        singing = snap.now.singer.singer_id if snap.now else None
        for singer in snap.singers:
            sid = singer.singer_id
            active = sid in queued and not singer.paused
            if not active or sid == singing:
                self.waiting_since.pop(sid, None)
            elif sid not in self.waiting_since:
                self.waiting_since[sid] = len(self.started)

    def after(self, override: bool = False) -> None:
        snap = self.core.snapshot()
        entry_id = snap.now.entry.entry_id if snap.now else None
        if override:
            self.overridden = True
        if entry_id is not None and entry_id != self.playing_entry:
            # a new song started: it must be the singer locked during the previous song
            if self.lock is not None and not self.overridden:
                assert snap.now.singer.singer_id == self.lock, "the locked singer did not sing"
            self.playing_entry, self.overridden = entry_id, False
            self.lock = self.locked()
        elif entry_id is not None:
            now_locked = self.locked()
            if self.lock is not None and not self.overridden and now_locked is not None:
                assert now_locked == self.lock, "the locked next singer changed"
            if self.lock is None or self.overridden:
                self.lock = now_locked
        else:
            self.playing_entry, self.lock = None, None
        queued = {item.singer.singer_id for item in snap.upcoming}
        if (
            self.expected_next is not None
            and self.expected_next not in queued
            and (snap.now is None or snap.now.singer.singer_id != self.expected_next)
        ):
            self.expected_next = None  # the bumped singer left or removed their songs
        self.note_song_started()
        self.refresh_waiting()

    playing_entry = None
    overridden = False

    # --- rules ----------------------------------------------------------------------------

    @rule(name=st.sampled_from(NAMES), song=st.integers(0, 9))
    def join_and_queue(self, name, song):
        singer = self.core.join(name).singer_id
        try:
            self.core.queue_song(Actor.guest(singer), singer, f"song-{song}")
        except Exception as error:  # the per-singer limit
            assert "already has" in str(error)
        self.after()

    @rule()
    def next_song(self):
        """The countdown runs out, or the song playing ends."""
        if self.core.snapshot().state is PlaybackState.UP_NEXT:
            self.rig.run_countdown()
        elif self.core.snapshot().now is not None:
            self.rig.finish_song()
        self.after()

    @rule(data=st.data())
    def move_entry(self, data):
        if data.draw(st.integers(0, 3), label="act") != 0:
            return
        entries = [i.entry for i in self.core.snapshot().upcoming]
        if entries:
            entry = data.draw(st.sampled_from(entries))
            self.core.move_entry(HOST, entry.entry_id, data.draw(st.integers(0, 3)))
        self.after()

    @rule(data=st.data(), paused=st.booleans())
    def pause_singer(self, data, paused):
        if data.draw(st.integers(0, 3), label="act") != 0:
            return
        ids = self.singer_ids()
        if ids:
            singer = data.draw(st.sampled_from(ids))
            self.core.pause_singer(HOST, singer, paused)
            self.after(override=singer == self.lock)
            return
        self.after()

    @rule(data=st.data())
    def remove_entry(self, data):
        if data.draw(st.integers(0, 3), label="act") != 0:
            return
        entries = [i.entry for i in self.core.snapshot().upcoming]
        if entries:
            entry = data.draw(st.sampled_from(entries))
            self.core.remove_entry(HOST, entry.entry_id)
            self.after(override=entry.singer_id == self.lock)
            return
        self.after()

    @rule(data=st.data())
    def remove_singer(self, data):
        if data.draw(st.integers(0, 3), label="act") != 0:
            return
        ids = self.singer_ids()
        if ids:
            singer = data.draw(st.sampled_from(ids))
            self.core.remove_singer(HOST, singer)
            self.waiting_since.pop(singer, None)
            self.after(override=singer == self.lock)
            return
        self.after()

    @rule(data=st.data())
    def bump(self, data):
        if data.draw(st.integers(0, 3), label="act") != 0:
            return
        queued = sorted({i.singer.singer_id for i in self.core.snapshot().upcoming})
        if queued:
            singer = data.draw(st.sampled_from(queued))
            self.core.bump_singer(HOST, singer)
            self.expected_next = singer
            self.waiting_since.clear()  # a bump is an override of fairness for this round
            self.after(override=True)
            assert self.core.snapshot().up_next.singer.singer_id == singer
            return
        self.after()

    @precondition(lambda self: self.core.snapshot().now is not None)
    @rule()
    def host_skips(self):
        self.core.skip(HOST)
        self.after()

    @invariant()
    def up_next_is_the_lock(self):
        snap = self.core.snapshot()
        if snap.upcoming:  # someone can sing next: they are locked, and first
            assert snap.upcoming[0].locked
        assert not any(item.locked for item in snap.upcoming[1:])

    @invariant()
    def no_paused_singer_is_upcoming(self):
        snap = self.core.snapshot()
        paused = {s.singer_id for s in snap.singers if s.paused}
        assert not paused & {i.singer.singer_id for i in snap.upcoming}


Night.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestFairRotation = Night.TestCase
