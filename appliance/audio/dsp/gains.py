"""Per-stem gains from a song and its mix settings, changed with ramps so no fader clicks.

    >>> from appliance.core.models import Stem, StemRole, MixSettings
    >>> stems = (Stem("vox", StemRole.LEAD_VOCAL, "v.flac"), Stem("bass", StemRole.BASS, "b.flac"))
    >>> gains = StemGains(stems, MixSettings(guide_level=0.0))
    >>> gains.target[:, 0].tolist()
    [0.0, 1.0]
    >>> gains.set_settings(MixSettings())                # ramps over RAMP_FRAMES
    >>> round(float(gains.next_block(240)[-1, 0, 0]), 2)
    0.5

Mute and solo are gains (the core sends 0.0 for a muted stem). ``lead_vocal`` is scaled by the
guide level; a stem's own ``gain_db`` and ``pan`` from the manifest apply on top.
"""

from __future__ import annotations

import numpy as np

from appliance.core.models import MixSettings, Stem, StemRole

RAMP_FRAMES = 480  # 10 ms at 48 kHz (the design asks for >= 5 ms)


def target_gains(stems: tuple[Stem, ...], settings: MixSettings) -> np.ndarray:
    """(stems, 2) linear left/right gains for ``settings``."""
    gains = np.zeros((len(stems), 2), np.float64)
    for index, stem in enumerate(stems):
        level = 10 ** (stem.gain_db / 20) * settings.stem_gain(stem.name)
        if stem.role is StemRole.LEAD_VOCAL:
            level *= settings.guide_level
        pan = max(-1.0, min(1.0, stem.pan))
        gains[index] = (level * min(1.0, 1.0 - pan), level * min(1.0, 1.0 + pan))
    return gains


class StemGains:
    """Current and target gains; :meth:`next_block` yields per-frame gains with a linear ramp."""

    def __init__(self, stems: tuple[Stem, ...], settings: MixSettings) -> None:
        self.stems = stems
        self.target = target_gains(stems, settings)
        self._start = self.target.copy()
        self._ramp_done = RAMP_FRAMES

    def set_settings(self, settings: MixSettings) -> None:
        """Aim at the gains of ``settings`` from wherever the ramp is now."""
        self._start = self.current()
        self.target = target_gains(self.stems, settings)
        self._ramp_done = 0

    def jump_to(self, settings: MixSettings) -> None:
        """The gains of ``settings`` at once, with no ramp (the caller crossfades)."""
        self.target = target_gains(self.stems, settings)
        self._start = self.target.copy()
        self._ramp_done = RAMP_FRAMES

    def current(self) -> np.ndarray:
        """Gains reached at this moment."""
        share = min(1.0, self._ramp_done / RAMP_FRAMES)
        return self._start + (self.target - self._start) * share

    def next_block(self, frames: int) -> np.ndarray | None:
        """(frames, stems, 2) gains while ramping, or None when steady (use :attr:`target`)."""
        if self._ramp_done >= RAMP_FRAMES:
            return None
        steps = np.arange(self._ramp_done + 1, self._ramp_done + frames + 1, dtype=np.float64)
        share = np.minimum(1.0, steps / RAMP_FRAMES)[:, None, None]
        self._ramp_done += frames
        return (self._start + (self.target - self._start) * share).astype(np.float32)

    def mix(self, block: np.ndarray, masks: list[np.ndarray]) -> list[np.ndarray]:
        """One stereo bus (n x 2) per mask: the sum of the stems it selects, with their gains."""
        ramp = self.next_block(len(block))
        if ramp is None:  # steady: one matrix product per channel for all buses (BLAS)
            weights = np.stack([self.target * mask[:, None] for mask in masks], axis=-1)
            per_channel = np.ascontiguousarray(block.transpose(2, 0, 1))  # (2, n, stems)
            sums = np.matmul(per_channel, weights.transpose(1, 0, 2).astype(np.float32))
            return [np.ascontiguousarray(sums[:, :, bus].T) for bus in range(len(masks))]
        return [(block[:, mask, :] * ramp[:, mask, :]).sum(axis=1) for mask in masks]
