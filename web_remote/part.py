"""The web remote as a part of the box: ``start(context) -> RemotePart`` (by appliance/app.py).

Reads its ``[web]`` section (enabled, host, port, pin, public_url, https_port:
web_remote/settings.py) from ``context.settings``. Its result's ``url`` is an address a phone
on the same network can reach (``[web] public_url`` when set; the TV shows it as a QR code);
it logs the host PIN. The captive portal asks ``context.network.hotspot_active``; the Rescan
button runs ``context.library.rescan`` (one scan at a time). With ``https_port`` it also
serves the remote over TLS with the box's own certificate (``<state_dir>/web/tls/box.pem``,
web_remote/tls_cert.py): where that fails (no openssl, the port taken) the remote stays on
http and says why in the log.
"""

from __future__ import annotations

import logging
import socket
import ssl
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from appliance.core.errors import KaraokeError
from appliance.parts import PartContext
from web_remote.app import create_app
from web_remote.netaddr import lan_address, public_url
from web_remote.power import make_power
from web_remote.remote import RemoteOptions
from web_remote.secrets_store import host_pin
from web_remote.server import WebServer
from web_remote.settings import WebConfig
from web_remote.tls_cert import box_certificate, server_context

log = logging.getLogger(__name__)
FALLBACK_PORT = 8080


class RemotePart:
    """The running remote and the address phones use."""

    def __init__(self, server: WebServer, url: str) -> None:
        self.server = server
        self.url = url

    def stop(self) -> None:
        """Stop serving."""
        self.server.stop()


class _Address:
    """The remote's address, known once the server has bound its port."""

    url = ""
    https_port = 0

    def __call__(self) -> str:
        return self.url


def start(context: PartContext[WebConfig]) -> RemotePart | None:
    """Serve the remote for ``context.core``; None when ``[web] enabled = false``."""
    web = context.settings
    if not web.enabled:
        log.info("web remote disabled in the configuration")
        return None
    pin = host_pin(web.pin, context.state_dir)
    address = _Address()
    options = RemoteOptions(
        state_dir=context.state_dir,
        pin=pin,
        power=make_power(),
        rescan=context.library.rescan,
        public_url=address,
        https_port=lambda: address.https_port,
        hotspot_active=context.network.hotspot_active,
    )
    app = create_app(context.core, options)
    server = _bind(app, web.host, web.port)
    address.url = web.public_url or _reachable(web.host, server)
    server.start()
    if web.https_port:
        address.https_port = _serve_https(server, web, context.state_dir, address.url)
    log.info("phone remote at %s - host PIN %s (also: karaoke pin)", address.url, pin)
    return RemotePart(server, address.url)


def _bind(app: Flask, host: str, port: int) -> WebServer:
    try:
        return WebServer(app, host, port)
    except PermissionError:
        if port >= 1024:
            raise
        log.warning("port %d needs privileges; serving on %d instead", port, FALLBACK_PORT)
        return WebServer(app, host, FALLBACK_PORT)


def _serve_https(server: WebServer, web: WebConfig, state_dir: Path, url: str) -> int:
    """The https front's port, or 0 where it cannot run (logged)."""
    own = socket.gethostname().lower()
    names = ["karaoke.local", f"{own}.local", own, "localhost", urlsplit(url).hostname or ""]
    try:
        path = box_certificate(state_dir, names, [lan_address(), "127.0.0.1"])
        front = server.serve_https(server_context(path), web.https_port)
    except (KaraokeError, OSError, ssl.SSLError) as error:
        log.warning("the remote stays on http only (https port %d): %s", web.https_port, error)
        return 0
    log.info("the remote also over https on port %d (phones can lend their mic)", front.port)
    return front.port


def _reachable(host: str, server: WebServer) -> str:
    address = host if host not in ("0.0.0.0", "", "::") else lan_address()
    return public_url(address, server.port)
