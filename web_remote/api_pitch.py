"""The phone as a pitch source: the singer's own phone tracks their pitch (Web Audio, in the
page: ``static/listen.js``, ``static/pitchtrack.js``) and posts what it heard, never the sound.

    POST /api/pitch {"frames": [[age_ms, midi|null], ...], "one_way_ms", "input_ms",
                     "nudge_ms", "part"?}  ->  {"taken": n, "server_ms": t}

The batch is checked by :class:`~appliance.core.scoring.phones.PhoneBatch` (422 with the field),
the rights and the song's state by the core (403: not the singer whose song is on; 409: no
song playing, or it has no notes). ``server_ms`` is how long the box held the request, so the
page can take it off the round trips it measures (half the rest is the one-way time).

Limits of its own: a phone posts every ~150 ms while it listens, more than the remote's 3
changes a second allow, so this path skips the shared buckets
(:data:`web_remote.context.OWN_LIMITS`, read by :func:`~web_remote.context.guard_api_request`)
and has its own: :data:`POSTS_PER_S` per address with a burst of :data:`POST_BURST` (429 with
``Retry-After`` past it), at most 64 frames a post
(:data:`~appliance.core.scoring.phones.MAX_FRAMES`), 16 KB a body (the app's limit, 413).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify

from appliance.core.scoring.phones import LATENCY_RANGES, MAX_AGE_MS, MAX_FRAMES, PhoneBatch
from web_remote.context import client_address, json_body, require_singer
from web_remote.errors import RateLimited
from web_remote.ratelimit import TokenBuckets
from web_remote.remote import remote

PITCH_PATH = "/api/pitch"  # in web_remote.context.OWN_LIMITS: the shared buckets skip it
POSTS_PER_S = 10.0
POST_BURST = 20
EXTENSION = "karaoke-pitch"

bp = Blueprint("api_pitch", __name__, url_prefix="/api")


def init_app(app: Flask, clock: Callable[[], float] = time.monotonic) -> None:
    """Give ``app`` the pitch posts' own rate limit."""
    app.extensions[EXTENSION] = TokenBuckets(POSTS_PER_S, POST_BURST, clock)


@bp.post("/pitch")
def post_pitch() -> Response:
    """Pitch frames from the singer's own phone, scored like a mic (mic 3 or 4)."""
    started = time.perf_counter()
    wait = current_app.extensions[EXTENSION].take(client_address())
    if wait:
        raise RateLimited(wait, "too many pitch posts")
    singer = require_singer()
    batch = PhoneBatch.from_dict(json_body())
    taken = remote().core.phone_pitch(singer, batch)
    server_ms = (time.perf_counter() - started) * 1000.0
    return jsonify({"taken": taken, "server_ms": round(server_ms, 3)})


def paths(op: Any, obj: Any) -> dict[str, Any]:
    """The OpenAPI operation of this module (``op`` and ``obj`` from :mod:`web_remote.openapi`)."""
    number = {"type": "number"}
    frame = {
        "type": "array",
        "minItems": 2,
        "maxItems": 2,
        "prefixItems": [
            {"type": "number", "minimum": 0, "maximum": MAX_AGE_MS, "description": "age_ms"},
            {"type": ["number", "null"], "minimum": 12, "maximum": 120, "description": "midi"},
        ],
    }
    latency = {
        name: {"type": "number", "minimum": low, "maximum": high}
        for name, (low, high) in LATENCY_RANGES.items()
    }
    body = {
        "type": "object",
        "required": ["frames"],
        "additionalProperties": False,
        "properties": {
            "frames": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_FRAMES,
                "items": frame,
                "description": "oldest first: ages decreasing",
            },
            "part": {"type": "integer", "enum": [1, 2]},
            **latency,
        },
    }
    answer = obj({"taken": {"type": "integer"}, "server_ms": number}, ("taken", "server_ms"))
    return {
        PITCH_PATH: {"post": op(
            "Pitch frames heard by the singer's own phone while their song plays (the sound "
            "never leaves the phone); scored like a mic. Only the singer whose song is on; "
            f"{POSTS_PER_S:g} posts a second per address (burst {POST_BURST}).",
            answer, body=body, write=True)},
    }  # fmt: skip
