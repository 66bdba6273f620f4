"""The phone pages: one small HTML shell, one stylesheet, a few plain scripts (no build step,
no CDN). Served with ETags so a phone on weak Wi-Fi loads them once."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, send_from_directory

STATIC_DIR = Path(__file__).parent / "static"
bp = Blueprint("pages", __name__)


@bp.get("/")
def index() -> Response:
    """The remote (every view lives in this one page)."""
    response = send_from_directory(STATIC_DIR, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/static/<path:name>")
def static_file(name: str) -> Response:
    """Stylesheet, scripts, icon (revalidated with ETags)."""
    response = send_from_directory(STATIC_DIR, name, max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The icon browsers ask for on their own."""
    return send_from_directory(STATIC_DIR, "icon.svg", mimetype="image/svg+xml", max_age=3600)
