"""Read-only API: the session, the night's state, the catalog, history.

GET /api/session              device id cookie, CSRF token, who I am
GET /api/state                the snapshot phones show (also pushed by /api/events)
GET /api/upcoming?singer_id=  the queue past the snapshot's first entries, paged
GET /api/songs?q=grace        search title and artist as you type
GET /api/songs/<id>           a song with its stems
GET /api/songs/<id>/defaults  what I (or, for the host, ?singer_id=) used last time
GET /api/artists, /api/artists/<name>/songs, /api/recent
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from appliance.core.errors import InvalidRequest, NotFound
from web_remote.context import (
    COOKIE_MAX_AGE_S,
    DEVICE_COOKIE,
    device,
    is_host,
    require_singer,
    set_cookie,
    singer_id,
)
from web_remote.netaddr import https_url
from web_remote.remote import remote
from web_remote.serializers import (
    history_view,
    queue_item_view,
    settings_view,
    snapshot_view,
    song_detail_view,
    song_view,
)

bp = Blueprint("api_read", __name__, url_prefix="/api")
MAX_ARTIST_CHARS = 200


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """A whole-number query argument in range (InvalidRequest otherwise)."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidRequest(name, "must be a whole number") from None
    if not low <= value <= high:
        raise InvalidRequest(name, f"must be from {low} to {high}")
    return value


@bp.get("/session")
def session() -> Response:
    """Who this phone is; makes a device id on the first visit."""
    rem = remote()
    own = device()
    fresh = own is None
    token = rem.tokens.new_device() if fresh else ""
    if fresh:
        own = rem.tokens.read_device(token)
    assert own is not None
    singer: dict[str, Any] | None = None
    found = None if fresh else singer_id()
    if found is not None:
        singer = {"singer_id": found, "name": rem.core.singer(found).name}
    response = jsonify(
        {
            "csrf_token": rem.tokens.csrf(own),
            "singer": singer,
            "host": False if fresh else is_host(),
            "pin_locked_s": round(rem.pin_guard.locked_for(request.remote_addr or ""), 1),
            "public_url": rem.options.public_url(),
            "https_url": https_url(request.host, rem.options.https_port()),
        }
    )
    if fresh:
        set_cookie(response, DEVICE_COOKIE, token, COOKIE_MAX_AGE_S)
    return response


@bp.get("/state")
def state() -> Response:
    """The night as phones show it."""
    rem = remote()
    view = snapshot_view(rem.core.snapshot())
    if rem.broadcaster is not None:
        view["library"] = rem.broadcaster.library.view()
    return jsonify(view)


@bp.get("/upcoming")
def upcoming() -> Response:
    """The queue in pages (``offset``, ``limit``), or one singer's entries (``singer_id``)."""
    items = list(enumerate(remote().core.snapshot().upcoming))
    if request.args.get("singer_id"):
        wanted = int_arg("singer_id", 0, 0, 2**31)
        items = [(i, item) for i, item in items if item.singer.singer_id == wanted]
    offset = int_arg("offset", 0, 0, 100_000)
    limit = int_arg("limit", 50, 1, 100)
    page = items[offset : offset + limit]
    return jsonify({"upcoming": [queue_item_view(item, i) for i, item in page],
                    "total": len(items)})  # fmt: skip


@bp.get("/songs")
def search() -> Response:
    """Search as you type (empty query: everything by artist)."""
    query = request.args.get("q", "")[:100]
    limit = int_arg("limit", 30, 1, 100)
    offset = int_arg("offset", 0, 0, 100_000)
    songs = remote().core.search(query, limit=limit, offset=offset)
    return jsonify({"songs": [song_view(song) for song in songs]})


@bp.get("/songs/<song_id>")
def song(song_id: str) -> Response:
    """One song with its stems."""
    return jsonify(song_detail_view(remote().core.song(song_id)))


@bp.get("/songs/<song_id>/defaults")
def defaults(song_id: str) -> Response:
    """The settings to start from: what this singer used last time for this song."""
    core = remote().core
    song_found = core.song(song_id)
    wanted = request.args.get("singer_id")
    target = int_arg("singer_id", 0, 0, 2**31) if wanted and is_host() else require_singer()
    return jsonify(settings_view(core.default_settings(target, song_found.song_id), song_found.key))


@bp.get("/artists")
def artists() -> Response:
    """Every artist with a song count."""
    rows = remote().core.artists()
    return jsonify({"artists": [{"artist": name, "songs": count} for name, count in rows]})


@bp.get("/artists/<path:artist>/songs")
def artist_songs(artist: str) -> Response:
    """Songs of one artist."""
    if len(artist) > MAX_ARTIST_CHARS:
        raise InvalidRequest("artist", f"at most {MAX_ARTIST_CHARS} characters")
    songs = remote().core.songs_by_artist(artist)
    if not songs:
        raise NotFound(f"no songs by {artist!r}")
    return jsonify({"songs": [song_view(s) for s in songs]})


@bp.get("/recent")
def recent() -> Response:
    """Recently sung songs (to the end), newest first, and the latest history rows."""
    core = remote().core
    return jsonify(
        {
            "songs": [song_view(s) for s in core.recent_songs(20)],
            "history": [history_view(item) for item in core.history(20)],
        }
    )
