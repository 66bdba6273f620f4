"""The schemas of the remote's OpenAPI document (``openapi.py``): the JSON the API sends and
takes, and the error answers with the limits the server enforces (body size, nesting, numbers,
text, Host, rate limits)."""

from __future__ import annotations

from typing import Any

from appliance.core import night_settings
from appliance.core.models import (
    KEY_MAX,
    KEY_MIN,
    MAX_STEM_NAME_CHARS,
    MAX_STEMS,
    STEM_GAIN_MAX,
    TEMPO_MAX,
    TEMPO_MIN,
)

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
            "upcoming": {"type": "array", "items": ref("QueueItem"),
                         "description": "the first 50 entries; the rest: /api/upcoming"},
            "upcoming_total": INT,
            "singers": {"type": "array", "items": obj(
                {"singer_id": INT, "name": STR, "paused": BOOL, "queued": INT,
                 "held": INT})},
            "held": {"type": "array", "items": ref("QueueItem"),
                     "description": "songs of singers on a break: kept, not in the order"},
            "settings": ref("NightSettings"),
            "volume": NUM, "muted": BOOL, "last_failure": STR, "audio_priority": STR,
            "mics": {"type": "array", "description": "the box's microphones; problem '' = fine",
                     "items": {"type": "object", "required": ["mic", "problem"],
                               "properties": {"mic": INT, "problem": STR}}},
            "final_score": {"oneOf": [{"type": "null"}, ref("FinalScore")],
                            "description": "the last song's result, for the countdown after"},
            "leaderboard": {"type": "array", "items": ref("FinalScore"),
                            "description": "the night's best, best first; empty: hidden"},
            "no_score_reason": {"type": "string",
                                "description": "why the song on is not scored ('' if it is)"},
            "voice": {"oneOf": [{"type": "null"}, ref("Voice")],
                      "description": "the singing singer's mic level and echo"},
            "default_voice": ref("Voice"),
            "library": obj({"scanning": BOOL, "done": INT, "total": INT, "changes": INT},
                           description="the library's scan: running, files done of total; "
                                       "changes grows when songs may have changed"),
        },
        ("version", "state", "upcoming", "singers"),
    ),
    "FinalScore": obj(
        {"singer_name": STR, "song_id": STR, "song_label": STR, "score": INT, "max_score": INT,
         "ratings": {"type": "array", "items": STR},
         "best_before": {"type": ["integer", "null"],
                         "description": "the singer's best on this song before (null: first)"},
         "part": {"type": "integer", "description": "0 solo, 1 or 2 a duet part"}},
        ("singer_name", "song_id", "score", "max_score", "ratings"),
    ),
    "Voice": obj({"level_db": NUM, "echo": NUM}, ("level_db", "echo")),
    "Session": obj(
        {"csrf_token": STR, "singer": {"oneOf": [{"type": "null"}, obj(
            {"singer_id": INT, "name": STR})]}, "host": BOOL, "pin_locked_s": NUM,
         "public_url": STR,
         "https_url": {"type": "string", "description":
                       "this page over https ('' = https is off): phones lend the mic to it"}},
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
