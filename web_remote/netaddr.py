"""The address phones use to reach the box: its LAN address, found without the internet.

A UDP socket "connected" to a private address sends nothing but makes the kernel pick the
outgoing interface; its own address is the box's LAN address. Fallbacks: the addresses of the
host name, then 127.0.0.1 (a box with no network at all)::

    >>> public_url("192.168.1.20", 80), public_url("192.168.1.20", 8080)
    ('http://192.168.1.20/', 'http://192.168.1.20:8080/')
    >>> is_lan_address("10.42.0.1"), is_lan_address("127.0.0.1"), is_lan_address("169.254.3.4")
    (True, False, False)
"""

from __future__ import annotations

import ipaddress
import socket

PROBES = ("10.255.255.255", "192.168.255.255", "172.31.255.255")


def is_lan_address(address: str) -> bool:
    """True for a private IPv4 address a phone on the same network can reach."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.version == 4 and ip.is_private and not ip.is_loopback and not ip.is_link_local


def lan_address() -> str:
    """The box's LAN IPv4 address, or 127.0.0.1 when it has none."""
    for probe in PROBES:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                udp.connect((probe, 9))
                address = udp.getsockname()[0]
        except OSError:
            continue
        if is_lan_address(address):
            return str(address)
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        infos = []
    for info in infos:
        address = str(info[4][0])
        if is_lan_address(address):
            return address
    return "127.0.0.1"


def https_url(host: str, port: int) -> str:
    """The https address of the host a page was loaded from (its Host header), on ``port``;
    '' when ``port`` is 0 (https off)::

        >>> https_url("192.168.1.20:8080", 8443), https_url("[fd00::1]:80", 443)
        ('https://192.168.1.20:8443/', 'https://[fd00::1]/')
    """
    if not port or not host:
        return ""
    name = host.split("]", 1)[0] + "]" if host.startswith("[") else host.rsplit(":", 1)[0]
    return f"https://{name}/" if port == 443 else f"https://{name}:{port}/"


def public_url(address: str, port: int) -> str:
    """``http://address[:port]/``."""
    return f"http://{address}/" if port == 80 else f"http://{address}:{port}/"
