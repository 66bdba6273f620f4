"""The OpenAPI 3.1 description of the remote's JSON API, served at ``/api/openapi.json``.

Written by hand next to the handlers (small enough to keep true; the schemathesis test checks
the running app against it)::

    >>> doc = document()
    >>> doc["openapi"], "/api/queue" in doc["paths"]
    ('3.1.0', True)
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from appliance.core import night_settings
from appliance.core.models import (
    KEY_MAX,
    KEY_MIN,
    MAX_NAME_CHARS,
    MAX_STEM_NAME_CHARS,
    MAX_STEMS,
    STEM_GAIN_MAX,
    TEMPO_MAX,
    TEMPO_MIN,
)
from web_remote import api_night

bp = Blueprint("openapi", __name__, url_prefix="/api")
Schema = dict[str, Any]


def ref(name: str) -> Schema:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict[str, Schema], required: tuple[str, ...] = (), **extra: Any) -> Schema:
    """An object schema."""
    return {"type": "object", "properties": properties, "required": list(required), **extra}


STR, INT, NUM, BOOL = (
    {"type": "string"},
    {"type": "integer"},
    {"type": "number"},
    {"type": "boolean"},
)
NULLABLE_NUM = {"type": ["number", "null"]}

SCHEMAS: dict[str, Schema] = {
    "Error": obj(
        {"error": STR, "reason": STR, "field": STR, "attempts_left": INT}, ("error", "reason")
    ),
    "Song": obj(
        {"song_id": STR, "title": STR, "artist": STR, "duration_s": NUM, "key": STR,
         "language": STR, "has_stems": BOOL, "has_guide": BOOL},
        ("song_id", "title", "artist", "duration_s", "has_stems", "has_guide"),
    ),
    "SongDetail": {"allOf": [ref("Song"), obj(
        {"bpm": NUM, "stems": {"type": "array", "items": obj({"name": STR, "role": STR})}},
        ("stems",),
    )]},
    "Songs": obj({"songs": {"type": "array", "items": ref("Song")}}, ("songs",)),
    "MixSettingsInput": obj(
        {
            "key_semitones": {"type": "integer", "minimum": KEY_MIN, "maximum": KEY_MAX},
            "tempo_ratio": {"type": "number", "minimum": TEMPO_MIN, "maximum": TEMPO_MAX},
            "guide_level": {"type": "number", "minimum": 0, "maximum": 1},
            "stem_gains": {"type": "object", "maxProperties": MAX_STEMS,
                           "propertyNames": {"minLength": 1, "maxLength": MAX_STEM_NAME_CHARS},
                           "additionalProperties": {"type": "number", "minimum": 0,
                                                    "maximum": STEM_GAIN_MAX}},
            "vocal_reduction": BOOL,
        },
        additionalProperties=False,
        description="Only the keys to change; the rest keep their value (or last time's).",
    ),
    "MixSettings": obj(
        {"key_semitones": INT, "tempo_ratio": NUM, "guide_level": NUM,
         "stem_gains": {"type": "object", "additionalProperties": NUM}, "vocal_reduction": BOOL,
         "key_name": {"type": "string", "description": "e.g. 'G -> A'; '' if the key is unknown"}},
        ("key_semitones", "tempo_ratio", "guide_level", "stem_gains", "key_name"),
    ),
    "Entry": obj({"entry_id": INT, "singer_id": INT, "song_id": STR,
                  "settings": ref("MixSettings")}, ("entry_id", "singer_id", "song_id")),
    "QueueItem": obj(
        {"entry_id": INT, "index": INT, "singer_id": INT, "singer_name": STR, "song": ref("Song"),
         "settings": ref("MixSettings"), "eta_s": NUM, "locked": BOOL},
        ("entry_id", "singer_id", "singer_name", "song", "eta_s"),
    ),
    "NightSettings": night_settings.json_schema(),
    "Snapshot": obj(
        {
            "version": INT,
            "state": {"enum": ["idle", "up_next", "playing", "paused"]},
            "countdown_s": NULLABLE_NUM,
            "now": {"oneOf": [{"type": "null"}, obj(
                {"entry_id": INT, "singer_id": INT, "singer_name": STR, "song": ref("Song"),
                 "settings": ref("MixSettings"), "position_s": NUM})]},
            "upcoming": {"type": "array", "items": ref("QueueItem")},
            "singers": {"type": "array", "items": obj(
                {"singer_id": INT, "name": STR, "paused": BOOL, "queued": INT,
                 "held": INT})},
            "held": {"type": "array", "items": ref("QueueItem"),
                     "description": "songs of singers on a break: kept, not in the order"},
            "settings": ref("NightSettings"),
            "volume": NUM, "muted": BOOL, "last_failure": STR, "audio_priority": STR,
            "library": obj({"scanning": BOOL, "done": INT, "total": INT, "changes": INT},
                           description="the library's scan: running, files done of total; "
                                       "changes grows when songs may have changed"),
        },
        ("version", "state", "upcoming", "singers"),
    ),
    "Session": obj(
        {"csrf_token": STR, "singer": {"oneOf": [{"type": "null"}, obj(
            {"singer_id": INT, "name": STR})]}, "host": BOOL, "pin_locked_s": NUM,
         "public_url": STR},
        ("csrf_token", "host"),
    ),
    "Changed": obj({"version": INT}, ("version",), additionalProperties=True),
}  # fmt: skip


def _error(description: str, **headers: Schema) -> Schema:
    answer: Schema = {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
    }
    if headers:
        answer["headers"] = {name: {"schema": schema} for name, schema in headers.items()}
    return answer


ERROR_ANSWERS = {
    "400": _error("Not a JSON object: not UTF-8, nested deeper than 8, a number beyond a "
                  "float (1e309, NaN, Infinity), text with a lone surrogate"),
    "403": _error("Not allowed: rights, CSRF token, another site's page, a wrong PIN"),
    "413": _error("The body is over 16 KB"),
    "421": _error("The Host header is not one of the box's names or addresses"),
    "429": _error("Over a rate limit (10 requests/s per address, burst 40; 3 changes/s, burst "
                  "20), the PIN lockout (5 wrong PINs: 5 min) or the global PIN back-off",
                  **{"Retry-After": {"type": "string"}}),
    "default": _error("Another error (404, 409, 422), with a reason"),
}  # fmt: skip
ERRORS = {code: {"$ref": f"#/components/responses/error{code}"} for code in ERROR_ANSWERS}


def op(
    summary: str,
    ok: Schema | None = None,
    *,
    status: str = "200",
    body: Schema | None = None,
    params: list[Schema] | None = None,
    write: bool = False,
    host: bool = False,
) -> Schema:
    """One operation."""
    description = summary
    if host:
        description += " Host only (403 for guests)."
    result: Schema = {
        "summary": summary,
        "description": description,
        "responses": {
            status: {
                "description": "OK",
                "content": {"application/json": {"schema": ok or ref("Changed")}},
            },
            **ERRORS,
        },
    }
    if params:
        result["parameters"] = params
    if body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    if write:
        result["security"] = [{"device": [], "csrf": []}]
    return result


def path_param(name: str, schema: Schema) -> Schema:
    """A path parameter."""
    return {"name": name, "in": "path", "required": True, "schema": schema}


def query_param(name: str, schema: Schema) -> Schema:
    """An optional query parameter."""
    return {"name": name, "in": "query", "required": False, "schema": schema}


SONG_ID = path_param("song_id", {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$",
                                 "maxLength": 128})  # fmt: skip
ENTRY_ID = path_param("entry_id", {"type": "integer", "minimum": 0})
SINGER_ID = path_param("singer_id", {"type": "integer", "minimum": 0})
NAME = {"type": "string", "minLength": 1, "maxLength": MAX_NAME_CHARS}
SETTINGS_BODY = obj({"settings": ref("MixSettingsInput")}, ("settings",))


def _paths() -> dict[str, Schema]:
    paths: dict[str, Schema] = {
        "/api/session": {"get": op("Who this phone is; sets the device cookie; the CSRF token.",
                                   ref("Session"))},
        "/api/state": {"get": op("The night: now playing, upcoming with ETAs, singers.",
                                 ref("Snapshot"))},
        "/api/events": {"get": {
            "summary": "Server-Sent Events: `snapshot` (the State) on every change, `notice`.",
            "responses": {"200": {"description": "an event stream",
                                  "content": {"text/event-stream": {"schema": STR}}}}}},
        "/api/songs": {"get": op("Search title, artist, language and tags (prefix words).",
                                 ref("Songs"), params=[
            query_param("q", {"type": "string", "maxLength": 100}),
            query_param("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
            query_param("offset", {"type": "integer", "minimum": 0, "maximum": 100000})])},
        "/api/songs/{song_id}": {"get": op("A song with its stems.", ref("SongDetail"),
                                           params=[SONG_ID])},
        "/api/songs/{song_id}/defaults": {"get": op(
            "The settings this singer used last time for this song (host: ?singer_id=).",
            ref("MixSettings"), params=[SONG_ID, query_param(
                "singer_id", {"type": "integer", "minimum": 0, "maximum": 2**31})])},
        "/api/artists": {"get": op("Every artist and song count.", obj(
            {"artists": {"type": "array", "items": obj({"artist": STR, "songs": INT})}}))},
        "/api/artists/{artist}/songs": {"get": op("Songs of one artist.", ref("Songs"),
            params=[path_param("artist", {"type": "string", "maxLength": 200})])},
        "/api/recent": {"get": op("Recently sung songs and history rows.", obj(
            {"songs": {"type": "array", "items": ref("Song")},
             "history": {"type": "array", "items": {"type": "object"}}}))},
        "/api/join": {"post": op("Join as a singer (this device keeps the name).",
                                 body=obj({"name": NAME}, ("name",)), write=True)},
        "/api/queue": {"post": op(
            "Queue a song for yourself (host: for singer_id or singer_name); settings over "
            "last time's.", status="201", write=True, body=obj(
                {"song_id": {"type": "string", "maxLength": 128}, "settings":
                 ref("MixSettingsInput"), "singer_id": INT, "singer_name": NAME}, ("song_id",)))},
        "/api/entries/{entry_id}": {
            "patch": op("Change a queued entry (yours; host: any).", params=[ENTRY_ID],
                        body=SETTINGS_BODY, write=True),
            "delete": op("Remove a queued entry (yours; host: any).", params=[ENTRY_ID],
                         write=True)},
        "/api/entries/{entry_id}/move": {"post": op(
            "Move an entry in its singer's list.", params=[ENTRY_ID], write=True,
            body=obj({"index": {"type": "integer", "minimum": 0}}, ("index",)))},
        "/api/live": {"patch": op("Key, tempo, guide or stems of the song playing (its singer "
                                  "or the host).", body=SETTINGS_BODY, write=True)},
        "/api/host/login": {"post": op(
            "Trade the PIN for a host session. 5 wrong PINs lock this client out (429).",
            obj({"host": BOOL}), body=obj({"pin": {"type": "string", "maxLength": 32}},
                                          ("pin",)), write=True)},
        "/api/host/logout": {"post": op("End the host session.", obj({"host": BOOL}),
                                        write=True)},
        "/api/playback/seek": {"post": op("Jump in the song playing.", host=True, write=True,
            body=obj({"position_s": {"type": "number", "minimum": 0}}, ("position_s",)))},
        "/api/volume": {"put": op("Master volume 0..1 and mute.", host=True, write=True,
            body=obj({"volume": {"type": "number", "minimum": 0, "maximum": 1},
                      "muted": BOOL}))},
        "/api/singers": {"post": op("Add a singer (to queue on their behalf).", status="201",
                                    host=True, write=True, body=obj({"name": NAME}, ("name",)))},
        "/api/singers/{singer_id}": {"delete": op("Remove a singer and their songs (yourself; "
                                                  "host: anyone).", params=[SINGER_ID],
                                                  write=True)},
        "/api/singers/{singer_id}/bump": {"post": op("Make this singer the next one.",
                                                     params=[SINGER_ID], host=True, write=True)},
        "/api/singers/{singer_id}/pause": {"post": op(
            "Pause (keep their place) or unpause a singer.", params=[SINGER_ID], write=True,
            body=obj({"paused": BOOL}))},
        "/api/settings": {
            "get": op("The night's settings.", ref("NightSettings")),
            "patch": op("Change the night's settings.", host=True, write=True,
                        body=ref("NightSettings"))},
        "/api/library/rescan": {"post": op("Rescan the library in the background.",
                                           obj({"started": BOOL}), status="202", host=True,
                                           write=True)},
        "/api/library/problems": {"get": op(
            "Host: the files the last scans could not index (path, reason) and their counts.",
            obj({"total": INT, "offset": INT, "problems": {"type": "array", "items": obj(
                {"path": STR, "reason": STR, "root": STR})},
                 "scans": {"type": "array", "items": {"type": "object"}}}), host=True,
            params=[query_param("limit", {"type": "integer", "minimum": 1, "maximum": 200}),
                    query_param("offset", {"type": "integer", "minimum": 0})])},
        "/api/openapi.json": {"get": op("This document.", {"type": "object"})},
    }  # fmt: skip
    for path, operations in api_night.paths(op, ENTRY_ID, obj, SINGER_ID, NAME).items():
        paths.setdefault(path, {}).update(operations)
    for action in ("pause", "resume", "toggle", "skip", "restart", "start-next"):
        paths[f"/api/playback/{action}"] = {
            "post": op(f"Playback: {action}.", host=True, write=True)
        }
    for action in ("reboot", "shutdown"):
        paths[f"/api/system/{action}"] = {
            "post": op(
                f"{action.title()} the box (appliance only).",
                obj({"accepted": STR}),
                status="202",
                host=True,
                write=True,
            )
        }
    return paths


def document() -> Schema:
    """The whole OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Karaoke box remote API",
            "version": "1",
            "description": (
                "Phones first GET /api/session (device cookie + CSRF token). Every change "
                "sends the token in the X-CSRF-Token header. Errors are JSON "
                "{error, reason} with a 4xx status. Limits: bodies up to 16 KB, JSON nested "
                "at most 8 deep, finite numbers, text of Unicode scalar values (NFC); names "
                "1-40 printable characters, no look-alike of a name taken; at most "
                "max_singers singers a night and 10 new names per address; 24 connections "
                "and 4 event streams per address."
            ),
        },
        "paths": _paths(),
        "components": {
            "schemas": SCHEMAS,
            "responses": {f"error{code}": answer for code, answer in ERROR_ANSWERS.items()},
            "securitySchemes": {
                "device": {"type": "apiKey", "in": "cookie", "name": "kb_device"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
            },
        },
    }


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """The document."""
    return jsonify(document())
