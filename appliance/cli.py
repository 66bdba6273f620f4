"""The ``karaoke`` command: one subcommand per module in :mod:`appliance.commands`.

    $ karaoke --help
    $ karaoke demo                 # build the demo library if missing, then run the box on it
    $ karaoke songs grace --json   # search the catalog

Each module in ``COMMAND_MODULES`` has ``register(subparsers)`` which adds its subcommand(s)
and sets ``handler(args) -> int`` as the parser default. Errors of the box
(:class:`~appliance.core.errors.KaraokeError`) print as one clear line and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from appliance.core.errors import ConfigError, KaraokeError

COMMAND_MODULES: tuple[str, ...] = (
    "appliance.commands.run",
    "appliance.commands.library",
    "appliance.commands.queue",
    "appliance.commands.doctor",
    "appliance.commands.screenshot",
    "appliance.commands.audio",
    "appliance.commands.web",
    "appliance.commands.importing",
    "appliance.commands.score",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="karaoke",
        description="A karaoke jukebox: live stems, key and tempo, phone remote, fair rotation.",
    )
    parser.add_argument("--config", metavar="FILE", help="configuration file (TOML)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``karaoke`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except ConfigError as error:
        print(f"karaoke: {error}", file=sys.stderr)
        return 2
    except KaraokeError as error:
        print(f"karaoke: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
