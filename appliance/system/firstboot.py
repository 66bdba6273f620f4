"""First-boot settings from the boot partition: Wi-Fi, hotspot, host PIN, hostname, screen.

A user edits ``karaoke.toml`` on the SD card's FAT partition from any PC (the format is in
``deploy/karaoke.toml.example``); ``karaoke-firstboot.service`` then runs at the next boot::

    python -m appliance.system.firstboot check /boot/firmware/karaoke.toml   # validate only
    python -m appliance.system.firstboot apply /boot/firmware/karaoke.toml   # validate and apply

Reading and checking: :mod:`appliance.system.firstboot_settings`. Applying
(:mod:`appliance.system.firstboot_apply`) writes NetworkManager profiles, the hostname, the kernel
command line (through the installed ``karaoke-cmdline`` script) and
``/var/lib/karaoke/appliance.toml`` (host PIN, hotspot name, screen) for the app; the settings
file is then renamed ``karaoke.toml.applied`` with its passwords and PIN blanked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from appliance.core.errors import KaraokeError
from appliance.system.firstboot_apply import apply_settings, consume_settings_file
from appliance.system.firstboot_settings import load_settings


def main(argv: list[str] | None = None) -> int:
    """``check PATH`` or ``apply PATH [--root DIR] [--tools DIR]``; exit 1 with the problems."""
    parser = argparse.ArgumentParser(prog="python -m appliance.system.firstboot")
    parser.add_argument("command", choices=["check", "apply"])
    parser.add_argument("path", type=Path)
    parser.add_argument("--root", type=Path, default=Path("/"), help="install root (tests)")
    parser.add_argument("--tools", type=Path, default=None, help="folder of karaoke-cmdline")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.path)
        if args.command == "check":
            print(f"{args.path}: OK")
            return 0
        for line in apply_settings(settings, root=args.root, tools=args.tools):
            print(line)
        consume_settings_file(args.path)
    except (KaraokeError, OSError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
