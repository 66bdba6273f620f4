"""``GET /api/events``: the Server-Sent Events stream of one phone, fed by the app's
:class:`~web_remote.broadcaster.Broadcaster` (what is sent, and when: see that module)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from web_remote.remote import remote

bp = Blueprint("stream", __name__, url_prefix="/api")


@bp.get("/events")
def events_stream() -> Response:
    """Server-Sent Events: a snapshot now and on every change; notices; heartbeats."""
    broadcaster = remote().broadcaster
    assert broadcaster is not None
    response = Response(broadcaster.stream(request.remote_addr or ""), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"
    return response
