"""Host API: PIN login, transport, volume, singers, settings, library and power.

    POST /api/host/login {"pin": "123456"}   5 wrong -> this client is locked out for a while
    POST /api/playback/pause|resume|toggle|skip|restart|start-next, /api/playback/seek
    PUT  /api/volume {"volume": 0.7, "muted": false}
    POST /api/singers {"name": ...}; POST /api/singers/<id>/bump; POST /api/singers/<id>/pause
    DELETE /api/singers/<id>;  PATCH /api/settings;  POST /api/library/rescan
    POST /api/system/reboot|shutdown  (on the appliance only)

Rights are checked by the core (``Actor``); a guest asking gets 403 from it, not from hiding.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Blueprint, Response, jsonify, request

from appliance.core.errors import Conflict, InvalidRequest, PermissionDenied
from appliance.core.service import Actor, Core
from web_remote.api_queue import changed
from web_remote.context import (
    HOST_COOKIE,
    actor,
    client_address,
    device,
    is_host,
    json_body,
    require_host,
    set_cookie,
)
from web_remote.errors import RateLimited, error_response
from web_remote.remote import remote
from web_remote.serializers import night_settings_view

log = logging.getLogger(__name__)
bp = Blueprint("api_host", __name__, url_prefix="/api")
MAX_PIN_CHARS = 32
MAX_HOST_ADDRESSES = 64


@bp.post("/host/login")
def login() -> Response:
    """Trade the PIN for a host session on this device."""
    rem = remote()
    client = client_address()
    locked = rem.pin_guard.locked_for(client)
    if locked:
        raise RateLimited(locked, "PIN entry is locked after too many wrong PINs")
    pin = json_body().get("pin")
    if not isinstance(pin, str) or not 0 < len(pin) <= MAX_PIN_CHARS:
        raise InvalidRequest("pin", "must be the PIN as text")
    own = device()
    if own is None:
        raise PermissionDenied("open the remote's page first (no device cookie)")
    if own not in rem.host_devices:
        wait = rem.pin_guard.global_wait()
        if wait:
            raise RateLimited(wait, "PIN entry is slowed down after many wrong PINs")
        rem.pin_guard.tried()
    if not rem.tokens.check_pin(pin):
        left = rem.pin_guard.failed(client)
        log.warning("wrong host PIN from %s (%d tries left)", client, left)
        if left == 0:
            raise RateLimited(rem.pin_guard.lockout_s, "wrong PIN: PIN entry is now locked")
        return error_response(403, "wrong_pin", "wrong PIN", attempts_left=left)
    rem.pin_guard.succeeded(client)
    if len(rem.host_addresses) < MAX_HOST_ADDRESSES:
        rem.host_addresses.add(client)
        rem.host_devices.add(own)
    log.info("host session opened from %s", client)
    response = jsonify({"host": True})
    set_cookie(response, HOST_COOKIE, rem.tokens.host(own), rem.tokens.host_max_age_s)
    return response


@bp.post("/host/logout")
def logout() -> Response:
    """End this device's host session (revoked on the box: a copy of the cookie is void too)."""
    rem = remote()
    session = rem.tokens.host_session(request.cookies.get(HOST_COOKIE), device())
    if session is not None:
        rem.revoked.revoke(session, rem.tokens.host_max_age_s)
        log.info("host session ended from %s", client_address())
    response = jsonify({"host": False})
    response.delete_cookie(HOST_COOKIE, path="/", samesite="Strict", httponly=True)
    return response


def _transport(method: Callable[[Core, Actor], None]) -> Callable[[], Response]:
    def view() -> Response:
        method(remote().core, actor())
        return changed(state=remote().core.snapshot().state.value)

    return view


TRANSPORT = {
    "pause": Core.pause,
    "resume": Core.resume,
    "toggle": Core.toggle_pause,
    "skip": Core.skip,
    "restart": Core.restart,
    "start-next": Core.start_next_now,
}
for _name, _method in TRANSPORT.items():
    bp.add_url_rule(
        f"/playback/{_name}", f"playback_{_name.replace('-', '_')}", _transport(_method),
        methods=["POST"],
    )  # fmt: skip


@bp.post("/playback/seek")
def seek() -> Response:
    """Jump to a position of the song playing."""
    remote().core.seek(actor(), json_body().get("position_s"))
    return changed(ok=True)


@bp.put("/volume")
def volume() -> Response:
    """Master volume 0..1 and mute."""
    body = json_body()
    muted = body.get("muted")
    if muted is not None and not isinstance(muted, bool):
        raise InvalidRequest("muted", "must be true or false")
    core = remote().core
    core.set_volume(actor(), body.get("volume", core.volume()[0]), muted)
    level, is_muted = core.volume()
    return changed(volume=level, muted=is_muted)


@bp.post("/singers")
def add_singer() -> Response:
    """Host: add a singer (to queue on their behalf)."""
    require_host("add singers")
    singer = remote().core.join(json_body().get("name"))
    response = changed(singer={"singer_id": singer.singer_id, "name": singer.name})
    response.status_code = 201
    return response


@bp.post("/singers/<int:singer_id>/bump")
def bump(singer_id: int) -> Response:
    """Host: this singer is next."""
    remote().core.bump_singer(actor(), singer_id)
    return changed(ok=True)


@bp.post("/singers/<int:singer_id>/pause")
def pause_singer(singer_id: int) -> Response:
    """Pause a singer (skipped, keeping their place) or unpause them: theirs or the host."""
    paused = json_body().get("paused", True)
    if not isinstance(paused, bool):
        raise InvalidRequest("paused", "must be true or false")
    singer = remote().core.pause_singer(actor(), singer_id, paused)
    return changed(singer={"singer_id": singer.singer_id, "paused": singer.paused})


@bp.delete("/singers/<int:singer_id>")
def remove_singer(singer_id: int) -> Response:
    """Remove a singer and their songs (yourself, or anyone for the host)."""
    remote().core.remove_singer(actor(), singer_id)  # its claim goes with it
    return changed(ok=True)


@bp.get("/settings")
def get_settings() -> Response:
    """The night's settings."""
    return jsonify(night_settings_view(remote().core.settings()))


@bp.patch("/settings")
def patch_settings() -> Response:
    """Host: rotation mode, per-singer limit, countdown, gap, default guide level."""
    updated = remote().core.update_settings(actor(), json_body())
    return changed(settings=night_settings_view(updated))


@bp.post("/library/rescan")
def rescan() -> Response:
    """Host: look for new, changed and removed songs (in the background)."""
    require_host("rescan the library")
    hook = remote().options.rescan
    if hook is None:
        raise Conflict("rescanning is not available on this box")
    if not hook():
        raise Conflict("a scan is already running")
    response = jsonify({"started": True})
    response.status_code = 202
    return response


@bp.post("/system/<any(reboot, shutdown):action>")
def power(action: str) -> Response:
    """Host: reboot or shut down the box (only where the box runs as the appliance)."""
    require_host(f"{action} the box")
    hook = remote().options.power
    if hook is None:
        raise Conflict(f"this box cannot {action} itself (not running as the appliance)")
    log.warning("host asked to %s (from %s)", action, request.remote_addr)
    hook("reboot" if action == "reboot" else "poweroff")
    response = jsonify({"accepted": action, "host": is_host()})
    response.status_code = 202
    return response
