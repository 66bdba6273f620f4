"""``karaoke run`` (the box) and ``karaoke demo`` (the box on the bundled demo library)."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from appliance.commands.common import config_from
from appliance.config import Config


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``run`` and ``demo``."""
    run = subparsers.add_parser("run", help="run the box (TV, audio, phone remote, buttons)")
    _box_options(run)
    run.set_defaults(handler=_run)
    demo = subparsers.add_parser(
        "demo", help="build the demo library if missing, then run the box on it"
    )
    _box_options(demo)
    demo.add_argument(
        "--build", metavar="DIR", help="only build the demo library into DIR, then exit"
    )
    demo.set_defaults(handler=_demo)


def _box_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, help="web remote port (default: config, 8080)")
    parser.add_argument(
        "--https-port", type=int, help="web remote https port (default: config, 8443; 0 = off)"
    )
    parser.add_argument("--windowed", action="store_true", help="a window, not full screen")
    parser.add_argument("--size", help="screen size WxH, e.g. 1280x720")
    parser.add_argument("--no-display", action="store_true", help="run headless (no TV)")
    parser.add_argument("--public-url", help="the address phones use (default: found)")


def _with_overrides(args: argparse.Namespace, demo: bool) -> Config:
    """The config with the command line's flags folded into their typed fields."""
    config = config_from(args)
    if demo:
        library = dataclasses.replace(config.library, paths=(), demo_if_empty=True)
        config = dataclasses.replace(config, library=library)
    if args.no_display:
        config = dataclasses.replace(
            config, display=dataclasses.replace(config.display, enabled=False)
        )
    if args.windowed or args.size:
        display = dataclasses.replace(
            config.display, fullscreen=not args.windowed, size=args.size or config.display.size
        )
        config = dataclasses.replace(config, display=display)
    if args.port:
        config = dataclasses.replace(config, web=dataclasses.replace(config.web, port=args.port))
    if args.https_port is not None:
        web = dataclasses.replace(config.web, https_port=args.https_port)
        config = dataclasses.replace(config, web=web)
    if args.public_url:
        web = dataclasses.replace(config.web, public_url=args.public_url)
        config = dataclasses.replace(config, web=web)
    return config


def _run(args: argparse.Namespace) -> int:
    from appliance.app import run_box

    return run_box(_with_overrides(args, demo=False))


def _demo(args: argparse.Namespace) -> int:
    from appliance.app import ensure_demo_library, run_box
    from appliance.core.paths import demo_library_dir

    if args.build:
        from appliance.demosongs import build_demo_library

        folders = build_demo_library(Path(args.build))
        print(f"built {len(folders)} demo songs into {args.build}")
        return 0
    config = _with_overrides(args, demo=True)
    ensure_demo_library(demo_library_dir(config.data_dir()))
    return run_box(config)
