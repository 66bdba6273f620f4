"""The system part's result: the network info the web remote and the TV are given."""

from __future__ import annotations

from pathlib import Path

from appliance.system import part
from appliance.system.network import HotspotCredentials, NetworkMode, NetworkStatus
from tests.support.context import FakeBox


def test_in_hotspot_mode_the_result_holds_the_join_payload(monkeypatch):
    hotspot = HotspotCredentials("Bar Karaoke", "sing-along")
    status = NetworkStatus(NetworkMode.HOTSPOT, "10.42.0.1", hotspot)
    monkeypatch.setattr(part, "network_status", lambda: status)
    monkeypatch.setattr(part, "read_mode", lambda: NetworkMode.HOTSPOT)
    network = part.current_network()
    assert network.mode == "hotspot" and network.hotspot_ssid == "Bar Karaoke"
    assert network.wifi_qr == "WIFI:T:WPA;S:Bar Karaoke;P:sing-along;;"
    assert network.hotspot_active()


def test_on_the_venues_network_there_is_nothing_to_join(monkeypatch):
    status = NetworkStatus(NetworkMode.VENUE, "192.168.1.20", None)
    monkeypatch.setattr(part, "network_status", lambda: status)
    monkeypatch.setattr(part, "read_mode", lambda: NetworkMode.VENUE)
    network = part.current_network()
    assert (network.mode, network.wifi_qr, network.hotspot_ssid) == ("venue", "", "")
    assert not network.hotspot_active()


def test_usb_sticks_go_to_the_library_and_the_heartbeat_feeds_systemd(monkeypatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    monkeypatch.setattr(part.SystemPart, "watch_usb", lambda self: None)
    box = FakeBox()
    started = part.start(box.context(None))
    try:
        started.stick_added(Path("/media/songs"))
        started.stick_removed(Path("/media/songs"))
        assert box.library.added == box.library.removed == [Path("/media/songs")]
        started.beat()
        started.beat()
    finally:
        started.stop()
