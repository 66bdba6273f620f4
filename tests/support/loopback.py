"""Phones on the loopback network, for the hostile-guest tests and the hostile benchmark.

Linux routes all of 127.0.0.0/8 to ``lo``, so each phone binds its own address (127.0.0.2,
127.0.0.3, ...) and the server tells them apart as it tells apart phones on the party Wi-Fi.
``LoopbackPhone`` speaks raw HTTP (http.client, one request per connection unless kept), keeps
its cookies and CSRF token; ``raw_request`` sends bytes exactly as given::

    phone = LoopbackPhone(served.url, "127.0.0.3")
    phone.join("Ada")
    status, body = phone.send("POST", "/api/queue", {"song_id": "..."})
"""

from __future__ import annotations

import http.client
import json
import socket
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit


class LoopbackPhone:
    """One phone at ``address``: its cookies, its CSRF token."""

    def __init__(self, url: str, address: str, *, timeout_s: float = 10.0) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.address = address
        self.timeout_s = timeout_s
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.last_headers: dict[str, str] = {}

    def open_session(self) -> LoopbackPhone:
        """GET /api/session: the device cookie and the CSRF token."""
        status, body = self.get("/api/session")
        assert status == 200, body
        self.csrf = body["csrf_token"]
        return self

    def connection(self) -> http.client.HTTPConnection:
        """A new connection from this phone's address."""
        return http.client.HTTPConnection(
            self.host, self.port, timeout=self.timeout_s, source_address=(self.address, 0)
        )

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        """One request on a fresh connection; the answer's status and JSON (or text)."""
        sent = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.csrf:
            sent["X-CSRF-Token"] = self.csrf
        if body is not None:
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        connection = self.connection()
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
            self.last_headers = {k.lower(): v for k, v in response.getheaders()}
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            return response.status, _decoded(data)
        finally:
            connection.close()

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        return self.request("GET", path, headers=headers)

    def send(self, method: str, path: str, payload: object = None, **kw: Any) -> tuple[int, Any]:
        raw = None if payload is None else json.dumps(payload).encode()
        return self.request(method, path, raw, **kw)

    def join(self, name: str) -> int:
        status, body = self.send("POST", "/api/join", {"name": name})
        assert status == 200, body
        return int(body["singer"]["singer_id"])

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


def _decoded(data: bytes) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        return data.decode("utf-8", "replace")


def raw_request(url: str, address: str, data: bytes, timeout_s: float = 10.0) -> bytes:
    """Send ``data`` as is from ``address``; everything the server answers until it closes."""
    parts = urlsplit(url)
    with socket.create_connection(
        (parts.hostname, parts.port), timeout=timeout_s, source_address=(address, 0)
    ) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
