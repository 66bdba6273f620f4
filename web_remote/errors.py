"""Errors as JSON: ``{"error": "forbidden", "reason": "only the host may skip"}`` with the right
4xx code. The core's errors map by class; the web adds a few of its own, in the same hierarchy::

    >>> status_of(PermissionDenied("only the host may skip"))
    403
    >>> status_of(RateLimited(2.0)), status_of(BadBody("body", "not JSON"))
    (429, 400)
"""

from __future__ import annotations

import logging
import math
from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from appliance.core.errors import (
    Conflict,
    InvalidRequest,
    KaraokeError,
    LimitReached,
    NotFound,
    PermissionDenied,
    RequestError,
)

log = logging.getLogger(__name__)


class BadBody(InvalidRequest):
    """The request body is not the JSON object expected (HTTP 400)."""


class RateLimited(LimitReached):
    """Too many requests from this client; try again in ``retry_after_s`` (HTTP 429)."""

    def __init__(self, retry_after_s: float, reason: str = "too many requests") -> None:
        super().__init__(f"{reason}; try again in {math.ceil(retry_after_s)} s")
        self.retry_after_s = retry_after_s


class NotJoined(PermissionDenied):
    """The phone has not joined as a singer yet (HTTP 403)."""


class WrongHost(RequestError):
    """The request names a host that is not this box (DNS rebinding; HTTP 421)."""


_STATUS: tuple[tuple[type[KaraokeError], int, str], ...] = (
    (BadBody, 400, "bad_request"),
    (WrongHost, 421, "misdirected_request"),
    (InvalidRequest, 422, "invalid"),
    (NotFound, 404, "not_found"),
    (PermissionDenied, 403, "forbidden"),
    (RateLimited, 429, "rate_limited"),
    (LimitReached, 409, "limit_reached"),
    (Conflict, 409, "conflict"),
    (RequestError, 400, "bad_request"),
)


def status_of(error: KaraokeError) -> int:
    """The HTTP status for one of the box's errors."""
    return _lookup(error)[0]


def _lookup(error: KaraokeError) -> tuple[int, str]:
    for cls, status, name in _STATUS:
        if isinstance(error, cls):
            return status, name
    return 500, "internal"


def error_response(status: int, error: str, reason: str, **extra: Any) -> Response:
    """A JSON error answer."""
    response = jsonify({"error": error, "reason": reason, **extra})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def register_error_handlers(app: Flask) -> None:
    """Every error the app can meet answers JSON."""

    @app.errorhandler(KaraokeError)
    def karaoke_error(error: KaraokeError) -> Response:
        status, name = _lookup(error)
        if status == 500:
            log.exception("unexpected error of the box")
            return error_response(500, "internal", "the box hit an unexpected problem")
        extra: dict[str, Any] = {}
        if isinstance(error, InvalidRequest):
            extra["field"] = error.field
        response = error_response(status, name, str(error), **extra)
        if isinstance(error, RateLimited):
            response.headers["Retry-After"] = str(math.ceil(error.retry_after_s))
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        name = (error.name or "error").lower().replace(" ", "_")
        response = error_response(error.code or 500, name, error.description or name)
        if error.code == 405 and error.response is None:
            allowed = getattr(error, "valid_methods", None)
            if allowed:
                response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        log.exception("unexpected error in the web remote")
        return error_response(500, "internal", "the box hit an unexpected problem")
