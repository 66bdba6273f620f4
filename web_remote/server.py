"""Serving the app with waitress on threads of the main process.

Each live stream holds one waitress thread, so the pool has room for ``max_streams`` phones plus
``request_threads`` for ordinary requests (the broadcaster caps streams below that)::

    server = WebServer(app, host="0.0.0.0", port=8080)   # max_streams: the app's (240)
    server.start()          # returns once the socket listens
    server.serve_https(ssl_context, 8443)   # the same remote over TLS (web_remote/tls_front.py)
    ...
    server.stop()           # both
"""

from __future__ import annotations

import logging
import ssl
import threading

from flask import Flask
from waitress import wasyncore

from appliance.core.errors import ConfigError
from web_remote.connections import ConnectionLimits, GuardedServer
from web_remote.tls_front import TlsFront

log = logging.getLogger(__name__)
REQUEST_THREADS = 16
MAX_BODY_BYTES = 64 * 1024
OUTBUF_HIGH_WATERMARK = 128 * 1024
"""waitress appends a channel's output to one buffer until this many bytes went through it;
its default (16 MB, spilling to temp files past 1 MB) suits finite answers, but a stream that
runs all night would hold up to 16 MB per phone. Rotating at 128 KB keeps each phone's buffer
small and in memory, and holds back the stream thread of a phone that stopped reading."""


class WebServer:
    """waitress on a background thread, stoppable."""

    def __init__(
        self,
        app: Flask,
        host: str,
        port: int,
        *,
        max_streams: int | None = None,
        request_threads: int = REQUEST_THREADS,
        limits: ConnectionLimits | None = None,
    ) -> None:
        self.app = app
        self.host = host
        self.https: TlsFront | None = None
        remote = app.extensions.get("karaoke")
        broadcaster = getattr(remote, "broadcaster", None)
        if max_streams is None:
            max_streams = broadcaster.max_streams if broadcaster else 240
        if broadcaster is not None:
            broadcaster.max_streams = max_streams  # streams never take the request threads
        self._limits = limits or ConnectionLimits()
        self._server = GuardedServer(
            app,
            self._limits,
            remote.is_host_address if remote is not None else _is_the_box,
            host=host,
            port=port,
            threads=max_streams + request_threads,
            asyncore_use_poll=True,
            max_request_body_size=MAX_BODY_BYTES,
            max_request_header_size=16 * 1024,
            outbuf_high_watermark=OUTBUF_HIGH_WATERMARK,
            ident="karaoke",
            clear_untrusted_proxy_headers=True,
        )
        self._thread: threading.Thread | None = None

    @property
    def guarded(self) -> GuardedServer:
        """The waitress server (its per-address counts)."""
        return self._server

    @property
    def port(self) -> int:
        """The port actually bound (useful with port 0)."""
        return int(self._server.effective_port)

    def serve_https(self, context: ssl.SSLContext, port: int) -> TlsFront:
        """Also serve the remote over TLS on ``port`` (0: a free one), on the same host."""
        if ":" in self.host:
            raise ConfigError("[web]", ["https is served on IPv4 hosts only"])
        target = "127.0.0.1" if self.host in ("", "0.0.0.0", "localhost") else self.host
        front = TlsFront(
            context,
            (self.host or "0.0.0.0", port),
            (target, self.port),
            self._limits,
            self._server.is_host_address,
        )
        self._server.relay = front
        front.start()
        self.https = front
        return front

    def start(self) -> None:
        """Serve on a daemon thread."""
        self._thread = threading.Thread(target=self._server.run, name="web-remote", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """End streams, stop the worker threads, close every socket."""
        if self.https is not None:
            self.https.stop(timeout_s)
        remote = self.app.extensions.get("karaoke")
        if remote is not None and remote.broadcaster is not None:
            remote.broadcaster.close()
        self._server.task_dispatcher.shutdown(timeout=timeout_s)
        wasyncore.close_all(self._server._map)
        if self._thread is not None:
            self._thread.join(timeout_s)


def _is_the_box(address: str) -> bool:
    return address in ("127.0.0.1", "::1")
