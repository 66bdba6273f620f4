"""Who sings when: the fair rotation and first-come-first-served, as pure functions.

Fair mode: a bumped singer goes first (in bump order); then singers who have not sung yet, in
arrival order; then whoever has waited longest since they last sang. A singer sings their own
list in their own order. The *locked* singer (chosen when the current song started) is always
next. Paused singers keep their place and are skipped::

    >>> from appliance.core.models import QueueEntry, Singer, SingerId, EntryId, SongId
    >>> ada = Singer(SingerId(1), "Ada", joined_order=1, last_sang_order=5)
    >>> bob = Singer(SingerId(2), "Bob", joined_order=2)
    >>> entries = [QueueEntry(EntryId(10), ada.singer_id, SongId("a"), position=1),
    ...            QueueEntry(EntryId(11), bob.singer_id, SongId("b"), position=2)]
    >>> [e.entry_id for e in upcoming([ada, bob], entries, mode="fair")]
    [11, 10]
    >>> [e.entry_id for e in upcoming([ada, bob], entries, mode="fifo")]
    [10, 11]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from appliance.core.models import QueueEntry, Singer, SingerId

FAIR = "fair"
FIFO = "fifo"


@dataclass(frozen=True)
class _Standing:
    """A singer's place in the fair order: smaller sorts first."""

    bumped: bool
    bump_order: int
    has_sung: bool
    order: int

    def key(self) -> tuple[int, int, int, int]:
        return (0 if self.bumped else 1, self.bump_order, 1 if self.has_sung else 0, self.order)


def _standing(singer: Singer) -> _Standing:
    has_sung = singer.last_sang_order is not None
    return _Standing(
        bumped=singer.bump_order is not None,
        bump_order=singer.bump_order or 0,
        has_sung=has_sung,
        order=singer.joined_order if singer.last_sang_order is None else singer.last_sang_order,
    )


def singer_lists(entries: Iterable[QueueEntry]) -> dict[SingerId, list[QueueEntry]]:
    """Each singer's entries in their own order."""
    lists: dict[SingerId, list[QueueEntry]] = {}
    for entry in sorted(entries, key=lambda e: (e.position, e.entry_id)):
        lists.setdefault(entry.singer_id, []).append(entry)
    return lists


def upcoming(
    singers: Sequence[Singer],
    entries: Sequence[QueueEntry],
    mode: str = FAIR,
    locked_singer: SingerId | None = None,
) -> list[QueueEntry]:
    """Every queued entry of active singers in the order they will be sung."""
    active = {s.singer_id: s for s in singers if not s.paused}
    lists = {
        singer_id: queue
        for singer_id, queue in singer_lists(entries).items()
        if singer_id in active and queue
    }
    order: list[QueueEntry] = []
    if locked_singer in lists:
        order.append(lists[locked_singer].pop(0))
    if mode == FIFO:
        rest = [entry for queue in lists.values() for entry in queue]
        return order + sorted(rest, key=lambda e: (e.position, e.entry_id))
    return order + _fair_order(active, lists, locked_singer)


def _fair_order(
    active: dict[SingerId, Singer],
    lists: dict[SingerId, list[QueueEntry]],
    locked_singer: SingerId | None,
) -> list[QueueEntry]:
    standings = {singer_id: _standing(active[singer_id]) for singer_id in lists}
    turn = 1 + max((s.last_sang_order or 0 for s in active.values()), default=0)
    if locked_singer in standings:
        standings[locked_singer] = _Standing(False, 0, True, turn)
        turn += 1
    order: list[QueueEntry] = []
    while any(lists.values()):
        singer_id = min(
            (sid for sid, queue in lists.items() if queue),
            key=lambda sid: (standings[sid].key(), active[sid].joined_order),
        )
        order.append(lists[singer_id].pop(0))
        standings[singer_id] = _Standing(False, 0, True, turn)
        turn += 1
    return order


def next_singer(
    singers: Sequence[Singer],
    entries: Sequence[QueueEntry],
    mode: str = FAIR,
    locked_singer: SingerId | None = None,
) -> SingerId | None:
    """The singer whose song comes next, or None when nobody active has a song queued."""
    order = upcoming(singers, entries, mode, locked_singer)
    return order[0].singer_id if order else None
