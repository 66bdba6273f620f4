"""System checks for `karaoke doctor`, against folders shaped like a Pi's /sys, /proc and /dev."""

from __future__ import annotations

import resource
from pathlib import Path

from appliance.system.checks import (
    FAIL,
    OK,
    WARN,
    check_audio,
    check_disk_space,
    check_display,
    check_gpio,
    check_network,
    check_realtime,
    is_appliance,
    run_system_checks,
    sound_cards,
)

PI_CARDS = """ 0 [vc4hdmi0       ]: vc4-hdmi - vc4-hdmi-0
                      vc4-hdmi-0
 1 [Headphones     ]: bcm2835_headpho - bcm2835 Headphones
                      bcm2835 Headphones
"""


def test_display(tmp_path: Path) -> None:
    assert check_display(tmp_path).status == FAIL
    connector = tmp_path / "card1-HDMI-A-1"
    connector.mkdir()
    (connector / "status").write_text("disconnected\n")
    assert check_display(tmp_path).status == WARN
    (connector / "status").write_text("connected\n")
    check = check_display(tmp_path)
    assert check.ok and "card1-HDMI-A-1" in check.detail


def test_audio_cards_by_name(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    cards.write_text(PI_CARDS)
    assert sound_cards(cards) == ["vc4hdmi0", "Headphones"]
    assert check_audio(cards).ok
    cards.write_text(" 0 [Headphones     ]: bcm2835_headpho - bcm2835 Headphones\n")
    assert check_audio(cards).status == WARN
    assert check_audio(tmp_path / "none").status == FAIL


def test_gpio(tmp_path: Path) -> None:
    assert check_gpio(tmp_path).status == WARN
    (tmp_path / "gpiochip0").write_text("")
    assert check_gpio(tmp_path).ok


def test_network_and_disk(tmp_path: Path) -> None:
    assert check_network(tmp_path).status == WARN
    (tmp_path / "mode").write_text("hotspot\n")
    assert check_network(tmp_path).ok
    assert check_disk_space(tmp_path, minimum_mb=1).ok
    assert check_disk_space(tmp_path, minimum_mb=10**12).status == FAIL


def test_realtime_limits() -> None:
    def limits(rt: int):
        return lambda which: (rt, rt) if which == resource.RLIMIT_RTPRIO else (2**26, 2**26)

    def user() -> int:
        return 1000

    assert check_realtime(limits(50), user).status == OK
    assert "64 MB" in check_realtime(limits(50), user).detail
    refused = check_realtime(limits(0), user)
    assert refused.status == WARN and "RLIMIT_RTPRIO 0" in refused.detail
    as_root = check_realtime(limits(0), lambda: 0)
    assert as_root.ok and "root" in as_root.detail and "up to 0" not in as_root.detail


def test_a_laptop_gets_no_appliance_checks_or_pi_fixes(tmp_path: Path) -> None:
    checks = run_system_checks(tmp_path, appliance=False)
    assert [check.name for check in checks] == ["disk"]
    assert not any("config.txt" in check.fix or "dtparam" in check.fix for check in checks)
    assert is_appliance(tmp_path / "karaoke.service") is False
    (tmp_path / "karaoke.service").write_text("[Unit]\n")
    assert is_appliance(tmp_path / "karaoke.service") is True


def test_all_checks_run_on_the_appliance(tmp_path: Path) -> None:
    checks = run_system_checks(tmp_path, appliance=True)
    assert [check.name for check in checks] == [
        "display",
        "audio",
        "gpio",
        "network",
        "disk",
    ]
    assert all(check.status in {OK, WARN, FAIL} for check in checks)
