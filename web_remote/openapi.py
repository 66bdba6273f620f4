"""The OpenAPI 3.1 description of the remote's JSON API, served at ``/api/openapi.json``.

Written by hand next to the handlers (small enough to keep true; the schemathesis test checks
the running app against it)::

    >>> doc = document()
    >>> doc["openapi"], "/api/queue" in doc["paths"]
    ('3.1.0', True)
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from appliance.core.models import MAX_NAME_CHARS
from web_remote import api_night, api_pitch, api_voice
from web_remote.openapi_schemas import (
    BOOL,
    ERROR_ANSWERS,
    ERRORS,
    INT,
    SCHEMAS,
    STR,
    Schema,
    obj,
    ref,
)

bp = Blueprint("openapi", __name__, url_prefix="/api")


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
        "/api/upcoming": {"get": op(
            "The queue past the snapshot's first entries, in pages, or one singer's entries.",
            obj({"upcoming": {"type": "array", "items": ref("QueueItem")}, "total": INT},
                ("upcoming", "total")),
            params=[query_param("singer_id", {"type": "integer", "minimum": 0,
                                              "maximum": 2**31}),
                    query_param("offset", {"type": "integer", "minimum": 0, "maximum": 100000}),
                    query_param("limit", {"type": "integer", "minimum": 1, "maximum": 100})])},
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
    for path, operations in api_voice.paths(op, obj, SINGER_ID).items():
        paths.setdefault(path, {}).update(operations)
    paths.update(api_pitch.paths(op, obj))
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
