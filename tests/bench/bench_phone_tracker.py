"""The phone's pitch tracker (web_remote/static/pitchtrack.js) in headless Chromium: how much
faster than real time it runs on one core of this machine, on 20 s of synthesized sung notes
fed in 128-sample blocks (an AudioWorklet's), and its accuracy in cents on the same notes.

    .venv/bin/python tests/bench/bench_phone_tracker.py [--seconds 20] [--runs 5]

A phone's core is slower than this machine's: divide the ratio by the phone's factor (a Pi 4
core is 4-6x slower than this one; a 2020 mid-range phone's about 2-4x, not measured here).
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.phones import CHROMIUM, CHROMIUM_ARGS
from tests.support.sung_notes import SR, cents_errors, sing_notes

TRACKER = Path(__file__).resolve().parents[2] / "web_remote" / "static" / "pitchtrack.js"
RUN = """([b64, rate, block]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const samples = new Float32Array(bytes.buffer);
  const tracker = new KbPitch.Tracker(rate, 0.01), out = [];
  const started = performance.now();
  for (let at = 0; at < samples.length; at += block) {
    for (const f of tracker.push(samples.subarray(at, at + block))) {
      out.push([(at + f.index + 1) / rate - tracker.centreS, f.midi]);
    }
  }
  return [performance.now() - started, out];
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    sung = sing_notes(seconds=args.seconds, seed=3)
    b64 = base64.b64encode(sung.audio.astype("<f4").tobytes()).decode()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_content("<!doctype html><title>bench</title>")
        page.add_script_tag(path=str(TRACKER))
        runs = [page.evaluate(RUN, [b64, SR, 128]) for _ in range(args.runs)]
        browser.close()
    times_ms = [run[0] for run in runs]
    frames = [(float(t), m) for t, m in runs[-1][1]]
    errors, recall, false_voiced = cents_errors(frames, sung.truth)
    best = min(times_ms)
    print(f"{args.seconds:.0f} s of sung notes, 128-sample blocks, {len(frames)} frames")
    median = statistics.median(times_ms)
    print(f"time: best {best:.0f} ms, median {median:.0f} ms = {args.seconds * 1000 / best:.0f}x"
          f" / {args.seconds * 1000 / median:.0f}x real time on one core")  # fmt: skip
    print(f"accuracy: median {np.median(errors):.1f} cents, p90 {np.percentile(errors, 90):.1f}, "
          f"p99 {np.percentile(errors, 99):.1f}; in-note frames voiced {recall:.1%}, "
          f"frames between notes voiced {false_voiced:.1%}")  # fmt: skip


if __name__ == "__main__":
    main()
