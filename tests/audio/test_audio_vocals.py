"""Songs without stems: vocal reduction and multiplex tracks, offline and through ALSA."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest

from appliance.audio.dsp.centre import LATENCY_FRAMES, MAKEUP_DB, CentreCanceller
from appliance.audio.dsp.limiter import Limiter
from appliance.audio.dsp.song_renderer import RenderOptions, SongRenderer
from appliance.audio.export import render_song
from appliance.audio.loudness import with_loudness
from appliance.cli import main
from appliance.core.models import MixSettings
from tests.support.audio_songs import RATE, make_song, tone
from tests.support.sound_analysis import align, first_sound, longest_silence

SECONDS = 4.0
VOCAL_HZ, LEFT_HZ, RIGHT_HZ, BASS_HZ = 440.0, 1000.0, 1500.0, 70.0
DRY = RenderOptions(normalize_loudness=False)
REDUCED = MixSettings(vocal_reduction=True)


def panned(freq: float, left: float, right: float, level: float = 0.15) -> np.ndarray:
    signal = tone(freq, SECONDS, level)
    return signal * np.array([left, right], np.float32)


def stereo_mix() -> np.ndarray:
    """A centred 'vocal', two panned instruments and a centred bass below 120 Hz."""
    return (
        tone(VOCAL_HZ, SECONDS, 0.2)
        + panned(LEFT_HZ, 1.0, 0.2)
        + panned(RIGHT_HZ, 0.1, 1.0)
        + tone(BASS_HZ, SECONDS, 0.2)
    )


def multiplex_track() -> np.ndarray:
    """Left: the instrumental (a tone); right: the same tone and a 'guide vocal'."""
    instrumental = tone(330.0, SECONDS, 0.2, stereo=False)
    vocal = tone(VOCAL_HZ, SECONDS, 0.2, stereo=False)
    return np.stack([instrumental, instrumental + vocal], axis=1)


@pytest.fixture(scope="module")
def mix_songs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("vocal-songs")
    plain = make_song(root / "mix", {"mix": ("mix", stereo_mix())})
    mpx = make_song(root / "mpx", {"mix": ("mix", multiplex_track())})
    mpx = dataclasses.replace(mpx, tags=("multiplex",))
    return {"mix": plain, "multiplex": mpx}


def band_db(signal: np.ndarray, freq: float) -> float:
    """Energy (dB) within 3% of ``freq`` in a mono signal."""
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(len(signal)))) ** 2
    freqs = np.fft.rfftfreq(len(signal), 1 / RATE)
    return 10 * np.log10(spectrum[np.abs(freqs - freq) < 0.03 * freq].sum() + 1e-20)


def changes_db(before: np.ndarray, after: np.ndarray) -> dict[float, float]:
    """Per test frequency, the level change (dB) over both channels, the canceller's make-up
    gain (``MAKEUP_DB``, the same for every frequency) not counted."""
    return {
        freq: max(
            (band_db(after[:, ch], freq) - band_db(before[:, ch], freq) for ch in (0, 1)),
            key=abs,
        )
        - MAKEUP_DB
        for freq in (VOCAL_HZ, LEFT_HZ, RIGHT_HZ, BASS_HZ)
    }


def test_vocal_reduction_takes_out_the_centre_and_keeps_the_sides_and_the_bass(mix_songs, margin):
    song = mix_songs["mix"]
    window = slice(RATE // 2, int(3.5 * RATE))
    dry = render_song(song, MixSettings(), DRY)[window]
    reduced = render_song(song, REDUCED, DRY)[window]
    change = changes_db(dry, reduced)
    margin("centre tone change", change[VOCAL_HZ], "<=", -20, "dB")
    margin("left-panned tone change", abs(change[LEFT_HZ]), "<=", 1, "dB")
    margin("right-panned tone change", abs(change[RIGHT_HZ]), "<=", 1, "dB")
    margin("centred bass (70 Hz) change", abs(change[BASS_HZ]), "<=", 1, "dB")


def test_vocal_reduction_adds_no_delay(mix_songs, tmp_path, margin):
    """The reduced song equals the same song made without its vocal, frame for frame."""
    without = make_song(tmp_path / "novocal", {"mix": ("mix", stereo_mix() - tone(440, 4, 0.2))})
    window = slice(RATE // 2, int(3.5 * RATE))
    reduced = render_song(mix_songs["mix"], REDUCED, DRY)[window]
    reference = render_song(without, MixSettings(), DRY)[window] * 10 ** (MAKEUP_DB / 20)
    error = np.sqrt(np.mean((reduced - reference) ** 2) / np.mean(reference**2))
    margin("reduced vs the mix made without the vocal", 20 * np.log10(error), "<", -30, "dB")


def test_the_canceller_is_the_same_whatever_the_block_size():
    rng = np.random.default_rng(3)
    signal = rng.standard_normal((20_000, 2)).astype(np.float32) * 0.1
    signal[:, 1] = 0.5 * signal[:, 1] + 0.5 * signal[:, 0]
    outputs = []
    for block in (1024, 333, 4096):
        canceller = CentreCanceller()
        pieces = [canceller.process(signal[i : i + block]) for i in range(0, len(signal), block)]
        outputs.append(np.concatenate(pieces))
    assert outputs[0].shape == signal.shape
    np.testing.assert_allclose(outputs[1], outputs[0], atol=1e-6)
    np.testing.assert_allclose(outputs[2], outputs[0], atol=1e-6)
    hard_left = np.zeros_like(signal)
    hard_left[:, 0] = signal[:, 0]  # nothing centred: the canceller is a pure delay
    out = CentreCanceller().process(hard_left) / 10 ** (MAKEUP_DB / 20)
    np.testing.assert_allclose(out[LATENCY_FRAMES:], hard_left[:-LATENCY_FRAMES], atol=1e-5)


def test_a_restart_mid_song_renders_exactly_what_the_whole_render_has_there(mix_songs):
    song = mix_songs["mix"]
    whole = render_song(song, REDUCED, DRY)
    renderer = SongRenderer(song, MixSettings(), DRY, start_s=1.0)
    renderer.render()
    renderer.restart_at(2.0, REDUCED)
    frames, positions = renderer.render()
    renderer.close()
    assert abs(positions[0] - 2.0) < 1e-6
    start = 2 * RATE + Limiter(2).latency_frames  # the whole render's frame at 2 s
    np.testing.assert_allclose(frames, whole[start : start + len(frames)], atol=1e-5)


def test_a_multiplex_track_plays_left_at_guide_0_and_both_at_guide_1(mix_songs, margin):
    song = mix_songs["multiplex"]
    window = slice(RATE // 2, int(3.5 * RATE))
    left = render_song(song, MixSettings(guide_level=0.0), DRY)[window]
    both = render_song(song, MixSettings(guide_level=1.0), DRY)[window]
    for channel in (0, 1):
        vocal = band_db(left[:, channel], VOCAL_HZ) - band_db(left[:, channel], 330.0)
        margin(f"multiplex guide 0: vocal vs instrumental, out {channel + 1}", vocal, "<", -60)
        guide = band_db(both[:, channel], VOCAL_HZ) - band_db(both[:, channel], 330.0)
        margin(f"multiplex guide 1: vocal vs instrumental, out {channel + 1}", guide, ">", -7)
    # vocal reduction does not apply to multiplex tracks (it would cancel the mono mix)
    reduced = render_song(song, MixSettings(guide_level=0.0, vocal_reduction=True), DRY)[window]
    np.testing.assert_allclose(reduced, left, atol=1e-6)


def test_export_with_vocal_reduction_equals_the_render(mix_songs, tmp_path):
    import soundfile as sf

    out = tmp_path / "reduced.wav"
    assert main(["export", mix_songs["mix"].path, "--out", str(out), "--vocal-reduction"]) == 0
    written, _ = sf.read(out, dtype="float32")
    measured = with_loudness(mix_songs["mix"])  # never scanned: the export measures it first
    np.testing.assert_allclose(written, render_song(measured, REDUCED), atol=1e-6)


# --- through ALSA ------------------------------------------------------------------------------


def test_what_alsa_received_with_vocal_reduction_equals_the_export(engine, mix_songs, margin):
    rig = engine()
    rig.client.play(mix_songs["mix"], REDUCED)
    assert rig.listener.wait(15) and rig.listener.ended == ["mix"]
    captured = rig.capture()
    exported = render_song(mix_songs["mix"], REDUCED, RenderOptions())
    offset = align(captured, exported)
    piece = captured[offset : offset + len(exported)]
    reference = exported[: len(piece)]
    error = np.sqrt(np.mean((piece - reference) ** 2) / np.mean(reference**2))
    margin("capture vs export, vocal reduction", 20 * np.log10(error), "<", -60, "dB")
    margin("centre tone in the capture vs the mix", _centre_vs_dry(mix_songs, piece), "<=", -20)


def _centre_vs_dry(mix_songs: dict[str, object], piece: np.ndarray) -> float:
    dry = render_song(mix_songs["mix"], MixSettings(), RenderOptions())
    window = slice(RATE // 2, int(3.5 * RATE))
    return changes_db(dry[window], piece[window])[VOCAL_HZ]


def test_toggling_vocal_reduction_mid_song_has_no_gap_and_no_jump(engine, mix_songs, margin):
    rig = engine()
    rig.client.play(mix_songs["mix"], MixSettings())
    time.sleep(1.5)
    toggled_at = int(rig.client.engine_status()["frames_played"])
    rig.client.apply_settings(REDUCED)
    assert rig.listener.wait(10)
    captured = rig.capture()
    start = first_sound(captured)
    end = start + int(SECONDS * RATE) - 480
    song = captured[start + 480 : end - 480]
    margin("longest gap at a vocal reduction toggle", longest_silence(song[:, 0]) / RATE * 1000,
           "<", 20, "ms")  # fmt: skip
    # the music's own largest step before and after; the toggle must not step further
    before = np.abs(np.diff(captured[start + RATE // 2 : toggled_at, 0])).max()
    after = np.abs(np.diff(captured[toggled_at + RATE // 2 : toggled_at + RATE, 0])).max()
    around = np.abs(np.diff(captured[toggled_at - RATE // 4 : toggled_at + RATE // 2, 0])).max()
    margin("largest step at the toggle / the music's own", around / max(before, after), "<=", 1.3)
    # 150 ms after the command the centre tone is gone (the change is a splice, ~100 ms)
    heard = captured[toggled_at + int(0.15 * RATE) : toggled_at + int(0.65 * RATE)]
    earlier = captured[toggled_at - int(0.6 * RATE) : toggled_at - int(0.1 * RATE)]
    change = changes_db(earlier, heard)
    margin("centre tone after the toggle", change[VOCAL_HZ], "<=", -20, "dB")
    margin("left tone after the toggle", abs(change[LEFT_HZ]), "<=", 1, "dB")
    margin("bass after the toggle", abs(change[BASS_HZ]), "<=", 1, "dB")


def test_a_multiplex_track_at_guide_0_reaches_alsa_without_the_vocal(engine, mix_songs, margin):
    rig = engine()
    rig.client.play(mix_songs["multiplex"], MixSettings(guide_level=0.0))
    assert rig.listener.wait(15) and rig.listener.ended == [mix_songs["multiplex"].song_id]
    captured = rig.capture()
    start = first_sound(captured)
    sounding = captured[start + RATE // 2 : start + int(3.5 * RATE)]
    for channel in (0, 1):
        vocal = band_db(sounding[:, channel], VOCAL_HZ) - band_db(sounding[:, channel], 330.0)
        margin(f"ALSA multiplex guide 0: vocal vs instrumental, out {channel + 1}", vocal, "<", -50)
