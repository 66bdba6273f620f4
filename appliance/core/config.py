"""The configuration loader and the core's own sections; every problem reported at once.

A configuration is a frozen dataclass of sections, each section a frozen dataclass whose
``_choices`` and ``_ranges`` say what values are allowed. The core owns ``[library]``, ``[state]``
and ``[rotation]``; each part keeps its section beside itself, and the composition root
(:mod:`appliance.config`) lists them all in one ``Config`` that :func:`load_sections` fills.
Unknown keys get a did-you-mean; checks that span a whole section (the buttons' pinout) are
passed in and their problems reported with the others::

    >>> from dataclasses import dataclass, field
    >>> @dataclass(frozen=True)
    ... class Night:
    ...     rotation: RotationConfig = field(default_factory=RotationConfig)
    >>> load_sections(Night, '[rotation]\\nmode = "fifo"\\nper_singer_limt = 2', "box.toml")
    Traceback (most recent call last):
    ...
    appliance.core.errors.ConfigError: box.toml: 1 problem(s) in the configuration:
      - [rotation] per_singer_limt: unknown key (did you mean 'per_singer_limit'?)
    >>> load_sections(Night, '[rotation]\\nmode = "fifo"', "box.toml").rotation.mode
    'fifo'
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from appliance.core.errors import ConfigError
from appliance.core.night_settings import NightSettings

C = TypeVar("C")


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

    def state_path(self) -> Path:
        """The state directory (database), from config or $XDG_STATE_HOME/karaoke."""
        return _xdg_dir(self.state_dir, "XDG_STATE_HOME", ".local/state")

    def data_path(self) -> Path:
        """The data directory (demo library), from config or $XDG_DATA_HOME/karaoke."""
        return _xdg_dir(self.data_dir, "XDG_DATA_HOME", ".local/share")


RotationConfig = NightSettings
"""``[rotation]``: the night settings a night starts with (:mod:`appliance.core.night_settings`)."""


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


def find_config_file(path: Path | None = None) -> Path | None:
    """``path``, or the first default path that exists (None: run on the defaults)."""
    if path is not None:
        return path
    return next((p for p in default_config_paths() if p.is_file()), None)


def read_config_file(path: Path) -> str:
    """The text of ``path``; ConfigError when it cannot be read."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), [f"cannot read: {error}"]) from error


def load_sections(
    cls: type[C],
    text: str,
    source: str = "<config>",
    checks: Sequence[Callable[[C], list[str]]] = (),
    defaults: Mapping[str, Mapping[str, Any]] | None = None,
) -> C:
    """Parse TOML ``text`` into ``cls`` (a dataclass of sections), ConfigError with every problem.

    Each of ``checks`` looks at the built configuration and returns its problems (a section's
    rules beyond single values: the buttons' pinout); they are reported with all the others.
    ``defaults`` (``{section: {key: value}}``, e.g. the board's) fill the keys ``text`` leaves
    out, checked like the file's own; a key the file sets keeps the file's value::

        >>> from dataclasses import dataclass, field
        >>> @dataclass(frozen=True)
        ... class Night:
        ...     rotation: RotationConfig = field(default_factory=RotationConfig)
        >>> board = {"rotation": {"mode": "fifo", "per_singer_limit": 2}}
        >>> night = load_sections(Night, "[rotation]\\nmode = 'fair'", defaults=board)
        >>> night.rotation.mode, night.rotation.per_singer_limit
        ('fair', 2)
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(source, [f"not valid TOML: {error}"]) from error
    for name, values in (defaults or {}).items():
        section = raw.setdefault(name, {})
        if isinstance(section, dict):
            for key, value in values.items():
                section.setdefault(key, value)
    problems: list[str] = []
    sections: dict[str, Any] = {}
    known = {f.name: f for f in dataclasses.fields(typing.cast(Any, cls))}
    for name, value in raw.items():
        if name not in known:
            problems.append(f"[{name}]: unknown section{_did_you_mean(name, known)}")
        elif not isinstance(value, dict):
            problems.append(f"{name}: must be a [section]")
        else:
            section_type = _field_type(cls, known[name])
            sections[name] = _build_section(section_type, name, value, problems)
    config = cls(**sections)
    for check in checks:
        problems.extend(check(config))
    if problems:
        raise ConfigError(source, problems)
    return config


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
