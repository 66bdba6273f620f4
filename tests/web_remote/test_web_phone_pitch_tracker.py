"""The phone's pitch tracker (web_remote/static/pitchtrack.js) in real headless Chromium, fed
synthesized sung notes with vibrato (tests/support/sung_notes.py, where the pitch of every
sample is known): its pitches are within ~20 cents, it finds the notes, and it stays quiet
between them and on silence."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import pytest

from tests.support.phones import BROWSER_TESTS
from tests.support.sung_notes import SR, cents_errors, sing_notes

pytest.importorskip("playwright.sync_api")
pytestmark = BROWSER_TESTS
TRACKER = Path(__file__).resolve().parents[2] / "web_remote" / "static" / "pitchtrack.js"

RUN = """([b64, rate, block]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const samples = new Float32Array(bytes.buffer);
  const tracker = new KbPitch.Tracker(rate, 0.01);
  const out = [];
  for (let at = 0; at < samples.length; at += block) {
    for (const f of tracker.push(samples.subarray(at, at + block))) {
      out.push([(at + f.index + 1) / rate - tracker.centreS, f.midi]);
    }
  }
  return out;
}"""


def track(browser, audio: np.ndarray, block: int = 128) -> list[tuple[float, float | None]]:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.set_content("<!doctype html><title>tracker</title>")
    page.add_script_tag(path=str(TRACKER))
    b64 = base64.b64encode(audio.astype("<f4").tobytes()).decode()
    frames = page.evaluate(RUN, [b64, SR, block])
    page.close()
    return [(float(t), None if m is None else float(m)) for t, m in frames]


def test_sung_notes_are_tracked_within_20_cents(browser) -> None:  # type: ignore[no-untyped-def]
    sung = sing_notes(seconds=20.0, seed=3)
    frames = track(browser, sung.audio)
    hop = np.diff([t for t, _ in frames])
    assert abs(float(np.median(hop)) - 0.01) < 0.0005  # a frame every 10 ms
    errors, recall, false_voiced = cents_errors(frames, sung.truth)
    print(f"median {np.median(errors):.1f} cents, p90 {np.percentile(errors, 90):.1f}, "
          f"recall {recall:.2f}, voiced outside notes {false_voiced:.2f}")  # fmt: skip
    assert np.median(errors) < 10.0
    assert np.percentile(errors, 90) < 20.0
    assert recall > 0.85
    assert false_voiced < 0.2


def test_a_phone_block_size_changes_nothing(browser) -> None:  # type: ignore[no-untyped-def]
    sung = sing_notes(seconds=4.0, seed=5)
    small, large = track(browser, sung.audio, 128), track(browser, sung.audio, 2048)
    assert len(small) == len(large)
    assert all(abs(a[0] - b[0]) < 1e-6 and a[1] == b[1] for a, b in zip(small, large, strict=True))


def test_silence_and_noise_are_unvoiced(browser) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(7)
    silence = np.zeros(SR * 2, dtype=np.float32)
    noise = (0.1 * rng.standard_normal(SR * 2)).astype(np.float32)
    assert all(m is None for _, m in track(browser, silence))
    voiced = [m for _, m in track(browser, noise) if m is not None]
    assert len(voiced) < 0.1 * (2 / 0.01)
