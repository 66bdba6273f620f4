"""POST /api/pitch through Flask's test client over a real core scoring the demo library's
notes: the singer's own phone is taken (200, with the box's time for the page's round trips);
anyone else, a stranger, a missing CSRF token, no song playing: 4xx with the reason; malformed,
oversized and too-fast posts: 4xx, never 5xx; the posts do not spend the shared limits."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.support.context import FakeBox
from tests.support.phones import Phone, grace_id
from tests.support.web_rig import make_box, remote_options
from web_remote.api_pitch import PITCH_PATH
from web_remote.app import create_app
from web_remote.context import OWN_LIMITS

GOOD = {"frames": [[30.0, 60.0], [20.0, None], [10.0, 60.5]], "one_way_ms": 12, "input_ms": 10}


@pytest.fixture()
def scoring_app(tmp_path: Path, web_library: Path) -> Iterator[tuple[Flask, FakeBox]]:
    from appliance.library.formats.score_sheet import load_score_sheet

    box = make_box(tmp_path, web_library, sheets=load_score_sheet)
    app = create_app(box.core, remote_options(box, tmp_path))
    yield app, box
    app.extensions["karaoke"].broadcaster.close()
    box.close()


def singing(app: Flask) -> tuple[Phone, Phone, Phone]:
    """Ada's song is on; Bob is another guest; the host is logged in."""
    ada, bob, host = Phone(app, "10.0.0.2"), Phone(app, "10.0.0.3"), Phone(app, "10.0.0.4")
    ada.join("Ada")
    bob.join("Bob")
    assert ada.send("POST", "/api/queue", {"song_id": grace_id(ada)}).status_code == 201
    assert host.login().status_code == 200
    assert host.send("POST", "/api/playback/start-next").status_code == 200
    return ada, bob, host


def test_the_singers_phone_is_heard(scoring_app) -> None:  # type: ignore[no-untyped-def]
    app, box = scoring_app
    ada, _bob, _host = singing(app)
    box.player.seek(5.0)
    answer = ada.send("POST", "/api/pitch", GOOD)
    assert answer.status_code == 200, answer.json
    assert answer.json["taken"] == 3 and 0 <= answer.json["server_ms"] < 5000


def test_only_the_singer_whose_song_is_on(scoring_app) -> None:  # type: ignore[no-untyped-def]
    app, _box = scoring_app
    stranger = Phone(app, "10.0.0.9")
    assert stranger.send("POST", "/api/pitch", GOOD).status_code == 403  # not joined
    ada, bob, host = singing(app)
    refused = bob.send("POST", "/api/pitch", GOOD)
    assert refused.status_code == 403 and "singer whose song is on" in refused.json["reason"]
    assert host.send("POST", "/api/pitch", GOOD).status_code == 403  # the host sings nothing
    no_token = ada.client.post("/api/pitch", json=GOOD)
    assert no_token.status_code == 403 and "CSRF" in no_token.json["reason"]
    host.send("POST", "/api/playback/pause")
    paused = ada.send("POST", "/api/pitch", GOOD)
    assert paused.status_code == 409 and paused.json["reason"]


@pytest.mark.parametrize(
    "body",
    [
        {"frames": [[10, math.nan]]},
        {"frames": [[10, 60]] * 2},
        {"frames": [[i, 60] for i in range(100, 0, -1)]},
        {"frames": "60,61,62"},
        {"frames": [[10, 60]], "one_way_ms": -5},
        {"frames": [[10, 60]], "samples": [0.1, 0.2]},
        ["not", "an", "object"],
    ],
)
def test_malformed_pitch_is_refused_with_a_reason(scoring_app, body) -> None:  # type: ignore[no-untyped-def]
    app, _box = scoring_app
    ada, _bob, _host = singing(app)
    answer = ada.send("POST", "/api/pitch", body)
    assert 400 <= answer.status_code < 500 and answer.json["reason"], answer.json


def test_not_json_nan_literals_and_oversized_bodies_are_4xx(scoring_app) -> None:  # type: ignore[no-untyped-def]
    app, _box = scoring_app
    ada, _bob, _host = singing(app)
    headers = {"X-CSRF-Token": ada.csrf}
    as_text = ada.client.post("/api/pitch", data="frames", headers=headers)
    nan = ada.client.post("/api/pitch", data='{"frames": [[10, NaN]]}', headers=headers,
                          content_type="application/json")  # fmt: skip
    huge = ada.client.post("/api/pitch", data='{"frames": [' + "[1, 60]," * 4000 + "[0, 60]]}",
                           headers=headers, content_type="application/json")  # fmt: skip
    assert (as_text.status_code, nan.status_code, huge.status_code) == (400, 400, 413)


def test_too_fast_posts_get_429_and_spend_nothing_shared(scoring_app) -> None:  # type: ignore[no-untyped-def]
    app, box = scoring_app
    ada, _bob, _host = singing(app)
    box.player.seek(5.0)
    codes = [ada.send("POST", "/api/pitch", GOOD).status_code for _ in range(40)]
    assert codes[:20] == [200] * 20 and 429 in codes
    late = ada.send("POST", "/api/pitch", GOOD)
    assert late.status_code == 429 and float(late.headers["Retry-After"]) > 0
    assert ada.send("PUT", "/api/singers/1/voice", {"echo": 0.2}).status_code in (200, 403)
    for _ in range(5):  # the remote's own 3 changes/s (burst 20) are untouched
        assert ada.get("/api/state").status_code == 200
    me = ada.get("/api/session").json["singer"]["singer_id"]
    assert ada.send("PUT", f"/api/singers/{me}/voice", {"echo": 0.2}).status_code == 200


def test_the_operation_is_documented_and_has_its_own_limits(app: Flask) -> None:
    assert PITCH_PATH in OWN_LIMITS
    doc = Phone(app).get("/api/openapi.json").json
    body = doc["paths"]["/api/pitch"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["properties"]["frames"]["maxItems"] == 64
