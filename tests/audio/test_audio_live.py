"""The live engine through the real ALSA path (JACK dummy clock, ALSA file tee)."""

from __future__ import annotations

import numpy as np

from appliance.audio.export import render_song
from appliance.audio.render import RenderOptions
from appliance.core.models import MixSettings

SETTINGS = MixSettings(key_semitones=2, tempo_ratio=0.9, guide_level=0.5).with_stem_gain(
    "drums", 0.0
)


def first_sound(signal: np.ndarray, threshold: float = 1e-3) -> int:
    return int(np.argmax(np.abs(signal).max(axis=1) > threshold))


def test_what_alsa_received_equals_the_export(engine, songs):
    rig = engine()
    rig.client.play(songs["band"], SETTINGS)
    assert rig.listener.wait(15), "the song did not end"
    assert rig.listener.ended == ["band"]
    underflows = rig.client.engine_status()["underflows"]
    captured = rig.capture()
    exported = render_song(songs["band"], SETTINGS, RenderOptions())
    offset = align(captured, exported)
    error_db = _error(captured, exported, offset)
    assert underflows == 0
    assert error_db < -60, f"capture differs from export by {error_db:.1f} dB"


def align(captured: np.ndarray, reference: np.ndarray, search: int = 2400) -> int:
    """Offset of ``reference`` in ``captured``: first sound, then refined by correlation."""
    coarse = first_sound(captured) - first_sound(reference)
    start = first_sound(reference) + 4800
    template = reference[start : start + 9600, 0]
    low = max(0, coarse + start - search)
    window = captured[low : coarse + start + search + len(template), 0]
    scores = np.correlate(window, template, mode="valid")
    return low + int(np.argmax(scores)) - start


def _error(captured: np.ndarray, exported: np.ndarray, offset: int) -> float:
    piece = captured[offset : offset + len(exported)]
    reference = exported[: len(piece)]
    diff = np.sqrt(np.mean((piece - reference) ** 2))
    return 20 * np.log10(diff / np.sqrt(np.mean(reference**2)) + 1e-12)
