"""First-boot settings: ``karaoke.toml`` from the boot partition read and checked (Wi-Fi,
hotspot, host PIN, hostname, screen), every problem reported at once
(:class:`~appliance.core.errors.ConfigError`). The command that applies them:
:mod:`appliance.system.firstboot`."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from appliance.core.errors import ConfigError

KNOWN_KEYS: dict[str, set[str]] = {
    "": {"hostname", "wifi", "hotspot", "host", "screen"},
    "wifi": {"ssid", "password", "country"},
    "hotspot": {"name", "password"},
    "host": {"pin"},
    "screen": {"resolution"},
}
HOSTNAME = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
PIN = re.compile(r"^[0-9]{4,8}$")
RESOLUTION = re.compile(r"^([0-9]{3,4})x([0-9]{3,4})(@[0-9]{2,3})?$")


@dataclass(frozen=True)
class WifiSettings:
    ssid: str
    password: str | None
    country: str | None


@dataclass(frozen=True)
class HotspotSettings:
    name: str | None
    password: str | None


@dataclass(frozen=True)
class FirstBootSettings:
    hostname: str | None = None
    wifi: WifiSettings | None = None
    hotspot: HotspotSettings | None = None
    host_pin: str | None = None
    resolution: str | None = None


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, reason: str) -> None:
        self.items.append(f"{where}: {reason}")


def parse_settings(text: str, source: str = "karaoke.toml") -> FirstBootSettings:
    """Validates the settings; raises ConfigError naming every problem.

    >>> parse_settings('hostname = "bar"\\n[host]\\npin = "1234"').host_pin
    '1234'
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(source, [f"not valid TOML: {error}"]) from error
    problems = _Problems()
    _check_unknown_keys(data, problems)
    settings = FirstBootSettings(
        hostname=_hostname(data.get("hostname"), problems),
        wifi=_wifi(data.get("wifi"), problems),
        hotspot=_hotspot(data.get("hotspot"), problems),
        host_pin=_pin(data.get("host"), problems),
        resolution=_resolution(data.get("screen"), problems),
    )
    if problems.items:
        raise ConfigError(source, problems.items)
    return settings


def load_settings(path: Path) -> FirstBootSettings:
    """Reads and validates a settings file (UTF-8, a BOM from Windows editors is accepted)."""
    return parse_settings(path.read_text(encoding="utf-8-sig"), str(path))


def _check_unknown_keys(data: dict, problems: _Problems) -> None:
    for section, known in KNOWN_KEYS.items():
        table = data if section == "" else data.get(section)
        if not isinstance(table, dict):
            if table is not None:
                problems.add(section, "must be a section like [" + section + "]")
            continue
        for key in table:
            if key in known:
                continue
            where = f"{section}.{key}" if section else key
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.add(where, f"unknown setting{hint}")


def _text(value: object, where: str, problems: _Problems) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        problems.add(where, 'must be text in quotes, like "..."')
        return None
    return value


def _wpa_password(value: object, where: str, problems: _Problems) -> str | None:
    password = _text(value, where, problems)
    if password is not None and not 8 <= len(password) <= 63:
        problems.add(
            where, f"a Wi-Fi password has 8 to 63 characters (this one has {len(password)})"
        )
        return None
    if password is not None and not password.isascii():
        problems.add(where, "use plain ASCII characters in a Wi-Fi password")
        return None
    return password


def _ssid(value: object, where: str, problems: _Problems) -> str | None:
    ssid = _text(value, where, problems)
    if ssid is not None and not 1 <= len(ssid.encode()) <= 32:
        problems.add(where, "a Wi-Fi name has 1 to 32 bytes")
        return None
    return ssid


def _hostname(value: object, problems: _Problems) -> str | None:
    hostname = _text(value, "hostname", problems)
    if hostname is not None and not HOSTNAME.match(hostname):
        problems.add("hostname", "use 1-63 lower-case letters, digits and '-' (not at the ends)")
        return None
    return hostname


def _wifi(table: object, problems: _Problems) -> WifiSettings | None:
    if not isinstance(table, dict):
        return None
    ssid = _ssid(table.get("ssid"), "wifi.ssid", problems)
    if ssid is None and "ssid" not in table:
        problems.add("wifi.ssid", "the [wifi] section needs the network's name")
    password = _wpa_password(table.get("password"), "wifi.password", problems)
    country = _text(table.get("country"), "wifi.country", problems)
    if country is not None and not COUNTRY.match(country):
        problems.add("wifi.country", 'use a two-letter country code in capitals, like "GB" or "US"')
        country = None
    return WifiSettings(ssid, password, country) if ssid else None


def _hotspot(table: object, problems: _Problems) -> HotspotSettings | None:
    if not isinstance(table, dict):
        return None
    name = _ssid(table.get("name"), "hotspot.name", problems)
    password = _wpa_password(table.get("password"), "hotspot.password", problems)
    return HotspotSettings(name, password)


def _pin(table: object, problems: _Problems) -> str | None:
    if not isinstance(table, dict):
        return None
    pin = table.get("pin")
    if isinstance(pin, int) and not isinstance(pin, bool):
        problems.add("host.pin", f'write the PIN in quotes, like "{pin}" (leading zeros count)')
        return None
    pin = _text(pin, "host.pin", problems)
    if pin is not None and not PIN.match(pin):
        problems.add("host.pin", "use 4 to 8 digits")
        return None
    return pin


def _resolution(table: object, problems: _Problems) -> str | None:
    if not isinstance(table, dict):
        return None
    resolution = _text(table.get("resolution"), "screen.resolution", problems)
    if resolution is None:
        return None
    match = RESOLUTION.match(resolution)
    if not match:
        problems.add("screen.resolution", 'use WIDTHxHEIGHT@RATE, like "1920x1080@60"')
        return None
    return resolution if match.group(3) else resolution + "@60"
