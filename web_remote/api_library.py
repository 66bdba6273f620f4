"""Library API for the host: what the last scans could not index, a page at a time.

    GET /api/library/problems?offset=0&limit=50
        {"total": 3, "offset": 0, "problems": [{"path", "reason", "root"}...],
         "scans": [{"root", "summary", "files_summary", "files_seen", ... "finished_at"}]}

Host only: the paths are the box owner's folders. ``POST /api/library/rescan`` is in
``api_host.py``.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from web_remote.api_read import int_arg
from web_remote.context import require_host
from web_remote.remote import remote

bp = Blueprint("api_library", __name__, url_prefix="/api/library")
MAX_PAGE = 200


@bp.get("/problems")
def problems() -> Response:
    """Host: the files the last scans could not index, with the reason, and their counts."""
    require_host("see the library's problems")
    limit = int_arg("limit", 50, 1, MAX_PAGE)
    offset = int_arg("offset", 0, 0, 10_000_000)
    page = remote().core.library_problems(offset, limit)
    return jsonify(
        {
            "total": page.total,
            "offset": page.offset,
            "problems": [
                {"path": p.path, "reason": p.reason, "root": p.root} for p in page.problems
            ],
            "scans": page.runs,
        }
    )
