"""The JSON API through Flask's test client over a real core: rights, CSRF, PIN lockout, limits,
errors as JSON with the right 4xx."""

from __future__ import annotations

import re

from flask import Flask

from tests.support.phones import PIN, Phone, grace_id


def test_guest_joins_searches_and_queues_with_settings(app: Flask) -> None:
    phone = Phone(app)
    me = phone.join("Ada")
    assert phone.get("/api/session").json["singer"] == {"singer_id": me, "name": "Ada"}
    song = grace_id(phone)
    detail = phone.get(f"/api/songs/{song}").json
    assert detail["has_stems"] and detail["has_guide"]
    assert "lead_vocal" in [s["role"] for s in detail["stems"]]
    queued = phone.send(
        "POST", "/api/queue", {"song_id": song, "settings": {"key_semitones": 2, "guide_level": 0}}
    )
    assert queued.status_code == 201, queued.json
    settings = queued.json["entry"]["settings"]
    assert (settings["key_semitones"], settings["guide_level"], settings["key_name"]) == (
        2,
        0.0,
        "G -> A",
    )
    state = phone.get("/api/state").json
    assert [(i["singer_name"], i["song"]["title"]) for i in state["upcoming"]] == [
        ("Ada", "Amazing Grace")
    ]
    # next time, the defaults are what Ada used
    assert phone.get(f"/api/songs/{song}/defaults").json["key_semitones"] == 2


def test_guest_cannot_skip_or_touch_others_but_host_can(app: Flask) -> None:
    ada, bob, host = Phone(app, "10.0.0.2"), Phone(app, "10.0.0.3"), Phone(app, "10.0.0.4")
    ada.join("Ada")
    bob.join("Bob")
    song = grace_id(ada)
    entry = ada.send("POST", "/api/queue", {"song_id": song}).json["entry"]["entry_id"]
    assert bob.send("DELETE", f"/api/entries/{entry}").status_code == 403
    assert bob.send("PATCH", f"/api/entries/{entry}", {"settings": {"key_semitones": 5}}).json[
        "error"
    ] == ("forbidden")
    skip = ada.send("POST", "/api/playback/skip")
    assert skip.status_code == 403
    assert skip.json == {"error": "forbidden", "reason": "only the host may skip"}
    assert host.login().json == {"host": True}
    assert host.send("POST", "/api/playback/start-next").status_code == 200
    assert host.get("/api/state").json["state"] == "playing"
    assert host.send("POST", "/api/playback/pause").json["state"] == "paused"
    assert host.send("POST", "/api/playback/skip").status_code == 200
    assert host.get("/api/state").json["now"] is None


def test_changes_need_the_csrf_token_and_same_origin(app: Flask) -> None:
    phone = Phone(app)
    no_token = phone.client.post("/api/join", json={"name": "Eve"})
    assert no_token.status_code == 403 and "CSRF" in no_token.json["reason"]
    wrong = phone.client.post("/api/join", json={"name": "Eve"}, headers={"X-CSRF-Token": "x"})
    assert wrong.status_code == 403
    other_site = phone.client.post(
        "/api/join",
        json={"name": "Eve"},
        headers={"X-CSRF-Token": phone.csrf, "Origin": "http://evil.example"},
    )
    assert other_site.status_code == 403
    # another device's token is no good either
    assert Phone(app, "10.0.0.9").send("POST", "/api/join", {"name": "Eve"}).status_code == 200


def test_five_wrong_pins_lock_pin_entry_for_that_client(app: Flask) -> None:
    guesser, host = Phone(app, "10.0.0.66"), Phone(app, "10.0.0.4")
    answers = [guesser.login(f"00000{i}") for i in range(5)]
    assert [a.status_code for a in answers] == [403, 403, 403, 403, 429]
    assert [a.json.get("attempts_left") for a in answers[:4]] == [4, 3, 2, 1]
    locked = guesser.login(PIN)  # even the right PIN is refused while locked
    assert locked.status_code == 429 and "locked" in locked.json["reason"]
    assert int(locked.headers["Retry-After"]) > 60
    assert guesser.get("/api/session").json["pin_locked_s"] > 60
    assert host.login().status_code == 200  # another client is not locked


def test_names_are_limited_and_claimed_by_one_phone(app: Flask) -> None:
    ada, thief = Phone(app, "10.0.0.2"), Phone(app, "10.0.0.3")
    too_long = ada.send("POST", "/api/join", {"name": "x" * 41})
    assert too_long.status_code == 422 and too_long.json["field"] == "name"
    assert ada.send("POST", "/api/join", {"name": "   "}).status_code == 422
    ada.join("Ada")
    taken = thief.send("POST", "/api/join", {"name": "ada"})
    assert taken.status_code == 409 and "another phone" in taken.json["reason"]


def test_per_singer_limit_and_errors_are_json(app: Flask) -> None:
    phone = Phone(app)
    phone.join("Ada")
    songs = [s["song_id"] for s in phone.get("/api/songs").json["songs"]]
    codes = [phone.send("POST", "/api/queue", {"song_id": s}).status_code for s in songs[:4]]
    assert codes == [201, 201, 201, 409]
    assert phone.send("POST", "/api/queue", {"song_id": "nope"}).status_code == 404
    bad_key = phone.send(
        "POST", "/api/queue", {"song_id": songs[0], "settings": {"key_semitones": 13}}
    )
    assert bad_key.status_code == 422 and bad_key.json["field"] == "key_semitones"
    not_json = phone.client.post(
        "/api/queue",
        data="{",
        content_type="application/json",
        headers={"X-CSRF-Token": phone.csrf},
    )
    assert not_json.status_code == 400 and not_json.json["error"] == "bad_request"
    assert phone.get("/api/nothing-here").json["error"] == "not_found"
    huge = phone.send("POST", "/api/join", {"name": "x" * 40_000})
    assert huge.status_code == 413 and huge.json["reason"]


def test_rate_limit_answers_429(app: Flask) -> None:
    phone = Phone(app, "10.0.0.77")
    codes = [phone.get("/api/songs?q=a").status_code for _ in range(60)]
    assert codes[:30] == [200] * 30 and codes[-1] == 429


def test_host_queues_on_behalf_bumps_and_changes_settings(app: Flask) -> None:
    ada, host = Phone(app, "10.0.0.2"), Phone(app, "10.0.0.4")
    ada_id = ada.join("Ada")
    host.login()
    songs = [s["song_id"] for s in host.get("/api/songs").json["songs"]]
    ada.send("POST", "/api/queue", {"song_id": songs[0]})
    made = host.send("POST", "/api/queue", {"song_id": songs[1], "singer_name": "Zoe"})
    assert made.status_code == 201
    zoe = made.json["entry"]["singer_id"]
    assert host.send("POST", f"/api/singers/{zoe}/bump").status_code == 200
    upcoming = host.get("/api/state").json["upcoming"]
    assert [i["singer_name"] for i in upcoming] == ["Zoe", "Ada"] and upcoming[0]["locked"]
    assert ada.send("POST", f"/api/singers/{zoe}/bump").status_code == 403
    changed = host.send("PATCH", "/api/settings", {"countdown_s": 3, "per_singer_limit": 5})
    assert changed.json["settings"]["per_singer_limit"] == 5
    assert ada.send("PATCH", "/api/settings", {"countdown_s": 1}).status_code == 403
    paused = host.send("POST", f"/api/singers/{ada_id}/pause", {"paused": True})
    assert paused.json["singer"]["paused"] is True
    assert host.send("PUT", "/api/volume", {"volume": 0.5}).json["volume"] == 0.5


def test_host_rescan_and_power_use_the_hooks(app: Flask, box) -> None:  # type: ignore[no-untyped-def]
    guest, host = Phone(app, "10.0.0.2"), Phone(app, "10.0.0.4")
    assert guest.send("POST", "/api/system/reboot").status_code == 403
    assert guest.send("POST", "/api/library/rescan").status_code == 403
    host.login()
    assert host.send("POST", "/api/system/shutdown").status_code == 202
    assert host.send("POST", "/api/library/rescan").status_code == 202
    assert box.power_calls == ["poweroff"] and len(box.library.rescans) == 1


def test_current_singer_changes_their_live_key(app: Flask) -> None:
    ada, bob, host = Phone(app, "10.0.0.2"), Phone(app, "10.0.0.3"), Phone(app, "10.0.0.4")
    ada.join("Ada")
    bob.join("Bob")
    ada.send("POST", "/api/queue", {"song_id": grace_id(ada)})
    host.login()
    host.send("POST", "/api/playback/start-next")
    live = ada.send("PATCH", "/api/live", {"settings": {"key_semitones": -1}})
    assert live.status_code == 200 and live.json["settings"]["key_name"] == "G -> F#"
    assert bob.send("PATCH", "/api/live", {"settings": {"key_semitones": 3}}).status_code == 403


def test_openapi_document_lists_the_api(app: Flask) -> None:
    doc = Phone(app).get("/api/openapi.json").json
    for path in ("/api/queue", "/api/playback/skip", "/api/host/login", "/api/events"):
        assert path in doc["paths"]
    rules = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule) for r in app.url_map.iter_rules()}
    documented = set(doc["paths"])
    api_rules = {r for r in rules if r.startswith("/api/")}
    missing = {r for r in api_rules if r not in documented and "any(" not in r}
    assert not missing


def test_artists_with_a_slash_in_their_name_can_be_browsed(app: Flask, box) -> None:  # type: ignore[no-untyped-def]
    """'AC/DC' arrives as 'AC%2FDC', which the server decodes to 'AC/DC' before routing."""
    from dataclasses import replace

    from appliance.core.catalog import Catalog
    from tests.support.cores import make_song

    song = replace(make_song(901, title="Thunder Road Test"), artist="AC/DC")
    Catalog(box.store).upsert_songs([(song, "sig")])
    phone = Phone(app)
    phone.join("Ada")
    assert ["AC/DC", 1] in [
        [a["artist"], a["songs"]] for a in phone.get("/api/artists").json["artists"]
    ]
    found = phone.get("/api/artists/AC%2FDC/songs")
    assert found.status_code == 200, found.json
    assert [s["title"] for s in found.json["songs"]] == ["Thunder Road Test"]
    missing = phone.get("/api/artists/No%2FOne/songs")
    assert missing.status_code == 404 and "No/One" in missing.json["reason"]
