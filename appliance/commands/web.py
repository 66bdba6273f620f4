"""``karaoke pin``: the host PIN of the phone remote.

$ karaoke pin          # the PIN in force: [web] pin from the config, else the generated one
$ karaoke pin --new    # make a new random PIN (used from the next start of the box)
"""

from __future__ import annotations

import argparse
import sys

from appliance.commands.common import config_from


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``pin``."""
    pin = subparsers.add_parser("pin", help="show the host PIN of the phone remote")
    pin.add_argument(
        "--new", action="store_true", help="make a new random PIN (takes effect at the next start)"
    )
    pin.set_defaults(handler=_pin)


def _pin(args: argparse.Namespace) -> int:
    from web_remote.secrets_store import load_or_create_pin

    config = config_from(args)
    if config.web.pin:
        if args.new:
            print(
                "karaoke: the PIN is set in the config ([web] pin); change it there",
                file=sys.stderr,
            )
            return 2
        print(config.web.pin)
        return 0
    print(load_or_create_pin(config.state_dir(), renew=args.new))
    return 0
