"""The names this box answers to, against DNS rebinding.

A page on another site can make its own name point at the box's address; the browser then
calls that page "same origin" with the box, and would let it read the API. The ``Host`` header
still carries the other site's name, so the API answers only requests whose Host is an address
(any IP literal: a rebinding page cannot make the browser send one) or one of the box's own
names: its host name, that name under ``.local`` (mDNS), ``localhost``, the host of the
public URL (``[web] public_url``, the address on the TV), and any name given in ``extra``.
The port is not looked at: the https front's port (web_remote/tls_front.py) passes as the
http one does::

    >>> names = BoxNames(lambda: "http://karaoke.lan/", hostname="box")
    >>> [names.allowed(h) for h in ("192.168.1.20:8080", "[::1]:80", "box.local", "KARAOKE.lan")]
    [True, True, True, True]
    >>> names.allowed("192.168.1.20:8443"), names.allowed("karaoke.lan:8443")   # the https port
    (True, True)
    >>> names.allowed("evil.example:8080"), names.allowed("")
    (False, False)
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit


class BoxNames:
    """Decides whether a Host header names this box."""

    def __init__(
        self,
        public_url: Callable[[], str],
        extra: Iterable[str] = (),
        hostname: str | None = None,
    ) -> None:
        own = (hostname if hostname is not None else socket.gethostname()).lower().rstrip(".")
        self._public_url = public_url
        self._names = {"localhost", own, f"{own}.local", *(n.lower() for n in extra)}

    def allowed(self, host: str) -> bool:
        """True if ``host`` (a Host header, maybe with a port) is an address or one of ours."""
        if not host:
            return False
        if host.startswith("["):
            return _is_address(host[1:].split("]", 1)[0])
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        if _is_address(name):
            return True
        name = name.lower().rstrip(".")
        if name in self._names:
            return True
        public = (urlsplit(self._public_url()).hostname or "").lower()
        return bool(public) and name == public


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
