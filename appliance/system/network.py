"""Which network guests use: the venue's, or the box's own hotspot; and the address for QR codes.

``karaoke-network.service`` (``deploy/bin/karaoke-network-fallback``) decides at boot and writes
the mode to ``/run/karaoke-network/mode``, and, in hotspot mode, the hotspot's name and password to
``/run/karaoke-network/hotspot`` (readable by the karaoke group)::

    status = network_status()
    if status.mode is NetworkMode.HOTSPOT and status.hotspot:
        show(wifi_qr_payload(status.hotspot.ssid, status.hotspot.password))
    show(remote_url(status.address, port=80))      # QR codes carry the IP, not karaoke.local
"""

from __future__ import annotations

import enum
import socket
from dataclasses import dataclass
from pathlib import Path

RUN_DIR = Path("/run/karaoke-network")
HOTSPOT_ADDRESS = "10.42.0.1"


class NetworkMode(enum.Enum):
    VENUE = "venue"  # joined the venue's Wi-Fi or a cable
    HOTSPOT = "hotspot"  # the box's own Wi-Fi: show the Wi-Fi QR code too
    OFFLINE = "offline"  # neither: only the TV and buttons work
    UNKNOWN = "unknown"  # not decided by the box (a laptop, or the service has not run yet)


@dataclass(frozen=True)
class HotspotCredentials:
    ssid: str
    password: str | None


@dataclass(frozen=True)
class NetworkStatus:
    mode: NetworkMode
    address: str | None
    hotspot: HotspotCredentials | None


def read_mode(run_dir: Path = RUN_DIR) -> NetworkMode:
    """The mode written by the fallback service; UNKNOWN when there is none."""
    try:
        text = (run_dir / "mode").read_text().strip()
    except OSError:
        return NetworkMode.UNKNOWN
    try:
        return NetworkMode(text)
    except ValueError:
        return NetworkMode.UNKNOWN


def unescape_terse(value: str) -> str:
    r"""Undoes nmcli's terse escaping (``\:`` and ``\\``).

    >>> unescape_terse(r"a\:b\\c")
    'a:b\\c'
    """
    out, index = [], 0
    while index < len(value):
        if value[index] == "\\" and index + 1 < len(value):
            out.append(value[index + 1])
            index += 2
        else:
            out.append(value[index])
            index += 1
    return "".join(out)


def read_hotspot_credentials(run_dir: Path = RUN_DIR) -> HotspotCredentials | None:
    """Reads ``ssid=`` and ``psk=`` lines (values as nmcli prints them in terse mode)."""
    try:
        lines = (run_dir / "hotspot").read_text().splitlines()
    except OSError:
        return None
    fields = dict(line.split("=", 1) for line in lines if "=" in line)
    ssid = unescape_terse(fields.get("ssid", ""))
    if not ssid:
        return None
    return HotspotCredentials(ssid, unescape_terse(fields.get("psk", "")) or None)


def primary_address(mode: NetworkMode = NetworkMode.UNKNOWN) -> str | None:
    """The box's IPv4 address that phones can reach (no packet is sent to find it)."""
    if mode is NetworkMode.HOTSPOT:
        return HOTSPOT_ADDRESS
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only selects the outgoing route
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("0.") else address


def remote_url(address: str | None, port: int = 80, hostname: str = "karaoke.local") -> str:
    """The remote's URL for QR codes: the IP address (Android's .local support is unreliable).

    >>> remote_url("10.42.0.1")
    'http://10.42.0.1/'
    >>> remote_url(None, 8080)
    'http://karaoke.local:8080/'
    """
    host = address or hostname
    return f"http://{host}/" if port == 80 else f"http://{host}:{port}/"


def network_status(run_dir: Path = RUN_DIR) -> NetworkStatus:
    """Mode, address and (in hotspot mode) the hotspot's credentials, read now."""
    mode = read_mode(run_dir)
    hotspot = read_hotspot_credentials(run_dir) if mode is NetworkMode.HOTSPOT else None
    return NetworkStatus(mode, primary_address(mode), hotspot)
