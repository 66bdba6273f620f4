"""Per-request helpers: who is asking (device, singer, host), the JSON body, and the guards that
run before every API request (rate limits, CSRF, same origin)::

    # in a handler
    core.skip(actor())                 # Actor.host() or Actor.guest(singer_id)
    name = json_body().get("name")
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Response, g, request

from appliance.core.errors import NotFound, PermissionDenied
from appliance.core.service import Actor
from web_remote.errors import BadBody, NotJoined, RateLimited, WrongHost
from web_remote.jsonio import parse_body
from web_remote.remote import remote

DEVICE_COOKIE = "kb_device"
GUEST_COOKIE = "kb_guest"
HOST_COOKIE = "kb_host"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
COOKIE_MAX_AGE_S = 30 * 24 * 3600
OWN_LIMITS = frozenset({"/api/pitch"})
"""API paths with rate limits of their own (a listening phone's pitch posts,
:mod:`web_remote.api_pitch`): the shared buckets do not count them."""


def client_address() -> str:
    """The client's address (no proxy sits in front of the box, so headers are not trusted)."""
    return request.remote_addr or "unknown"


def device() -> str | None:
    """This phone's device id, from its signed cookie (None before GET /api/session)."""
    if "device" not in g:
        g.device = remote().tokens.read_device(request.cookies.get(DEVICE_COOKIE))
    return g.device


def is_host() -> bool:
    """True if this device holds a live host session, or the host chose home mode (everyone
    is host: a night setting)."""
    if "is_host" not in g:
        rem = remote()
        if rem.core.settings().home_mode:
            g.is_host = True
        else:
            session = rem.tokens.host_session(request.cookies.get(HOST_COOKIE), device())
            g.is_host = session is not None and not rem.revoked.is_revoked(session)
    return bool(g.is_host)


def singer_id() -> int | None:
    """The singer this device joined as, if that singer still exists and is still its own."""
    if "singer_id" not in g:
        g.singer_id = _own_singer()
    return g.singer_id


def _own_singer() -> int | None:
    rem = remote()
    found = rem.tokens.read_guest(request.cookies.get(GUEST_COOKIE), device())
    if found is None or rem.core.holder_of(found) != device():
        return None
    try:
        rem.core.singer(found)
    except NotFound:
        return None
    return found


def actor() -> Actor:
    """The core's view of who asks."""
    return Actor.host() if is_host() else Actor.guest(singer_id())


def require_singer() -> int:
    """This device's singer id, or NotJoined."""
    found = singer_id()
    if found is None:
        raise NotJoined("join with your name first")
    return found


def require_host(action: str) -> None:
    """PermissionDenied unless this device is the host."""
    if not is_host():
        raise PermissionDenied(f"only the host may {action}")


def json_body() -> dict[str, Any]:
    """The request's JSON object (BadBody with the reason otherwise; see jsonio)."""
    if "json_body" not in g:
        if not request.is_json:
            raise BadBody("body", "must be a JSON object (Content-Type: application/json)")
        g.json_body = parse_body(request.get_data(cache=True))
    return dict(g.json_body)


def guard_api_request() -> None:
    """Before every /api request, in this order: the Host is one of the box's names (DNS
    rebinding), the request comes from the box's own pages (Origin, Sec-Fetch-Site) and, for
    changes, carries the CSRF token; only then do the rate limits count it (a page of another
    site cannot spend the host's requests); then a change's JSON body is checked."""
    rem = remote()
    if not rem.hosts.allowed(request.host):
        raise WrongHost(f"this box does not answer to {request.host[:80]!r}")
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        raise PermissionDenied("requests from other sites are refused")
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        raise PermissionDenied("requests from other sites are refused")
    changes = request.method not in SAFE_METHODS
    if changes and not rem.tokens.check_csrf(device(), request.headers.get(CSRF_HEADER)):
        raise PermissionDenied("missing or stale CSRF token: reload the page")
    if request.path in OWN_LIMITS:  # a listening phone's pitch posts: their own buckets
        return
    wait = rem.reads.take(client_address())
    if wait:
        raise RateLimited(wait)
    if not changes:
        return
    wait = rem.writes.take(client_address())
    if wait:
        raise RateLimited(wait, "too many changes")
    if request.is_json and request.content_length:
        json_body()  # a malformed body is refused (400) before any handler looks at the night


def set_cookie(response: Response, name: str, value: str, max_age: float) -> None:
    """An HttpOnly, SameSite=Strict cookie for the whole site."""
    response.set_cookie(
        name, value, max_age=int(max_age), httponly=True, samesite="Strict", path="/"
    )


SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def add_security_headers(response: Response) -> Response:
    """After every request: CSP and friends; API answers are never cached."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith("/api/") and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response
