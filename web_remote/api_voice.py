"""The singer's microphone: their level and echo, and the night's default.

    GET  /api/singers/<id>/voice {"level_db", "echo"}   a singer's (theirs, else the default)
    PUT  /api/singers/<id>/voice {"level_db"?, "echo"?} yourself, or the host; remembered
    GET  /api/voice/default;  PUT /api/voice/default    the night's default (PUT: host)

A body gives only what changes; the rest keeps its value. Ranges and types are checked by
:meth:`VoiceSettings.from_dict` (422 with the field, never 500); rights by the core.
``paths`` is their part of the OpenAPI document (:mod:`web_remote.openapi` merges it).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from appliance.core.voice import ECHO_DEFAULT, LEVEL_DB_MAX, LEVEL_DB_MIN, VoiceSettings
from web_remote.api_queue import changed
from web_remote.context import actor, json_body
from web_remote.remote import remote

bp = Blueprint("api_voice", __name__, url_prefix="/api")


@bp.get("/singers/<int:singer_id>/voice")
def get_voice(singer_id: int) -> Response:
    """A singer's level and echo (theirs, or the night's default); 404 for no such singer."""
    return changed(voice=remote().core.voice_of(singer_id).to_dict())


@bp.put("/singers/<int:singer_id>/voice")
def put_voice(singer_id: int) -> Response:
    """Set a singer's level and/or echo (yourself, or the host); heard at once if singing."""
    core = remote().core
    who = actor()
    who.require_self_or_host(singer_id, "change the voice of")
    voice = VoiceSettings.from_dict(json_body(), base=core.voice_of(singer_id))
    return changed(voice=core.set_singer_voice(who, singer_id, voice).to_dict())


@bp.get("/voice/default")
def get_default_voice() -> Response:
    """The night's default level and echo."""
    return changed(voice=remote().core.default_voice().to_dict())


@bp.put("/voice/default")
def put_default_voice() -> Response:
    """Host: the night's default level and/or echo."""
    core = remote().core
    who = actor()
    who.require_host("change everyone's voice")
    voice = VoiceSettings.from_dict(json_body(), base=core.default_voice())
    return changed(voice=core.set_default_voice(who, voice).to_dict())


def voice_schema() -> dict[str, Any]:
    """A voice as JSON (both fields in answers; either in a body)."""
    return {
        "type": "object",
        "properties": {
            "level_db": {"type": "number", "minimum": LEVEL_DB_MIN, "maximum": LEVEL_DB_MAX,
                         "description": "mic level in dB (0: as the mic gives it)"},
            "echo": {"type": "number", "minimum": 0, "maximum": 1, "default": ECHO_DEFAULT,
                     "description": "echo amount, 0 dry"},
        },
        "additionalProperties": False,
    }  # fmt: skip


def paths(op: Any, obj: Any, singer_id: Any) -> dict[str, Any]:
    """The OpenAPI operations of this module (``op``, ``obj`` and the path parameter come
    from :mod:`web_remote.openapi`)."""
    answer = obj({"voice": voice_schema(), "version": {"type": "integer"}}, ("voice",))
    return {
        "/api/singers/{singer_id}/voice": {
            "get": op("A singer's mic level and echo (theirs, else the night's default).",
                      answer, params=[singer_id]),
            "put": op("Set a singer's mic level and/or echo (yourself; host: anyone); "
                      "remembered for their next songs.", answer, params=[singer_id],
                      body=voice_schema(), write=True)},
        "/api/voice/default": {
            "get": op("The night's default mic level and echo.", answer),
            "put": op("Set the night's default mic level and/or echo.", answer,
                      body=voice_schema(), host=True, write=True)},
    }  # fmt: skip
