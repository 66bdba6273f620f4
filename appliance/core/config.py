"""Typed configuration from one TOML file, every problem reported at once.

Each ``[section]`` becomes a frozen dataclass; unknown keys get a did-you-mean::

    >>> config = parse_config('[rotation]\\nmode = "fifo"\\nper_singer_limt = 2', "box.toml")
    Traceback (most recent call last):
    ...
    appliance.core.errors.ConfigError: box.toml: 1 problem(s) in the configuration:
      - [rotation] per_singer_limt: unknown key (did you mean 'per_singer_limit'?)
    >>> parse_config('[rotation]\\nmode = "fifo"', "box.toml").rotation.mode
    'fifo'
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from appliance.core.errors import ConfigError
from appliance.core.night_settings import NightSettings


@dataclass(frozen=True)
class LibraryConfig:
    """Where songs live. No paths: the bundled demo library (built on first run)."""

    paths: tuple[str, ...] = ()
    demo_if_empty: bool = True


@dataclass(frozen=True)
class StateConfig:
    """Where the database and built data go. Empty: the XDG directories of the user."""

    state_dir: str = ""
    data_dir: str = ""


RotationConfig = NightSettings
"""``[rotation]``: the night settings a night starts with (:mod:`appliance.core.night_settings`)."""


@dataclass(frozen=True)
class AudioConfig:
    """The engine. ``device``: a name (or part of one) from ``karaoke devices``; '' = default."""

    device: str = ""
    quality: str = "r3"
    blocksize: int = 256
    latency_s: float = 0.05
    routing: str = "auto"
    click: bool = False
    guide_in_ears: bool = False
    break_music: str = ""
    volume: float = 0.8
    transcode_cache_mb: int = 2048

    _choices: typing.ClassVar[dict[str, tuple[str, ...]]] = {
        "quality": ("r2", "r3"),
        "routing": ("auto", "stereo", "split", "four"),
    }
    _ranges: typing.ClassVar[dict[str, tuple[float, float]]] = {
        "blocksize": (32, 8192),
        "latency_s": (0.001, 1.0),
        "volume": (0, 1),
        "transcode_cache_mb": (64, 1 << 20),
    }


@dataclass(frozen=True)
class DisplayConfig:
    """The TV. ``size`` 'WxH' or '' for the screen's own; ``lyrics_offset_ms`` for slow TVs."""

    enabled: bool = True
    fullscreen: bool = True
    size: str = ""
    fps: int = 60
    idle_fps: int = 10
    lyrics_offset_ms: int = 0
    font: str = ""

    _ranges: typing.ClassVar[dict[str, tuple[float, float]]] = {
        "fps": (10, 240),
        "idle_fps": (1, 60),
        "lyrics_offset_ms": (-2000, 2000),
    }


@dataclass(frozen=True)
class WebConfig:
    """The phone remote. ``pin``: the host PIN ('' = a random one kept in the state dir)."""

    enabled: bool = True
    host: str = "0.0.0.0"
    port: int = 8080
    pin: str = ""
    public_url: str = ""

    _ranges: typing.ClassVar[dict[str, tuple[float, float]]] = {"port": (1, 65535)}


@dataclass(frozen=True)
class ButtonsConfig:
    """GPIO buttons, volume knob and LEDs. ``map``: button name -> {pin, press, hold}."""

    enabled: bool = True
    pin_factory: str = ""
    debounce_ms: int = 30
    hold_s: float = 1.0
    volume_step: float = 0.05
    map: dict[str, Any] = field(default_factory=dict)
    encoder: dict[str, Any] = field(default_factory=dict)
    leds: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, Any] = field(default_factory=dict)


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
        return _xdg_dir(self.state.state_dir, "XDG_STATE_HOME", ".local/state")

    def data_dir(self) -> Path:
        """The data directory (demo library), from config or $XDG_DATA_HOME/karaoke."""
        return _xdg_dir(self.state.data_dir, "XDG_DATA_HOME", ".local/share")


def _xdg_dir(configured: str, variable: str, fallback: str) -> Path:
    if configured:
        return Path(configured).expanduser()
    if appliance_dir := os.environ.get("KARAOKE_STATE_DIR"):  # set by karaoke.service
        return Path(appliance_dir)
    base = os.environ.get(variable) or str(Path.home() / fallback)
    return Path(base) / "karaoke"


def default_config_paths() -> list[Path]:
    """Where ``karaoke`` looks for a config when none is given, first found wins."""
    paths = []
    if env := os.environ.get("KARAOKE_CONFIG"):
        paths.append(Path(env))
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    paths.append(Path(xdg) / "karaoke" / "config.toml")
    if appliance_dir := os.environ.get("KARAOKE_STATE_DIR"):  # first-boot settings land here
        paths.append(Path(appliance_dir) / "config.toml")
    paths.append(Path("/etc/karaoke/config.toml"))
    return paths


def load_config(path: Path | None = None) -> Config:
    """Load ``path`` (or the first default path that exists; defaults when none does)."""
    if path is None:
        path = next((p for p in default_config_paths() if p.is_file()), None)
        if path is None:
            return Config()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), [f"cannot read: {error}"]) from error
    return parse_config(text, str(path))


def parse_config(text: str, source: str = "<config>") -> Config:
    """Parse TOML text into a Config, raising ConfigError with every problem found."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(source, [f"not valid TOML: {error}"]) from error
    problems: list[str] = []
    sections: dict[str, Any] = {}
    known = {f.name: f for f in dataclasses.fields(Config)}
    for name, value in raw.items():
        if name not in known:
            problems.append(f"[{name}]: unknown section{_did_you_mean(name, known)}")
        elif not isinstance(value, dict):
            problems.append(f"{name}: must be a [section]")
        else:
            section_type = _field_type(Config, known[name])
            sections[name] = _build_section(section_type, name, value, problems)
    if problems:
        raise ConfigError(source, problems)
    return Config(**sections)


def _build_section(cls: type, section: str, values: dict[str, Any], problems: list[str]) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        where = f"[{section}] {key}"
        if key not in fields:
            problems.append(f"{where}: unknown key{_did_you_mean(key, fields)}")
            continue
        converted = _convert(_field_type(cls, fields[key]), value)
        if converted is _INVALID:
            wanted = _type_name(_field_type(cls, fields[key]))
            problems.append(f"{where}: must be {wanted}, not {value!r}")
            continue
        if problem := _check_value(cls, key, converted):
            problems.append(f"{where}: {problem}")
            continue
        kwargs[key] = converted
    return cls(**kwargs)


_INVALID = object()


def _convert(expected: Any, value: Any) -> Any:  # noqa: PLR0911
    if expected is bool:
        return value if isinstance(value, bool) else _INVALID
    if expected is int:
        return value if isinstance(value, int) and not isinstance(value, bool) else _INVALID
    if expected is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return float(value) if ok else _INVALID
    if expected is str:
        return value if isinstance(value, str) else _INVALID
    origin = typing.get_origin(expected)
    if origin is tuple:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return tuple(value) if ok else _INVALID
    if origin is dict:
        return value if isinstance(value, dict) else _INVALID
    return _INVALID


def _check_value(cls: type, key: str, value: Any) -> str | None:
    choices = getattr(cls, "_choices", {}).get(key)
    if choices and value not in choices:
        return f"must be one of {', '.join(choices)}, not {value!r}{_did_you_mean(value, choices)}"
    low_high = getattr(cls, "_ranges", {}).get(key)
    if low_high and not low_high[0] <= value <= low_high[1]:
        return f"must be between {low_high[0]} and {low_high[1]}, not {value!r}"
    return None


def _field_type(cls: type, f: dataclasses.Field[Any]) -> Any:
    return typing.get_type_hints(cls)[f.name]


def _type_name(expected: Any) -> str:
    if isinstance(expected, types.GenericAlias):
        return "a list of text" if typing.get_origin(expected) is tuple else "a table"
    return {bool: "true or false", int: "a whole number", float: "a number", str: "text"}.get(
        expected, str(expected)
    )


def _did_you_mean(word: str, candidates: Any) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
