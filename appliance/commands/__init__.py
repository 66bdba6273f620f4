"""Subcommands of the ``karaoke`` command (see appliance.cli)."""
