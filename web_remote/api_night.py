"""Second thoughts and the night's people: undo a removal or a skip for a few seconds after it
(the core keeps what was taken: :mod:`appliance.core.undo`).

    POST /api/entries/<id>/restore     a removed entry back (its owner, or the host)
    POST /api/playback/undo-skip       the song just skipped back (host)
    PATCH /api/singers/<id> {"name"}   a new name (yourself, or the host)

``PATHS`` is their part of the OpenAPI document (:mod:`web_remote.openapi` merges it).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from web_remote.api_queue import changed, entry_view
from web_remote.context import actor, json_body
from web_remote.remote import remote

bp = Blueprint("api_night", __name__, url_prefix="/api")


@bp.patch("/singers/<int:singer_id>")
def rename_singer(singer_id: int) -> Response:
    """Change a singer's name (yourself, or the host); 409 if another singer has it. Leaving
    is ``DELETE /api/singers/<id>`` (:mod:`web_remote.api_host`)."""
    singer = remote().core.rename_singer(actor(), singer_id, json_body().get("name"))
    return changed(singer={"singer_id": singer.singer_id, "name": singer.name})


@bp.post("/entries/<int:entry_id>/restore")
def restore_entry(entry_id: int) -> Response:
    """Undo a removal (within the undo window; 409 after)."""
    entry = remote().core.undo_remove(actor(), entry_id)
    return changed(entry=entry_view(entry))


@bp.post("/playback/undo-skip")
def undo_skip() -> Response:
    """Undo the last skip: resumed where it was, or first in the queue (409 after the window)."""
    resumed = remote().core.undo_skip(actor())
    return changed(resumed=resumed)


def paths(op: Any, entry_id: Any, obj: Any, singer_id: Any, name: Any) -> dict[str, Any]:
    """The OpenAPI operations of this module (``op``, ``obj``, the path parameters and the
    ``name`` schema come from :mod:`web_remote.openapi`)."""
    return {
        "/api/singers/{singer_id}": {"patch": op(
            "Rename a singer (yourself; host: anyone); 409 if another singer has the name.",
            params=[singer_id], body=obj({"name": name}, ("name",)), write=True)},
        "/api/entries/{entry_id}/restore": {"post": op(
            "Undo a removal within 10 s (yours; host: any); 409 after.", params=[entry_id],
            write=True)},
        "/api/playback/undo-skip": {"post": op(
            "Undo the last skip within 10 s: resumed where it was, or first in the queue if "
            "another song already plays; 409 after.", obj({"resumed": {"type": "boolean"}}),
            host=True, write=True)},
    }  # fmt: skip
