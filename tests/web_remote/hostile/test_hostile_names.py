"""Names under a hostile guest (issue 13, points 15, 16, 18 and the look-alikes of 20): a singer
the host made, or a name a phone left, is never taken over; claims live in SQLite with their
singer and survive a restart, whatever the number of joins; singers are capped per night and new
names per address; names that only look alike are refused. The real server on loopback."""

from __future__ import annotations

from collections.abc import Callable

from appliance.core.service import Core
from tests.support.loopback import LoopbackPhone
from tests.support.phones import PIN
from tests.support.web_rig import Served

Phones = Callable[[str], LoopbackPhone]


def host_phone(phone: Phones) -> LoopbackPhone:
    host = phone("127.0.0.9")
    assert host.send("POST", "/api/host/login", {"pin": PIN})[0] == 200
    return host


def test_a_singer_the_host_made_cannot_be_taken_over(phone: Phones) -> None:
    host = host_phone(phone)
    song = host.get("/api/songs?q=grace")[1]["songs"][0]["song_id"]
    status, queued = host.send("POST", "/api/queue", {"song_id": song, "singer_name": "Grandma"})
    assert status == 201, queued
    grandma, entry = queued["entry"]["singer_id"], queued["entry"]["entry_id"]
    thief = phone("127.0.0.3")
    for name in ("Grandma", "  grandma ", "GRANDMA"):
        status, answer = thief.send("POST", "/api/join", {"name": name})
        assert status == 409 and "host added" in answer["reason"], answer
    assert thief.send("DELETE", f"/api/entries/{entry}")[0] == 403
    assert thief.send("DELETE", f"/api/singers/{grandma}")[0] == 403
    assert host.get("/api/state")[1]["upcoming"][0]["singer_name"] == "Grandma"


def test_a_name_a_phone_left_stays_that_phones(phone: Phones) -> None:
    ada, thief = phone("127.0.0.2"), phone("127.0.0.3")
    first = ada.join("Ada")
    ada.join("Ada Lovelace")  # she changes her name: "Ada" stays hers
    status, answer = thief.send("POST", "/api/join", {"name": "Ada"})
    assert status == 409 and "another phone" in answer["reason"]
    assert ada.join("Ada") == first  # and she can come back to it


def test_claims_survive_a_restart_and_any_number_of_joins(served: Served, phone: Phones) -> None:
    ada = phone("127.0.0.2")
    ada_id = ada.join("Ada")
    host = host_phone(phone)
    assert host.send("PATCH", "/api/settings", {"max_singers": 30})[0] == 200
    refused = 0
    for n in range(60):  # 60 fresh "devices" from 6 addresses try to fill the night
        status, _ = phone(f"127.0.1.{n % 6 + 1}").send("POST", "/api/join", {"name": f"junk {n}"})
        refused += status == 409
    state = host.get("/api/state")[1]
    assert len(state["singers"]) == 30 and refused == 31  # Ada and 29 of them
    assert phone("127.0.0.3").send("POST", "/api/join", {"name": "Ada"})[0] == 409
    store = served.box.store
    assert store is not None
    rows = store.query("SELECT holder FROM claims WHERE singer_id = ?", (ada_id,))
    assert len(rows) == 1 and rows[0][0] != "host"  # Ada's phone's device id
    restarted = Core(store, served.box.player)  # the claims are read back from SQLite
    assert restarted.holder_of(ada_id) == rows[0][0]
    restarted.close()


def test_one_address_makes_only_so_many_singers(phone: Phones) -> None:
    statuses = []
    for n in range(12):
        device = phone("127.0.0.5")  # a fresh device each time, one address
        statuses.append(device.send("POST", "/api/join", {"name": f"bot {n}"})[0])
    assert statuses == [200] * 10 + [409] * 2
    assert phone("127.0.0.6").send("POST", "/api/join", {"name": "Real guest"})[0] == 200


def test_look_alike_names_are_refused(phone: Phones) -> None:
    phone("127.0.0.2").join("Ada")
    thief = phone("127.0.0.3")
    assert thief.send("POST", "/api/join", {"name": "A\u200bda"})[0] == 422  # invisible
    for look_alike in ("\u0410da", "\uff21\uff44\uff41", "\u0391DA", "\u0430d\u0430"):
        status, answer = thief.send("POST", "/api/join", {"name": look_alike})
        assert status == 409 and "looks too much like 'Ada'" in answer["reason"], look_alike
    assert thief.join("Zoë") and thief.join("Zoe")  # accents make another name
