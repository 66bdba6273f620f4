"""Vocal reduction on a mix of the demo stems, where the true instrumental is known.

The mix is the sum of one demo song's music stems (drums, bass, keys, backing vocals) and its
lead vocal, as an MP3+G song's stereo file would hold them; the true instrumental is the mix
without the lead vocal. The canceller runs on the mix block by block, as in the engine, and
gives each stem the same per-bin treatment (``process_with``), so what it does to the drums,
the bass and the voice is measured exactly: the stems' outputs add up to the mix's output.

Every figure is of what comes out, the make-up gain (``MAKEUP_DB``) included, over
``SECTION_S`` (verses with drums, bass, keys, backing and the voice).
"""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest

from appliance.audio.dsp.centre import LATENCY_FRAMES, CentreCanceller
from appliance.demosongs import SONGS
from appliance.demosongs.render import SR as RATE
from appliance.demosongs.render import render_stems

SONG = "demo-amazing-grace"
SECTION_S = (20.0, 60.0)
LEAD_IN_S = 4.0  # the canceller starts this much before the section
BLOCK_FRAMES = 1024
MUSIC = ("drums", "bass", "keys", "backing_vocals")
OCTAVES_HZ = (63, 125, 250, 500, 1000, 2000, 4000, 8000, 16000)
BAND_FLOOR_DB = -30.0  # an octave band counts for a stem if it holds this share of its energy


def energy_db(signal: np.ndarray) -> float:
    return float(10 * np.log10(np.sum(signal.astype(np.float64) ** 2) + 1e-30))


def octave_energies(signal: np.ndarray) -> np.ndarray:
    """Energy per octave band (both channels summed) of a stereo signal."""
    spectrum = np.abs(np.fft.rfft(signal.astype(np.float64), axis=0)) ** 2
    power = spectrum.sum(axis=1)
    freqs = np.fft.rfftfreq(len(signal), 1 / RATE)
    edges = [(c / np.sqrt(2), c * np.sqrt(2)) for c in OCTAVES_HZ]
    return np.array([power[(freqs >= lo) & (freqs < hi)].sum() for lo, hi in edges]) + 1e-30


def band_changes_db(before: np.ndarray, after: np.ndarray) -> dict[int, float]:
    """Per octave band holding at least ``BAND_FLOOR_DB`` of ``before``'s energy: the change."""
    inside, outside = octave_energies(before), octave_energies(after)
    share = 10 * np.log10(inside / inside.sum())
    return {
        centre: float(10 * np.log10(out / into))
        for centre, into, out, part in zip(OCTAVES_HZ, inside, outside, share, strict=True)
        if part >= BAND_FLOOR_DB
    }


def above_db(signal: np.ndarray, hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(signal.astype(np.float64), axis=0)) ** 2
    return energy_db(np.sqrt(spectrum[np.fft.rfftfreq(len(signal), 1 / RATE) > hz]))


@pytest.fixture(scope="module")
def demo() -> dict[str, np.ndarray]:
    """The section's mix, the stems and what the canceller made of each (aligned)."""
    stems = render_stems(SONGS[SONG])
    start, end = int((SECTION_S[0] - LEAD_IN_S) * RATE), int(SECTION_S[1] * RATE)
    names = (*MUSIC, "lead_vocal")
    tail = np.zeros((LATENCY_FRAMES, 2), np.float32)
    parts = [np.concatenate([stems[name][start:end], tail]) for name in names]
    mix = np.sum(parts, axis=0, dtype=np.float32)
    canceller = CentreCanceller(followers=len(names))
    outs: list[np.ndarray] = []
    followers: list[list[np.ndarray]] = [[] for _ in names]
    for at in range(0, len(mix), BLOCK_FRAMES):
        out, each = canceller.process_with(
            mix[at : at + BLOCK_FRAMES], [part[at : at + BLOCK_FRAMES] for part in parts]
        )
        outs.append(out)
        for collected, piece in zip(followers, each, strict=True):
            collected.append(piece)
    lead_in = int(LEAD_IN_S * RATE)
    section = slice(lead_in, end - start)
    delayed = slice(lead_in + LATENCY_FRAMES, end - start + LATENCY_FRAMES)
    result = {"mix": mix[section], "out": np.concatenate(outs)[delayed]}
    for name, part, collected in zip(names, parts, followers, strict=True):
        result[name] = part[section]
        result[f"{name} out"] = np.concatenate(collected)[delayed]
    result["instrumental"] = result["mix"] - result["lead_vocal"]
    return result


def test_the_stems_outputs_add_up_to_the_mix_output(demo, margin):
    total = np.sum([demo[f"{name} out"] for name in (*MUSIC, "lead_vocal")], axis=0)
    error = energy_db(total - demo["out"]) - energy_db(demo["out"])
    margin("demo mix: sum of the stems' outputs vs the output", error, "<", -80, "dB")


def test_the_output_is_6_db_closer_to_the_instrumental_than_the_mix(demo, margin):
    """Distance: the energy of (output - instrumental) against that of (mix - instrumental),
    i.e. against the lead vocal's own energy."""
    before = energy_db(demo["mix"] - demo["instrumental"])
    after = energy_db(demo["out"] - demo["instrumental"])
    margin("demo mix: output vs instrumental, against mix vs instrumental", after - before,
           "<=", -6, "dB")  # fmt: skip


BASS_NOT_MET = pytest.mark.xfail(
    strict=True,
    reason="issue 17.5 not met: the bass loses 3.04 dB in the 500 Hz octave (its partials "
    "share bins with the voice's fundamentals; see docs/engine.md)",
)


@pytest.mark.parametrize("stem", ["drums", pytest.param("bass", marks=BASS_NOT_MET)])
def test_the_drums_and_the_bass_keep_their_level_in_every_octave(demo, margin, stem):
    changes = band_changes_db(demo[stem], demo[f"{stem} out"])
    assert len(changes) >= 4
    for centre, change in changes.items():
        margin(f"demo mix: {stem} at {centre} Hz", abs(change), "<=", 3, "dB")


def test_the_voice_is_20_db_down_above_1_khz(demo, margin):
    change = above_db(demo["lead_vocal out"], 1000) - above_db(demo["lead_vocal"], 1000)
    margin("demo mix: lead vocal above 1 kHz", change, "<=", -20, "dB")


def test_the_level_stays_within_1_lu_of_the_mix(demo, margin):
    meter = pyloudnorm.Meter(RATE)
    mix = meter.integrated_loudness(demo["mix"].astype(np.float64))
    out = meter.integrated_loudness(demo["out"].astype(np.float64))
    margin("demo mix: loudness of the output vs the mix", abs(out - mix), "<=", 1, "LU")


# --- through ALSA ------------------------------------------------------------------------------

LIVE_S = (30.0, 40.0)  # ten seconds of the verse, played as an MP3+G song's one stereo mix


def test_the_demo_mix_through_alsa_equals_the_export_and_nears_the_instrumental(
    engine, tmp_path, margin
):
    """Live, on JACK's clock: the capture equals ``karaoke export --vocal-reduction``, and it
    is as much closer to the instrumental (the same song made without the lead vocal, given
    the same loudness so both get the same gain) as offline."""
    from appliance.audio.dsp.song_renderer import RenderOptions
    from appliance.audio.export import render_song
    from appliance.core.models import MixSettings
    from tests.support.audio_songs import make_song
    from tests.support.sound_analysis import align

    stems = render_stems(SONGS[SONG])
    piece = slice(int(LIVE_S[0] * RATE), int(LIVE_S[1] * RATE))
    music = np.sum([stems[name][piece] for name in MUSIC], axis=0, dtype=np.float32)
    mix = music + stems["lead_vocal"][piece]
    lufs = float(pyloudnorm.Meter(RATE).integrated_loudness(mix.astype(np.float64)))
    song = make_song(tmp_path / "mix", {"mix": ("mix", mix)}, loudness=lufs)
    instrumental = make_song(tmp_path / "instr", {"mix": ("mix", music)}, loudness=lufs)
    reduced = MixSettings(vocal_reduction=True)
    rig = engine()
    rig.client.play(song, reduced)
    assert rig.listener.wait(30) and rig.listener.ended == ["mix"]
    captured = rig.capture()
    exported = render_song(song, reduced, RenderOptions())
    offset = align(captured, exported)
    heard = captured[offset : offset + len(exported)]
    error = energy_db(heard - exported[: len(heard)]) - energy_db(exported[: len(heard)])
    margin("demo mix through ALSA vs its export", error, "<", -60, "dB")
    window = slice(2 * RATE, 8 * RATE)  # past the canceller's start and the song's ends
    target = render_song(instrumental, MixSettings(), RenderOptions())[window]
    plain = render_song(song, MixSettings(), RenderOptions())[window]
    closer = energy_db(heard[window] - target) - energy_db(plain - target)
    margin("demo mix through ALSA: output vs instrumental, against the mix", closer, "<=", -6,
           "dB")  # fmt: skip
