"""The box's whole configuration: the core's sections and every part's, read by one loader.

Each section lives beside the code that reads it; this module only lists them::

    [library] [state]              appliance/core/config.py   (the loader is there too)
    [rotation]                     appliance/core/night_settings.py (NightSettings)
    [audio]                        appliance/audio/settings.py
    [display]                      appliance/display/settings.py
    [web]                          web_remote/settings.py
    [buttons]                      appliance/buttons/settings.py (pinout: buttons/layout.py)

Every problem of every section, the buttons' pinout included, is reported at once::

    >>> parse_config('[web]\\nport = 0\\n[buttons]\\nmap.skip = { pin = 17 }', "box.toml")
    Traceback (most recent call last):
    ...
    appliance.core.errors.ConfigError: box.toml: 2 problem(s) in the configuration:
      - [web] port: must be between 1 and 65535, not 0
      - pin 17 is used twice: by button 'play' and by button 'skip'

A part gets its own section from the composition root (:mod:`appliance.app`), never this class:
adapters do not import the composition root.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appliance.audio.settings import AudioConfig
from appliance.buttons.layout import layout_problems
from appliance.buttons.settings import ButtonsConfig
from appliance.core.config import (
    LibraryConfig,
    RotationConfig,
    StateConfig,
    find_config_file,
    load_sections,
    read_config_file,
)
from appliance.display.settings import DisplayConfig
from web_remote.settings import WebConfig

Defaults = Mapping[str, Mapping[str, Any]]
"""Values for keys the config file leaves out: ``{section: {key: value}}``."""


@dataclass(frozen=True)
class Config:
    """The whole configuration."""

    library: LibraryConfig = field(default_factory=LibraryConfig)
    state: StateConfig = field(default_factory=StateConfig)
    rotation: RotationConfig = field(default_factory=RotationConfig)
    audio: AudioConfig = field(default_factory=AudioConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    web: WebConfig = field(default_factory=WebConfig)
    buttons: ButtonsConfig = field(default_factory=ButtonsConfig)

    def state_dir(self) -> Path:
        """The state directory (database), from config or $XDG_STATE_HOME/karaoke."""
        return self.state.state_path()

    def data_dir(self) -> Path:
        """The data directory (demo library), from config or $XDG_DATA_HOME/karaoke."""
        return self.state.data_path()


def _pinout_problems(config: Config) -> list[str]:
    return layout_problems(config.buttons)


def parse_config(text: str, source: str = "<config>", defaults: Defaults | None = None) -> Config:
    """Parse TOML text into a Config, raising ConfigError with every problem found; ``defaults``
    (``{section: {key: value}}``: the board's) fill what the text does not set."""
    return load_sections(Config, text, source, checks=(_pinout_problems,), defaults=defaults)


def load_config(path: Path | None = None, defaults: Defaults | None = None) -> Config:
    """Load ``path`` (or the first default path that exists; defaults when none does), with
    ``defaults`` (the board's: :func:`appliance.system.board.detect_board`) where it is silent."""
    found = find_config_file(path)
    if found is None:
        return parse_config("", "the board's defaults", defaults)
    return parse_config(read_config_file(found), str(found), defaults)
