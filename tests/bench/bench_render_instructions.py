"""Instructions per second of audio of the engine's render chain, under valgrind's callgrind: a
count that does not depend on the machine's load (issue 17's before/after, in one run).

    .venv/bin/python tests/bench/bench_render_instructions.py [--quality r3] [--seconds 4]

Renders the 8-stem bench song (key +2, tempo 0.9, routing ``four``) in-process through
:class:`SongRenderer`, as the engine's producer does, once with the click moved
(``click_stretch="move"``, now) and once through Rubber Band (before). Each case runs twice
under callgrind, for 1 s and for 1 + ``--seconds`` s of output, and the difference is divided by
``--seconds``, so Python's start-up and the song's opening cancel out. Slow: about a minute of
callgrind per second of audio on a loaded 2-core machine; run it niced.
"""

from __future__ import annotations

import argparse
import pickle
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from appliance.audio.dsp.routing import Routing
from appliance.audio.dsp.song_renderer import RenderOptions, SongRenderer
from appliance.core.models import MixSettings
from tests.support.audio_songs import RATE, eight_stems

SETTINGS = MixSettings(key_semitones=2, tempo_ratio=0.9)


def render(song_file: Path, method: str, quality: str, seconds: float) -> None:
    song = pickle.loads(song_file.read_bytes())
    options = RenderOptions(quality=quality, routing=Routing("four", 4), click_stretch=method)
    renderer = SongRenderer(song, SETTINGS, options)
    done = 0
    while done < seconds * RATE and (chunk := renderer.render()) is not None:
        done += len(chunk[0])
    renderer.close()


def instructions(song_file: Path, method: str, quality: str, seconds: float, work: Path) -> int:
    out = work / f"callgrind.{method}.{seconds:g}"
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable]
    command += [__file__, "--child", str(song_file), method, quality, str(seconds)]
    subprocess.run(command, check=True, capture_output=True)
    found = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
    if found is None:
        raise RuntimeError(f"no instruction count in {out}")
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quality", default="r3")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        song_file, method, quality, seconds = args.child
        render(Path(song_file), method, quality, float(seconds))
        return 0
    work = Path(tempfile.mkdtemp(prefix="bench-instructions-"))
    song_file = work / "song.pickle"
    song_file.write_bytes(pickle.dumps(eight_stems(work / "song", 30.0)))
    per_second = {}
    for method in ("rubberband", "move"):
        short = instructions(song_file, method, args.quality, 1.0, work)
        long = instructions(song_file, method, args.quality, 1.0 + args.seconds, work)
        per_second[method] = (long - short) / args.seconds
        print(
            f"render chain {args.quality}, key +2, tempo 0.9, 4 outputs, click "
            f"{'moved' if method == 'move' else 'through Rubber Band'}: "
            f"{per_second[method] / 1e6:.0f} M instructions per second of audio"
        )
    ratio = per_second["move"] / per_second["rubberband"]
    print(f"after / before: {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
