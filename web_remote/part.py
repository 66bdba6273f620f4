"""The web remote as a part of the box: ``start(box) -> Part`` (called by appliance/app.py).

Reads ``[web]`` (enabled, host, port, pin, public_url); ``box.options["port"]`` and
``box.options["public_url"]`` override them. Sets ``box.public_url`` to an address a phone on the
same network can reach (the TV shows it as a QR code) and logs the host PIN.
"""

from __future__ import annotations

import logging
from typing import Any

from web_remote.app import create_app
from web_remote.netaddr import lan_address, public_url
from web_remote.power import make_power
from web_remote.remote import RemoteOptions
from web_remote.secrets_store import host_pin
from web_remote.server import WebServer

log = logging.getLogger(__name__)
FALLBACK_PORT = 8080


class RemotePart:
    """The running remote."""

    def __init__(self, server: WebServer) -> None:
        self.server = server

    def stop(self) -> None:
        """Stop serving."""
        self.server.stop()


def start(box: Any) -> RemotePart | None:
    """Serve the remote for ``box.core``; None when ``[web] enabled = false``."""
    web = box.config.web
    if not web.enabled:
        log.info("web remote disabled in the configuration")
        return None
    state_dir = box.config.state_dir()
    pin = host_pin(web.pin, state_dir)
    options = RemoteOptions(
        state_dir=state_dir,
        pin=pin,
        power=make_power(),
        rescan=box.library.rescan,
        public_url=lambda: box.public_url,
        hotspot_active=box.options.get("hotspot_active") or (lambda: False),
    )
    app = create_app(box.core, options)
    port = int(box.options.get("port") or web.port)
    server = _bind(app, web.host, port)
    box.public_url = box.options.get("public_url") or web.public_url or _reachable(web.host, server)
    server.start()
    log.info("phone remote at %s - host PIN %s (also: karaoke pin)", box.public_url, pin)
    return RemotePart(server)


def _bind(app: Any, host: str, port: int) -> WebServer:
    try:
        return WebServer(app, host, port)
    except PermissionError:
        if port >= 1024:
            raise
        log.warning("port %d needs privileges; serving on %d instead", port, FALLBACK_PORT)
        return WebServer(app, host, FALLBACK_PORT)


def _reachable(host: str, server: WebServer) -> str:
    address = host if host not in ("0.0.0.0", "", "::") else lan_address()
    return public_url(address, server.port)
