"""``karaoke screenshot SONG --at SECONDS --out FILE.png``: a TV scene drawn without sound.

$ karaoke screenshot "amazing grace" --at 42 --out grace.png
$ karaoke screenshot ./songs/grace --at 10 --scene upnext --size 1280x720 --out upnext.png
$ karaoke screenshot ./songs/grace --at 20 --notes --out lanes.png   # the note lanes, no voice
$ karaoke screenshot ./songs/grace --at 20 --backgrounds ~/bg --out bg.png   # a folder's picture
"""

from __future__ import annotations

import argparse
import os

from appliance.commands.common import config_from, resolve_song
from appliance.core.errors import InvalidRequest


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``screenshot``."""
    shot = subparsers.add_parser(
        "screenshot", help="draw a TV scene of a song at a given time into a PNG (no sound)"
    )
    shot.add_argument("song", metavar="SONG", help="a song folder, or words matching one song")
    shot.add_argument("--at", type=float, default=0.0, metavar="SECONDS", help="song time")
    shot.add_argument("--out", required=True, metavar="FILE.png", help="where to save the PNG")
    shot.add_argument("--size", default="1920x1080", metavar="WxH", help="default 1920x1080")
    shot.add_argument("--scene", choices=("lyrics", "upnext", "idle"), default="lyrics")
    shot.add_argument("--singer", default="Singer", help="the name shown as the singer")
    shot.add_argument("--url", default="", help="the remote's address for the QR code")
    shot.add_argument(
        "--notes",
        action="store_true",
        help="draw the note lanes of the song's notes over the lyrics, as when a mic is scored",
    )
    shot.add_argument(
        "--backgrounds",
        default=None,
        metavar="FOLDER",
        help="background videos and pictures for songs without their own "
        "(default: [display] backgrounds)",
    )
    shot.set_defaults(handler=_screenshot)


def _screenshot(args: argparse.Namespace) -> int:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    from appliance.display.part import parse_size
    from appliance.display.screenshot import render_screenshot, save_screenshot
    from appliance.library.formats.songfiles import load_lyrics

    size = parse_size(args.size)
    if size is None:
        raise InvalidRequest("--size", f"must be WxH, at least 320x240, not {args.size!r}")
    config = config_from(args)
    song = resolve_song(config, args.song)
    url = args.url or config.web.public_url or f"http://karaoke.local:{config.web.port}/"
    score = None
    if args.notes:
        from appliance.display.score_show import ScoreShow, sheet_views
        from appliance.library.formats.score_sheet import load_score_sheet

        sheet = load_score_sheet(song)
        if sheet is None:
            raise InvalidRequest("--notes", f"{song.label} has no notes with pitch")
        score = ScoreShow(views=sheet_views(sheet))
    surface = render_screenshot(
        song,
        load_lyrics(song),
        at_s=args.at,
        size=size,
        scene=args.scene,
        singer=args.singer,
        public_url=url,
        score=score,
        backgrounds=config.display.backgrounds if args.backgrounds is None else args.backgrounds,
    )
    print(save_screenshot(surface, args.out))
    return 0
