"""The host under a hostile guest (issue 13, point 20): a global back-off on wrong PINs that
leaves the real host in, same-site checks before the rate limits, the Host header checked
(DNS rebinding), logout revoking the session on the box. The real server on loopback."""

from __future__ import annotations

from collections.abc import Callable

from tests.support.loopback import LoopbackPhone
from tests.support.phones import PIN

Phones = Callable[[str], LoopbackPhone]
EVIL = {"Origin": "http://evil.example"}


def test_wrong_pins_from_many_addresses_slow_everyone_but_the_host(phone: Phones) -> None:
    host = phone("127.0.0.9")
    assert host.send("POST", "/api/host/login", {"pin": PIN})[0] == 200
    statuses = []
    for n in range(30):  # 30 addresses, one wrong PIN each: no address reaches its own lockout
        statuses.append(phone(f"127.0.2.{n + 1}").send("POST", "/api/host/login", {"pin": "0"})[0])
    assert statuses[:21] == [403] * 21, statuses
    assert set(statuses[21:]) <= {403, 429} and statuses.count(429) >= 8
    status, answer = phone("127.0.2.200").send("POST", "/api/host/login", {"pin": PIN})
    assert status == 429 and "slowed down" in answer["reason"]  # even the right PIN waits
    # the host's own device (it held a session before) is not slowed down
    assert host.send("POST", "/api/host/login", {"pin": PIN})[0] == 200


def test_another_sites_requests_do_not_spend_the_hosts_rate(phone: Phones) -> None:
    host = phone("127.0.0.9")
    assert host.send("POST", "/api/host/login", {"pin": PIN})[0] == 200
    csrf, host.csrf = host.csrf, ""  # a page of another site has the cookies, not the token
    for _ in range(60):
        assert host.send("POST", "/api/playback/skip", headers=EVIL)[0] == 403
        assert host.get("/api/state", headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
    host.csrf = csrf
    assert host.get("/api/state")[0] == 200
    assert host.send("PUT", "/api/volume", {"volume": 0.5})[0] == 200


def test_only_the_boxs_own_names_are_answered(phone: Phones) -> None:
    guest = phone("127.0.0.3")
    status, answer = guest.get("/api/state", headers={"Host": "rebind.evil.example"})
    assert status == 421 and "rebind.evil.example" in answer["reason"]
    for name in ("localhost:8080", "127.0.0.1", "[::1]:80", "192.168.1.20:8080"):
        assert guest.get("/api/state", headers={"Host": name})[0] == 200, name


def test_logging_out_revokes_the_host_session(phone: Phones) -> None:
    host = phone("127.0.0.9")
    assert host.send("POST", "/api/host/login", {"pin": PIN})[0] == 200
    kept = dict(host.cookies)  # a copy of the cookie jar
    assert host.send("POST", "/api/host/logout")[0] == 200
    assert "kb_host" not in host.cookies
    host.cookies = kept
    status, answer = host.send("POST", "/api/playback/skip")
    assert status == 403 and "only the host" in answer["reason"]
    assert host.get("/api/session")[1]["host"] is False
