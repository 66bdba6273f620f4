"""The buses stretched on parallel threads give exactly what one after the other gives."""

from __future__ import annotations

import numpy as np

from appliance.audio.dsp.bus_stretch import BusStretching, stretch_bus
from appliance.audio.dsp.routing import Routing
from appliance.audio.dsp.rubberband import Stretcher
from appliance.audio.dsp.song_renderer import RenderOptions
from appliance.audio.export import render_song
from appliance.core.models import MixSettings
from tests.support.audio_songs import clicks, music


def stretchers(key: int) -> list[Stretcher]:
    made = [Stretcher(48_000, 2, quality="r3"), Stretcher(48_000, 2, quality="r3")]
    made[0].set_key(key)
    for stretcher in made:
        stretcher.set_tempo(0.9)
        stretcher.reset()
    return made


def test_parallel_buses_equal_the_same_buses_one_after_the_other():
    buses = [music(2.0, seed=7), clicks(2.0)]
    parallel, alone = stretchers(2), stretchers(2)
    pool = BusStretching()
    got: list[list[np.ndarray]] = [[], []]
    expected: list[list[np.ndarray]] = [[], []]
    try:
        for start in range(0, len(buses[0]), 1024):
            final = start + 1024 >= len(buses[0])
            chunks = [bus[start : start + 1024] for bus in buses]
            jobs = list(zip(parallel, chunks, strict=True))
            for index, out in enumerate(pool.stretch(jobs, final=final)):
                got[index].append(out)
            for index in range(2):
                expected[index].append(stretch_bus(alone[index], chunks[index], final=final))
    finally:
        pool.close()
    for index in range(2):
        assert np.array_equal(np.concatenate(got[index]), np.concatenate(expected[index]))


def test_the_music_on_four_outputs_equals_the_music_alone_on_two(songs):
    settings = MixSettings(key_semitones=2, tempo_ratio=0.9)
    four = render_song(songs["band"], settings, RenderOptions(routing=Routing("four", 4)))
    stereo = render_song(songs["band"], settings, RenderOptions(routing=Routing("stereo", 2)))
    assert np.array_equal(four[:, :2], stereo)
    assert np.abs(four[:, 2:]).max() > 0.3  # the click, stretched beside it
