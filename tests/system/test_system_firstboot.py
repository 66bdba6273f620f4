"""First-boot settings: validation with every problem at once, and applying to an installed root."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from appliance.config import parse_config
from appliance.core.errors import ConfigError
from appliance.system.firstboot import main
from appliance.system.firstboot_apply import apply_settings
from appliance.system.firstboot_settings import parse_settings

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "deploy" / "bin"
HOTSPOT = "etc/NetworkManager/system-connections/karaoke-hotspot.nmconnection"

GOOD = """
hostname = "bar-box"
[wifi]
ssid = "Venue; \\"Guest\\""
password = "venue password"
country = "GB"
[hotspot]
name = "Karaoke Bar"
password = "sing-along"
[host]
pin = "0420"
[screen]
resolution = "1280x720"
"""


def test_the_shipped_example_is_valid() -> None:
    settings = parse_settings((REPO / "deploy/karaoke.toml.example").read_text())
    assert settings.hostname == "karaoke" and settings.resolution == "1920x1080@60"


def test_good_settings_parse() -> None:
    settings = parse_settings(GOOD)
    assert settings.wifi is not None and settings.wifi.ssid == 'Venue; "Guest"'
    assert settings.host_pin == "0420" and settings.resolution == "1280x720@60"


def test_every_problem_is_reported_at_once() -> None:
    text = """
hostname = "Bad_Name"
colour = "red"
[wifi]
ssid = "x"
password = "short"
country = "gb"
[hotspot]
passwrd = "whatever1"
[host]
pin = 1234
[screen]
resolution = "big"
"""
    with pytest.raises(ConfigError) as caught:
        parse_settings(text, "karaoke.toml")
    problems = "\n".join(caught.value.problems)
    for expected in [
        "hostname: use 1-63 lower-case",
        "colour: unknown setting",
        "wifi.password: a Wi-Fi password has 8 to 63 characters (this one has 5)",
        "wifi.country: use a two-letter country code",
        "hotspot.passwrd: unknown setting (did you mean 'password'?)",
        'host.pin: write the PIN in quotes, like "1234"',
        "screen.resolution: use WIDTHxHEIGHT@RATE",
    ]:
        assert expected in problems
    assert len(caught.value.problems) == 7


def test_broken_toml_is_one_clear_problem() -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        parse_settings("[wifi\nssid=")


def installed_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "boot/firmware").mkdir(parents=True)
    (root / "etc").mkdir()
    (root / "boot/firmware/cmdline.txt").write_text("console=tty1 rootwait\n")
    (root / "etc/hosts").write_text("127.0.0.1\tlocalhost\n127.0.1.1\traspberrypi\n")
    profile = (REPO / "deploy/config/karaoke-hotspot.nmconnection.in").read_text()
    hotspot = root / HOTSPOT
    hotspot.parent.mkdir(parents=True)
    hotspot.write_text(profile.replace("@SSID@", "Karaoke").replace("@PSK@", "oldpassword"))
    return root


def test_apply_writes_profiles_hostname_cmdline_and_app_settings(tmp_path: Path) -> None:
    root = installed_root(tmp_path)
    lines = apply_settings(parse_settings(GOOD), root=root, tools=TOOLS)
    assert len(lines) == 5
    venue = root / "etc/NetworkManager/system-connections/karaoke-venue.nmconnection"
    assert oct(venue.stat().st_mode & 0o777) == "0o600"
    assert 'ssid=Venue; "Guest"' in venue.read_text() and "psk=venue password" in venue.read_text()
    hotspot = (root / HOTSPOT).read_text()
    assert "ssid=Karaoke Bar" in hotspot and "psk=sing-along" in hotspot
    assert "uuid=@UUID@" in hotspot  # the rest of the profile is kept
    assert (root / "etc/hostname").read_text() == "bar-box\n"
    assert "127.0.1.1\tbar-box" in (root / "etc/hosts").read_text()
    assert (root / "boot/firmware/cmdline.txt").read_text() == (
        "console=tty1 rootwait cfg80211.ieee80211_regdom=GB video=HDMI-A-1:1280x720@60\n"
    )
    app_config = root / "var/lib/karaoke/config.toml"
    assert tomllib.loads(app_config.read_text()) == {
        "web": {"pin": "0420"},
        "display": {"size": "1280x720"},
    }
    assert parse_config(app_config.read_text()).web.pin == "0420"  # the app reads it


def test_command_line_applies_then_consumes_the_file(tmp_path: Path, capsys) -> None:
    root = installed_root(tmp_path)
    settings_file = root / "boot/firmware/karaoke.toml"
    settings_file.write_text(GOOD)
    assert main(["apply", str(settings_file), "--root", str(root), "--tools", str(TOOLS)]) == 0
    assert not settings_file.exists()
    applied = (root / "boot/firmware/karaoke.toml.applied").read_text()
    assert "venue password" not in applied and "sing-along" not in applied and "0420" not in applied
    assert 'ssid = "Venue; \\"Guest\\""' in applied
    assert "hostname: bar-box" in capsys.readouterr().out


def test_command_line_check_reports_problems(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "karaoke.toml"
    bad.write_text('[host]\npin = "12"\n')
    assert main(["check", str(bad)]) == 1
    assert "host.pin: use 4 to 8 digits" in capsys.readouterr().err
    assert bad.exists()


def test_missing_hotspot_profile_says_to_install(tmp_path: Path) -> None:
    root = installed_root(tmp_path)
    shutil.rmtree(root / "etc/NetworkManager")
    with pytest.raises(ConfigError, match=r"run deploy/install\.sh"):
        apply_settings(parse_settings('[hotspot]\nname = "X"\n'), root=root, tools=TOOLS)
