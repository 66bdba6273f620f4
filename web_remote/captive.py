"""Captive-portal answers: in hotspot mode, a phone that joins the box's Wi-Fi opens the remote.

Phones probe a known URL after joining a network; a wrong answer makes them show a "sign in to
network" sheet with whatever page they got. In hotspot mode every DNS name points at the box
(``deploy/config/dnsmasq-captive.conf``), so the probes arrive here, and we lead them to the
remote. Outside hotspot mode the probes get the expected answers, so phones stay quiet::

    app.register_blueprint(create_captive_blueprint(
        remote_url=lambda: "http://10.42.0.1/",
        hotspot_active=lambda: network_status().mode is NetworkMode.HOTSPOT,
    ))

Probes answered: Android ``/generate_204`` and ``/gen_204``; Apple ``/hotspot-detect.html`` and
``/library/test/success.html``; Windows ``/connecttest.txt``, ``/ncsi.txt`` and ``/redirect``;
Firefox ``/success.txt`` and ``/canonical.html``. In hotspot mode any request for a foreign host
name (a phone's app, a typed address) is redirected to the remote as well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from urllib.parse import urlsplit

from flask import Blueprint, Response, redirect, request
from werkzeug.wrappers import Response as AnyResponse

APPLE_SUCCESS = "<HTML><HEAD><TITLE>Success</TITLE></HEAD><BODY>Success</BODY></HTML>"
ANDROID_PATHS = ("/generate_204", "/gen_204")
APPLE_PATHS = ("/hotspot-detect.html", "/library/test/success.html")
FIREFOX_CANONICAL = (
    '<meta http-equiv="refresh" content="0;url=https://support.mozilla.org/kb/captive-portal"/>'
)
PROBE_PATHS = frozenset(
    (*ANDROID_PATHS, *APPLE_PATHS, "/connecttest.txt", "/ncsi.txt", "/success.txt",
     "/canonical.html")
)  # fmt: skip
NO_CACHE = {"Cache-Control": "no-store, no-cache, must-revalidate", "Pragma": "no-cache"}


def portal_page(url: str) -> str:
    """A tiny page that opens the remote (the sign-in sheet of iOS shows it)."""
    safe = escape(url, quote=True)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<meta http-equiv='refresh' content='0;url={safe}'>"
        "<meta name='viewport' content='width=device-width'><title>Karaoke</title></head>"
        f"<body><p><a href='{safe}'>Open the karaoke remote</a></p></body></html>"
    )


def create_captive_blueprint(
    remote_url: Callable[[], str],
    hotspot_active: Callable[[], bool],
    own_hosts: Callable[[], Iterable[str]] = lambda: (),
) -> Blueprint:
    """The blueprint; both callables are asked on every request (the mode may change)."""
    bp = Blueprint("captive", __name__)

    def to_remote() -> AnyResponse:
        response = redirect(remote_url(), code=302)
        response.headers.update(NO_CACHE)
        return response

    def plain(body: str, mimetype: str = "text/plain") -> Response:
        return Response(body, mimetype=mimetype, headers=NO_CACHE)

    def android() -> AnyResponse:
        return to_remote() if hotspot_active() else Response(status=204, headers=NO_CACHE)

    def apple() -> AnyResponse:
        if hotspot_active():
            return plain(portal_page(remote_url()), "text/html")
        return plain(APPLE_SUCCESS, "text/html")

    for path in ANDROID_PATHS:
        bp.add_url_rule(path, "android" + path.replace("/", "_"), android)
    for path in APPLE_PATHS:
        bp.add_url_rule(path, "apple" + path.replace("/", "_").replace(".", "_"), apple)

    @bp.route("/connecttest.txt")
    def windows_connect_test() -> AnyResponse:
        return to_remote() if hotspot_active() else plain("Microsoft Connect Test")

    @bp.route("/ncsi.txt")
    def windows_ncsi() -> AnyResponse:
        return to_remote() if hotspot_active() else plain("Microsoft NCSI")

    @bp.route("/redirect")
    def windows_redirect() -> AnyResponse:
        return to_remote()

    @bp.route("/success.txt")
    def firefox_success() -> AnyResponse:
        return to_remote() if hotspot_active() else plain("success\n")

    @bp.route("/canonical.html")
    def firefox_canonical() -> AnyResponse:
        return to_remote() if hotspot_active() else plain(FIREFOX_CANONICAL, "text/html")

    @bp.before_app_request
    def foreign_host_to_remote() -> AnyResponse | None:
        if not hotspot_active() or request.path in PROBE_PATHS:
            return None  # a probe gets its own answer (Apple's: the portal page, not a redirect)
        host = (request.host or "").rsplit(":", 1)[0].lower()
        known = {h.lower() for h in own_hosts()}
        known.add((urlsplit(remote_url()).hostname or "").lower())
        if host in known or host in {"localhost", "127.0.0.1"} or host.endswith(".local"):
            return None
        return to_remote()

    return bp
