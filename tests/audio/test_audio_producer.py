"""The producer thread on its own: no device, no callback; renderers replaced by a fake whose
songs are made of numbered chunks and may fail at a chosen chunk."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator

import numpy as np
import pytest

from appliance.audio.dsp.routing import Routing
from appliance.audio.engine import song_control
from appliance.audio.engine import status as slots
from appliance.audio.engine.device import EngineOptions
from appliance.audio.engine.producer import Producer
from appliance.audio.engine.protocol import Event, PlayBreakMusic, ProducerCommand
from appliance.core.errors import SongLoadError
from appliance.core.models import MixSettings, Song, SongId, Stem, StemRole

CHUNK = 1024


class FakeRenderer:
    """Stands in for SongRenderer: ``fail_after`` chunks, then SongLoadError (-1: never)."""

    fail_after: dict[str, int] = {}  # noqa: RUF012 - set per test
    levels: dict[str, float] = {}  # noqa: RUF012 - every sample of a song's chunks
    failures: list[tuple[str, float]] = []  # noqa: RUF012

    def __init__(
        self, song: Song, settings: MixSettings, options: object, start_s: float = 0.0
    ) -> None:
        self.song, self.settings, self.position_s = song, settings, start_s
        self.finished = False
        self.chunks = 0

    def render(self) -> tuple[np.ndarray, np.ndarray]:
        limit = self.fail_after.get(self.song.song_id, -1)
        if 0 <= limit <= self.chunks:
            self.failures.append((self.song.song_id, time.monotonic()))
            raise SongLoadError(self.song.song_id, "the stem is truncated")
        self.chunks += 1
        frames = np.full((CHUNK, 2), self.levels.get(self.song.song_id, 0.125), np.float32)
        start = self.position_s
        self.position_s += CHUNK / 48_000
        return frames, start + np.arange(CHUNK) / 48_000

    def apply_settings(self, settings: MixSettings) -> None:
        self.settings = settings

    def close(self) -> None:
        pass


def song(song_id: str) -> Song:
    stem = Stem("mix", StemRole.MIX, "mix.flac")
    return Song(SongId(song_id), song_id, "Tests", 60.0, "/nowhere", stems=(stem,))


@pytest.fixture
def producer(monkeypatch: pytest.MonkeyPatch) -> Iterator[Producer]:
    monkeypatch.setattr(song_control, "SongRenderer", FakeRenderer)
    FakeRenderer.fail_after, FakeRenderer.levels, FakeRenderer.failures = {}, {}, []
    status = slots.EngineStatus.create()
    events: queue.Queue[Event] = queue.Queue()
    commands: queue.Queue[ProducerCommand] = queue.Queue()
    producer = Producer(commands, status, EngineOptions(ring_s=1.0), events.put)
    producer.attach_ring(Routing("stereo", 2), 0.0)
    producer.start()
    yield producer
    producer.stop()
    status.close(unlink=True)


def wait_for(predicate, timeout_s: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.002)
    return predicate()


def record_writes(producer: Producer) -> list[tuple[float, float]]:
    """(time, first sample) of every write into the producer's ring, from now on."""
    ring = producer.feeder.ring
    assert ring is not None
    writes: list[tuple[float, float]] = []
    write = ring.write

    def recording(frames: np.ndarray, positions: np.ndarray) -> None:
        write(frames, positions)
        writes.append((time.monotonic(), float(frames[0, 0])))

    ring.write = recording  # type: ignore[method-assign]  # a spy on the real ring
    return writes


def test_a_break_song_failing_mid_render_is_skipped(producer: Producer):
    """Break music goes on with the next song; the failed one leaves the playlist."""
    FakeRenderer.fail_after = {"bad": 6}  # the pre-roll (4 chunks) and two more, then fails
    FakeRenderer.levels = {"bad": 0.25, "good": 0.5}
    writes = record_writes(producer)
    producer.commands.put(PlayBreakMusic((song("bad"), song("good")), 0.5))
    assert wait_for(lambda: any(level == 0.5 for _, level in writes)), "no break song after"
    assert [s.song_id for s in producer.songs.break_music.songs] == ["good"]
    assert producer.status.read(slots.STATE) == slots.BREAK


def test_after_a_render_error_the_producer_waits_no_longer_than_a_chunk(producer: Producer):
    """The next break song is queued within a producer wait, not after a sleep longer than the
    ring (a render error once answered True where a wait in seconds was due: a 1 s sleep)."""
    FakeRenderer.fail_after = {"bad": 6}
    FakeRenderer.levels = {"bad": 0.25, "good": 0.5}
    writes = record_writes(producer)
    producer.commands.put(PlayBreakMusic((song("bad"), song("good")), 0.5))
    assert wait_for(lambda: FakeRenderer.failures)
    failed_at = FakeRenderer.failures[0][1]
    assert wait_for(lambda: any(level == 0.5 for _, level in writes)), "no break song after"
    queued_at = next(at for at, level in writes if level == 0.5)
    assert queued_at - failed_at < 0.3
