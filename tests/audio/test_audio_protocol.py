"""The engine's pipe messages: every one crosses a pipe (pickled) unchanged, and each side's
``match`` knows every message meant for it."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
import typing

from appliance.audio.engine import protocol
from appliance.core.models import MixSettings, Song, SongId, Stem, StemRole
from appliance.core.scoring.model import PitchFrame

SONG = Song(SongId("s"), "T", "A", 60.0, "/songs/s", stems=(Stem("mix", StemRole.MIX, "m.flac"),))
SAMPLES = [
    protocol.Play(7, SONG, MixSettings(key_semitones=-2), 12.5),
    protocol.Prepare(SONG, MixSettings()),
    protocol.Pause(),
    protocol.Resume(),
    protocol.Stop(),
    protocol.Seek(30.0),
    protocol.ApplySettings(MixSettings(tempo_ratio=0.9)),
    protocol.SetVolume(0.8, True),
    protocol.SetVoice(2, -3.0, 0.4),
    protocol.PlayBreakMusic((SONG,), 0.5),
    protocol.Close(),
    protocol.Reattached(),
    protocol.Ready(1234),
    protocol.Reply(7, None),
    protocol.Reply(8, "the stem is truncated"),
    protocol.Ended(SongId("s")),
    protocol.Failed(SongId("s"), "the stem is truncated"),
    protocol.DeviceNotice(""),
    protocol.PriorityNotice("SCHED_FIFO priority 50", granted=True),
    protocol.PitchFrames((PitchFrame(12.5, 57.2, 1), PitchFrame(12.51, None, 2))),
    protocol.MicNotice(1, "feedback (howl) at 1008 Hz caught: mic 1 turned down 12 dB"),
]


def message_classes() -> set[type]:
    return {
        cls
        for _, cls in inspect.getmembers(protocol, inspect.isclass)
        if cls.__module__ == protocol.__name__ and dataclasses.is_dataclass(cls)
    }


def test_every_message_crosses_a_pipe_unchanged_and_is_frozen():
    assert {type(message) for message in SAMPLES} == message_classes()
    for message in SAMPLES:
        assert pickle.loads(pickle.dumps(message)) == message
        assert type(message).__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_the_unions_cover_every_message_once():
    commands = set(typing.get_args(protocol.Command))
    applied = set(typing.get_args(protocol.ProducerCommand))
    events = set(typing.get_args(protocol.Event))
    assert commands - applied == {protocol.Close}  # the engine's pipe loop takes it
    assert applied - commands == {protocol.Reattached}  # the engine's own, never on the pipe
    assert not (commands | applied) & events
    assert commands | applied | events == message_classes()
