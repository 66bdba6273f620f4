"""Hostile input (issue 13, points 17 and 19): lone surrogates, deep nesting, numbers beyond a
float, against the real server. Every malformed request gets a 4xx with a reason, the server logs
no traceback, and /api/state answers 200 whatever was stored before the checks existed."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from appliance.core.errors import InvalidRequest
from appliance.core.models import MixSettings
from appliance.core.service import Actor
from tests.support.loopback import LoopbackPhone
from tests.support.phones import PIN
from tests.support.waiting import wait_until_answers
from tests.support.web_rig import Served, remote_options
from web_remote.app import create_app
from web_remote.server import WebServer

Phones = Callable[[str], LoopbackPhone]
NESTED = b'{"name": ' + b"[" * 5000 + b"]" * 5000 + b"}"
JSON_ENDPOINTS = [
    ("POST", "/api/join"),
    ("POST", "/api/queue"),
    ("PATCH", "/api/entries/1"),
    ("POST", "/api/entries/1/move"),
    ("PATCH", "/api/live"),
    ("POST", "/api/host/login"),
    ("POST", "/api/playback/seek"),
    ("PUT", "/api/volume"),
    ("POST", "/api/singers"),
    ("POST", "/api/singers/1/pause"),
    ("PATCH", "/api/settings"),
]


def grace(phone: LoopbackPhone) -> str:
    status, body = phone.get("/api/songs?q=grace")
    assert status == 200
    return str(body["songs"][0]["song_id"])


def test_lone_surrogates_are_refused_with_a_reason(phone: Phones, caplog) -> None:  # type: ignore[no-untyped-def]
    guest = phone("127.0.0.3")
    guest.join("Ada")
    song = grace(guest)
    hostile = [
        ("POST", "/api/join", b'{"name": "Ada\\ud800"}'),
        ("POST", "/api/queue", b'{"song_id": "x\\udc00"}'),
        ("POST", "/api/queue", b'{"song_id": "' + song.encode()
         + b'", "settings": {"stem_gains": {"\\ud800": 1}}}'),
        ("POST", "/api/host/login", b'{"pin": "\\ud83d"}'),
        ("PATCH", "/api/settings", b'{"\\udfff": 1}'),
    ]  # fmt: skip
    with caplog.at_level(logging.INFO):
        for method, path, body in hostile:
            status, answer = guest.request(method, path, body)
            assert status == 400, (path, answer)
            assert "surrogate" in answer["reason"]
    assert not [r for r in caplog.records if r.exc_info], "no traceback for hostile input"
    status, state = guest.get("/api/state")
    assert status == 200 and [s["name"] for s in state["singers"]] == ["Ada"]


def test_the_core_refuses_what_the_web_let_through(served: Served) -> None:
    """The core checks its strings itself (other frontends, and a web check forgotten)."""
    core = served.box.core
    with pytest.raises(InvalidRequest):
        core.join("Bob\ud800")
    ada = core.join("Ada")
    song = core.search("grace")[0]
    with pytest.raises(InvalidRequest):
        core.queue_song(Actor.host(), ada.singer_id, song.song_id,
                        MixSettings(stem_gains=(("\udfff", 1.0),)))  # fmt: skip
    with pytest.raises(InvalidRequest):
        MixSettings.from_dict({"stem_gains": {"\ud800": 1.0}})
    assert core.find_song("\ud800") is None
    assert [s.title for s in core.search("gr\ud800")] == ["Amazing Grace"]  # as "gr"
    assert core.join("Cafe\u0301").name == "Caf\u00e9"  # NFC: one name, however typed


def test_state_answers_whatever_was_stored_before(served: Served, tmp_path: Path) -> None:
    """Bad text stored by an older version (a lone surrogate in a stem name and a singer's
    name, a name that is not UTF-8 at all) shows as U+FFFD; /api/state never fails on it."""
    core, store = served.box.core, served.box.store
    assert store is not None
    ada = core.join("Ada")
    song = core.search("grace")[0]
    core.queue_song(Actor.host(), ada.singer_id, song.song_id)
    bad_settings = json.dumps({"stem_gains": {"\ud800": 1.0, "drums": 0.5}})  # ASCII escapes
    with store.transaction() as db:
        db.execute("UPDATE entries SET settings = ?", (bad_settings,))
        db.execute("INSERT INTO singers(name, name_key, joined_order) "
                   "VALUES (CAST(X'426FEDA080' AS TEXT), 'bo?', 99)")  # fmt: skip
    reopened = type(core)(store, served.box.player)  # a restart reads it all back
    snapshot = reopened.snapshot()
    assert [i.entry.settings.stem_gains for i in snapshot.upcoming] == [(("drums", 0.5),)]
    app = create_app(reopened, remote_options(served.box, tmp_path))
    server = WebServer(app, "127.0.0.1", 0, max_streams=4)
    server.start()
    try:
        url = f"http://127.0.0.1:{server.port}"
        wait_until_answers(url + "/api/state")
        status, state = LoopbackPhone(url, "127.0.0.3").get("/api/state")
    finally:
        server.stop()
        reopened.close()
    assert status == 200, state
    names = [s["name"] for s in state["singers"]]
    assert names[0] == "Ada" and names[1].startswith("Bo\ufffd")
    assert state["upcoming"][0]["settings"]["stem_gains"] == {"drums": 0.5}


def test_deep_nesting_is_refused_on_every_json_endpoint(phone: Phones, caplog) -> None:  # type: ignore[no-untyped-def]
    host = phone("127.0.0.4")
    assert host.send("POST", "/api/host/login", {"pin": PIN})[0] == 200
    with caplog.at_level(logging.INFO):
        for method, path in JSON_ENDPOINTS:
            status, answer = host.request(method, path, NESTED)
            assert status == 400, (path, answer)
            assert "nested" in answer["reason"]
    assert not [r for r in caplog.records if r.exc_info]


def test_numbers_beyond_a_float_are_refused(phone: Phones, caplog) -> None:  # type: ignore[no-untyped-def]
    host = phone("127.0.0.4")
    assert host.send("POST", "/api/host/login", {"pin": PIN})[0] == 200
    hostile = [
        ("PUT", "/api/volume", b'{"volume": 1e309}'),
        ("PUT", "/api/volume", b'{"volume": NaN}'),
        ("POST", "/api/playback/seek", b'{"position_s": -Infinity}'),
        ("PATCH", "/api/settings", b'{"gap_s": 1e999}'),
        ("POST", "/api/entries/1/move", b'{"index": 1' + b"0" * 5000 + b"}"),
    ]
    with caplog.at_level(logging.INFO):
        for method, path, body in hostile:
            status, answer = host.request(method, path, body)
            assert status == 400, (body[:40], answer)
            assert answer["reason"]
    assert not [r for r in caplog.records if r.exc_info]
    assert host.get("/api/state")[0] == 200
