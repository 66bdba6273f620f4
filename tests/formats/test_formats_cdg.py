"""CD+G decoder against generated streams and an independent reference model."""

from __future__ import annotations

import random

import pytest

from appliance.library.formats.cdg import CdgDecoder
from tests.support.cdg_gen import (
    Reference,
    border_preset,
    define_transparent,
    encode,
    load_colors,
    memory_preset,
    random_instruction,
    scroll,
    tile,
)

CHECKER = [0b101010, 0b010101] * 6
RAMP = [(i, 15 - i, i // 2) for i in range(8)]
WARM = [(15, i * 2, 0) for i in range(8)]


def scripted_schedule():
    """Every instruction in a song-like order; packet index -> instruction."""
    return [
        (0, load_colors(False, RAMP)),
        (1, load_colors(True, WARM)),
        (2, memory_preset(1)),
        (3, memory_preset(1, repeat=1)),  # burst repeat: no visible change
        (10, border_preset(9)),
        (20, tile(2, 3, 1, 1, CHECKER)),
        (21, tile(0, 5, 17, 49, [0x3F] * 12)),
        (22, tile(4, 4, 18, 3, CHECKER)),  # row out of range: ignored
        (23, tile(4, 4, 2, 50, CHECKER)),  # column out of range: ignored
        (30, tile(0, 6, 1, 1, [0b111000] * 12, xor=True)),  # wipe on palette indices
        (40, load_colors(False, list(reversed(RAMP)))),  # palette-only highlight
        (50, scroll(7, 1, 3, 0, 0)),  # preset, right 6 px, h offset 3
        (60, scroll(0, 0, 0, 2, 5, copy=True)),  # copy, up 12 px, v offset 5
        (70, scroll(8, 2, 0, 1, 11)),  # preset, left and down
        (80, define_transparent(list(range(16)))),
        (90, scroll(0, 2, 5, 2, 0, copy=True)),
        (100, tile(1, 14, 5, 10, [0b100001] * 12, xor=True)),
    ]


def check_frame(frame, model: Reference) -> None:
    assert frame.pixels == model.pixels()
    assert frame.palette == model.palette_bytes()
    assert (frame.h_offset, frame.v_offset) == (model.h_offset, model.v_offset)
    assert frame.viewport() == model.viewport()


def test_scripted_stream_matches_reference_after_each_instruction():
    schedule = scripted_schedule()
    decoder = CdgDecoder(encode(schedule, 330))
    model = Reference()
    for index, instruction in schedule:
        model.run(instruction)
        check_frame(decoder.frame_at((index + 0.5) / 300), model)
    assert decoder.duration_s == pytest.approx(1.1)


def test_palette_only_change_bumps_version_and_repeat_preset_does_not():
    decoder = CdgDecoder(encode(scripted_schedule(), 330))
    before = decoder.frame_at(39.5 / 300)
    after = decoder.frame_at(40.5 / 300)
    assert after.pixels == before.pixels and after.palette != before.palette
    assert after.version == before.version + 1
    assert after.changed_s == pytest.approx(40 / 300)
    first = decoder.frame_at(2.5 / 300)
    second = decoder.frame_at(3.5 / 300)
    assert second.version == first.version


def test_seek_back_reparses_and_position_zero_applies_first_packet():
    schedule = scripted_schedule()
    decoder = CdgDecoder(encode(schedule, 330))
    late = decoder.frame_at(1.0)
    early = decoder.frame_at(20.5 / 300)
    model = Reference()
    for index, instruction in schedule:
        if index <= 20:
            model.run(instruction)
    check_frame(early, model)
    assert decoder.frame_at(1.0) == late
    assert decoder.frame_at(0.0).palette[:3] == bytes((0, 255, 0))


def test_last_change_time_and_trailing_partial_packet():
    data = encode(scripted_schedule(), 600) + b"\x09\x06\x00"
    decoder = CdgDecoder(data)
    assert decoder.packet_count == 600
    assert decoder.last_change_s() == pytest.approx(100 / 300)
    assert decoder.frame_at(1.5).changed_s == pytest.approx(100 / 300)


def test_transparency_kept_or_ignored():
    data = encode([(0, define_transparent(list(range(16))))], 10)
    assert CdgDecoder(data).frame_at(1).transparency == bytes(16)
    assert CdgDecoder(data, keep_transparent=True).frame_at(1).transparency == bytes(range(16))


def test_non_graphics_and_empty_streams():
    assert CdgDecoder(b"").frame_at(3).pixels == bytes(300 * 216)
    assert CdgDecoder(b"\x00" * 23).packet_count == 0
    junk = bytes([8, 1, 0, 0, 5] + [0] * 19) * 10  # command 8 memory-preset lookalike
    assert CdgDecoder(junk).frame_at(1).version == 0


@pytest.mark.parametrize("seed", range(6))
def test_random_streams_match_reference_pixel_for_pixel(seed):
    rng = random.Random(seed)
    schedule = [(i * 3, random_instruction(rng)) for i in range(60)]
    decoder = CdgDecoder(encode(schedule, 200, seed=seed))
    model = Reference()
    for index, instruction in schedule:
        model.run(instruction)
        check_frame(decoder.frame_at((index + 1) / 300), model)


def test_seeking_back_through_checkpoints_matches_a_fresh_decode():
    rng = random.Random(42)
    schedule = [(i, random_instruction(rng)) for i in range(5000)]
    data = encode(schedule, 5100, seed=5)
    decoder = CdgDecoder(data)
    decoder.frame_at(17.0)
    for position in (16.0, 3.0, 9.9, 6.83, 0.01, 14.2):
        assert decoder.frame_at(position) == CdgDecoder(data).frame_at(position)
    assert decoder.last_change_s() == CdgDecoder(data).frame_at(17).changed_s
