"""``karaoke score``: a recorded voice scored against a song's notes, through the same pitch
tracker and scorer as the live microphones.

$ karaoke score "amazing grace" --voice me.wav
$ karaoke score ./songs/amazing-grace --voice me.flac --offset-ms 120 --key -2 --tempo 0.9 --json

The voice was recorded while the song played at ``--tempo`` R and ``--key`` N, starting
``--offset-ms`` late: a frame heard at voice time t is at song time (t - offset) * R, and the
notes are sung N semitones up. A song with a guide vocal but no notes is scored against the
melody taken from the guide (cached in the state dir); a song with neither exits 2 and says so.
"""

from __future__ import annotations

import argparse
from typing import Any

from appliance.commands.common import config_from, print_json, resolve_song
from appliance.core.errors import InvalidRequest
from appliance.core.models import Song
from appliance.core.scoring.model import Difficulty, PitchFrame, SheetSource, SongScore
from appliance.core.scoring.scorer import Scorer

KEY_RANGE = (-12, 12)
TEMPO_RANGE = (0.5, 1.5)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``score``."""
    score = subparsers.add_parser("score", help="score a recorded voice against a song's notes")
    score.add_argument("song", metavar="SONG", help="a song folder or words matching one song")
    score.add_argument("--voice", required=True, metavar="FILE", help="the recorded voice")
    score.add_argument(
        "--offset-ms", type=float, default=0.0,
        help="how late the recording started after the song (ms; negative: early)",
    )  # fmt: skip
    score.add_argument("--key", type=int, default=0, help="the key it was sung in, -12..12")
    score.add_argument("--tempo", type=float, default=1.0, help="the tempo it was sung at")
    score.add_argument(
        "--difficulty", choices=[d.value for d in Difficulty], default=Difficulty.NORMAL.value
    )
    score.add_argument("--part", type=int, choices=(0, 1, 2), default=0, help="duet part")
    score.add_argument("--json", action="store_true", help="machine-readable output")
    score.set_defaults(handler=_score)


def _score(args: argparse.Namespace) -> int:
    from appliance.audio.dsp.pitch import track_file
    from appliance.audio.melody import melody_sheet
    from appliance.library.formats.score_sheet import load_score_sheet

    _check_range("key", args.key, KEY_RANGE)
    _check_range("tempo", args.tempo, TEMPO_RANGE)
    config = config_from(args)
    song = resolve_song(config, args.song)
    sheet = load_score_sheet(song, config.state_dir()) or melody_sheet(song, config.state_dir())
    if sheet is None:
        print(f"karaoke: {song.label}: no notes to score against")
        return 2
    offset_s = args.offset_ms / 1000.0
    frames = [
        PitchFrame((time_s - offset_s) * args.tempo, midi)
        for time_s, midi in track_file(args.voice)
    ]
    scorer = Scorer(sheet, Difficulty(args.difficulty), args.key, args.part)
    scorer.feed(frames)
    result = scorer.finish()
    if args.json:
        print_json({**score_json(song, result, args), "sheet": sheet.source.value})
    else:
        _print_summary(song, result)
        if sheet.source is SheetSource.MELODY:
            print("  (no written notes: scored against the melody of the guide vocal)")
    return 0


def _check_range(name: str, value: float, bounds: tuple[float, float]) -> None:
    if not bounds[0] <= value <= bounds[1]:
        raise InvalidRequest(name, f"must be between {bounds[0]} and {bounds[1]}")


def score_json(song: Song, result: SongScore, args: argparse.Namespace) -> dict[str, Any]:
    """The result as JSON: the score, its maximum, and each line's rating and points."""
    return {
        "song_id": song.song_id,
        "score": result.score,
        "max_score": result.max_score,
        "percent": round(100.0 * result.score / result.max_score, 1),
        "difficulty": args.difficulty,
        "key": args.key,
        "tempo": args.tempo,
        "offset_ms": args.offset_ms,
        "part": result.part,
        "lines": [
            {
                "line": line.line,
                "part": line.part,
                "rating": line.rating.label,
                "points": round(line.points, 1),
                "max_points": round(line.max_points, 1),
            }
            for line in result.lines
        ],
    }


def _print_summary(song: Song, result: SongScore) -> None:
    percent = 100.0 * result.score / result.max_score
    print(f"{song.label}: {result.score} / {result.max_score} ({percent:.0f}%)")
    for line in result.lines:
        print(
            f"  line {line.line + 1:3d}  {line.rating.label:9s}"
            f" {line.points:6.0f} / {line.max_points:.0f}"
        )
