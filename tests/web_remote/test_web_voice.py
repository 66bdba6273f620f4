"""The voice API through Flask's test client over a real core: a singer's own level and echo,
the host's default, rights on the server, malformed bodies answered 4xx with a reason; the
scoring fields of the snapshot."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.support.phones import Phone, grace_id


def test_a_singer_sets_their_own_voice_and_it_reaches_the_mic(app: Flask, box) -> None:  # type: ignore[no-untyped-def]
    ada, host = Phone(app, "10.0.0.2"), Phone(app, "10.0.0.4")
    me = ada.join("Ada")
    start = ada.get(f"/api/singers/{me}/voice").json["voice"]
    assert start == {"level_db": 0.0, "echo": 0.3}
    put = ada.send("PUT", f"/api/singers/{me}/voice", {"echo": 0.7})
    assert put.status_code == 200, put.json
    assert put.json["voice"] == {"level_db": 0.0, "echo": 0.7}  # only what changed
    assert ada.send("PUT", f"/api/singers/{me}/voice", {"level_db": -6}).json["voice"] == {
        "level_db": -6.0,
        "echo": 0.7,
    }
    ada.send("POST", "/api/queue", {"song_id": grace_id(ada)})
    host.login()
    assert host.send("POST", "/api/playback/start-next").status_code == 200
    assert box.player.voices[1].to_dict() == {"level_db": -6.0, "echo": 0.7}
    assert ada.get("/api/state").json["voice"] == {"level_db": -6.0, "echo": 0.7}


def test_only_the_singer_or_the_host_may_set_a_voice(app: Flask) -> None:
    ada, bob, host = Phone(app, "10.0.0.2"), Phone(app, "10.0.0.3"), Phone(app, "10.0.0.4")
    me = ada.join("Ada")
    bob.join("Bob")
    refused = bob.send("PUT", f"/api/singers/{me}/voice", {"echo": 0.0})
    assert refused.status_code == 403 and refused.json["error"] == "forbidden"
    assert bob.send("PUT", "/api/voice/default", {"echo": 0.0}).status_code == 403
    host.login()
    assert host.send("PUT", f"/api/singers/{me}/voice", {"echo": 0.1}).status_code == 200
    default = host.send("PUT", "/api/voice/default", {"level_db": 3, "echo": 0.2})
    assert default.json["voice"] == {"level_db": 3.0, "echo": 0.2}
    assert ada.get("/api/voice/default").json["voice"] == {"level_db": 3.0, "echo": 0.2}
    assert ada.get("/api/state").json["default_voice"] == {"level_db": 3.0, "echo": 0.2}
    assert ada.get(f"/api/singers/{me}/voice").json["voice"]["echo"] == 0.1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"level_db": 40}, "level_db"),
        ({"echo": -0.1}, "echo"),
        ({"echo": "lots"}, "echo"),
        ({"echo": True}, "echo"),
        ({"reverb": 1}, "reverb"),
        ({"level_db": None}, "level_db"),
    ],
)
def test_malformed_voices_are_refused_with_a_reason(app: Flask, body: object, field: str) -> None:
    ada = Phone(app)
    me = ada.join("Ada")
    answer = ada.send("PUT", f"/api/singers/{me}/voice", body)
    assert 400 <= answer.status_code < 500 and answer.json["field"] == field, answer.json
    assert ada.get(f"/api/singers/{me}/voice").json["voice"] == {"level_db": 0.0, "echo": 0.3}


def test_bodies_that_are_not_a_voice_and_unknown_singers_are_4xx(app: Flask) -> None:
    ada = Phone(app)
    me = ada.join("Ada")
    for body in ([1, 2], "loud", None):
        answer = ada.send("PUT", f"/api/singers/{me}/voice", body)
        assert 400 <= answer.status_code < 500, answer.json
    assert ada.get("/api/singers/999/voice").status_code == 404
    host = Phone(app, "10.0.0.4")
    host.login()
    assert host.send("PUT", "/api/singers/999/voice", {"echo": 0.1}).status_code == 404


def test_scoring_settings_and_the_snapshots_score_fields(app: Flask) -> None:
    ada, host = Phone(app, "10.0.0.2"), Phone(app, "10.0.0.4")
    assert ada.send("PATCH", "/api/settings", {"show_leaderboard": False}).status_code == 403
    host.login()
    changed = host.send(
        "PATCH",
        "/api/settings",
        {"score_difficulty": "easy", "tv_notes": False, "show_leaderboard": False},
    )
    assert changed.status_code == 200, changed.json
    bad = host.send("PATCH", "/api/settings", {"score_difficulty": "godlike"})
    assert bad.status_code == 422 and bad.json["field"] == "score_difficulty"
    state = ada.get("/api/state").json
    assert state["settings"]["score_difficulty"] == "easy"
    assert state["settings"]["tv_notes"] is False
    assert (state["final_score"], state["leaderboard"], state["no_score_reason"]) == (None, [], "")


def test_the_document_lists_the_voice_api(app: Flask) -> None:
    paths = Phone(app).get("/api/openapi.json").json["paths"]
    assert set(paths["/api/singers/{singer_id}/voice"]) == {"get", "put"}
    assert set(paths["/api/voice/default"]) == {"get", "put"}
