"""Guest (and host) changes: join, queue, change, move and remove entries, live mix.

    POST   /api/join                {"name": "Ada"}
    POST   /api/queue               {"song_id": "...", "settings": {"key_semitones": 2}}
    PATCH  /api/entries/<id>        {"settings": {...}}    (only the keys to change)
    POST   /api/entries/<id>/move   {"index": 0}
    DELETE /api/entries/<id>
    PATCH  /api/live                {"settings": {...}}    (the current singer, or the host)

The core decides rights (a guest changes only their own entries): a 403 here comes from it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from appliance.core.errors import Conflict, InvalidRequest, NotFound
from appliance.core.models import MixSettings, QueueEntry
from web_remote.context import (
    COOKIE_MAX_AGE_S,
    GUEST_COOKIE,
    actor,
    client_address,
    device,
    is_host,
    json_body,
    require_singer,
    set_cookie,
    singer_id,
)
from web_remote.errors import NotJoined
from web_remote.remote import remote
from web_remote.serializers import settings_view

bp = Blueprint("api_queue", __name__, url_prefix="/api")


def entry_view(entry: QueueEntry) -> dict[str, Any]:
    """A queue entry as returned after a change."""
    song = remote().core.find_song(entry.song_id)
    return {
        "entry_id": entry.entry_id,
        "singer_id": entry.singer_id,
        "song_id": entry.song_id,
        "settings": settings_view(entry.settings, song.key if song else ""),
    }


def changed(**data: Any) -> Response:
    """A change's answer, with the version phones will see it in."""
    return jsonify({**data, "version": remote().core.version})


def settings_from(body: dict[str, Any], base: MixSettings) -> MixSettings:
    """``body["settings"]`` (only the keys to change) over ``base``; validated."""
    raw = body.get("settings", {})
    if not isinstance(raw, dict):
        raise InvalidRequest("settings", "must be an object")
    return MixSettings.from_dict(raw, base=base)


def _entry_settings(entry_id: int) -> MixSettings:
    for item in remote().core.snapshot().upcoming:
        if item.entry.entry_id == entry_id:
            return item.entry.settings
    raise NotFound(f"no queued entry with id {entry_id}")


@bp.post("/join")
def join() -> Response:
    """Join (or come back) as a singer; this device keeps the name."""
    rem = remote()
    own = device()
    if own is None:
        raise NotJoined("open the remote's page first (no device cookie)")
    name = json_body().get("name")
    address = client_address()
    may_create = rem.joins.may_create(address)
    singer, created = rem.core.join_from_phone(name, own, may_create=may_create)
    if created:
        rem.joins.spend(address)
    response = changed(singer={"singer_id": singer.singer_id, "name": singer.name})
    set_cookie(response, GUEST_COOKIE, rem.tokens.guest(own, singer.singer_id), COOKIE_MAX_AGE_S)
    return response


def _target_singer(body: dict[str, Any]) -> int:
    core = remote().core
    if is_host():
        if body.get("singer_name") is not None:
            return core.join(body["singer_name"]).singer_id
        wanted = body.get("singer_id", singer_id())
        if wanted is None:
            raise InvalidRequest("singer_id", "say who sings (singer_id or singer_name)")
        return _whole(wanted, "singer_id")
    own = require_singer()
    wanted = body.get("singer_id", own)
    return _whole(wanted, "singer_id")


def _whole(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidRequest(field, "must be a whole number")
    return value


@bp.post("/queue")
def queue_song() -> Response:
    """Queue a song for yourself (the host: for anyone), settings over last time's."""
    core = remote().core
    body = json_body()
    song_id = body.get("song_id")
    if not isinstance(song_id, str) or not 0 < len(song_id) <= 128:
        raise InvalidRequest("song_id", "must be a song id")
    target = _target_singer(body)
    actor().require_self_or_host(target, "queue")
    song = core.song(song_id)
    core.singer(target)
    settings = settings_from(body, core.default_settings(target, song.song_id))
    entry = core.queue_song(actor(), target, song.song_id, settings)
    response = changed(entry=entry_view(entry))
    response.status_code = 201
    return response


@bp.patch("/entries/<int:entry_id>")
def update_entry(entry_id: int) -> Response:
    """Change key, tempo, guide level or stem gains of a queued entry."""
    settings = settings_from(json_body(), _entry_settings(entry_id))
    entry = remote().core.update_entry(actor(), entry_id, settings)
    return changed(entry=entry_view(entry))


@bp.post("/entries/<int:entry_id>/move")
def move_entry(entry_id: int) -> Response:
    """Move an entry within its singer's list (the host in FIFO mode: the whole queue)."""
    index = json_body().get("index")
    remote().core.move_entry(actor(), entry_id, _whole(index, "index"))
    return changed(ok=True)


@bp.delete("/entries/<int:entry_id>")
def remove_entry(entry_id: int) -> Response:
    """Take an entry out of the queue."""
    remote().core.remove_entry(actor(), entry_id)
    return changed(ok=True)


@bp.patch("/live")
def live_settings() -> Response:
    """Key, tempo, guide level or stems of the song playing (its singer, or the host)."""
    core = remote().core
    base = core.current_settings()
    if base is None:
        raise Conflict("no song is playing")
    applied = core.set_live_settings(actor(), settings_from(json_body(), base))
    snapshot = core.snapshot()
    key = snapshot.now.song.key if snapshot.now else ""
    return changed(settings=settings_view(applied, key))
