"""Captive-portal and connectivity-check routes, on a minimal Flask app with Flask's test client."""

from __future__ import annotations

import pytest
from flask import Flask

from web_remote.captive import APPLE_SUCCESS, create_captive_blueprint

REMOTE = "http://10.42.0.1/"


@pytest.fixture
def state() -> dict[str, bool]:
    return {"hotspot": False}


@pytest.fixture
def client(state: dict[str, bool]):
    app = Flask(__name__)

    @app.route("/")
    def home() -> str:
        return "remote"

    app.register_blueprint(
        create_captive_blueprint(lambda: REMOTE, lambda: state["hotspot"], lambda: ["karaoke"])
    )
    return app.test_client()


@pytest.mark.parametrize(
    ("path", "status", "body"),
    [
        ("/generate_204", 204, b""),
        ("/gen_204", 204, b""),
        ("/hotspot-detect.html", 200, APPLE_SUCCESS.encode()),
        ("/library/test/success.html", 200, APPLE_SUCCESS.encode()),
        ("/connecttest.txt", 200, b"Microsoft Connect Test"),
        ("/ncsi.txt", 200, b"Microsoft NCSI"),
        ("/success.txt", 200, b"success\n"),
    ],
)
def test_venue_mode_gives_the_expected_answers(client, path: str, status: int, body: bytes) -> None:
    response = client.get(path, headers={"Host": "connectivitycheck.gstatic.com"})
    assert (response.status_code, response.data) == (status, body)


@pytest.mark.parametrize(
    "path",
    [
        "/generate_204",
        "/gen_204",
        "/connecttest.txt",
        "/ncsi.txt",
        "/redirect",
        "/success.txt",
        "/canonical.html",
    ],
)
def test_hotspot_mode_redirects_probes_to_the_remote(client, state, path: str) -> None:
    state["hotspot"] = True
    response = client.get(path, headers={"Host": "10.42.0.1"})
    assert response.status_code == 302
    assert response.headers["Location"] == REMOTE
    assert "no-store" in response.headers["Cache-Control"]


def test_hotspot_mode_apple_gets_a_page_leading_to_the_remote(client, state) -> None:
    state["hotspot"] = True
    response = client.get("/hotspot-detect.html", headers={"Host": "10.42.0.1"})
    assert response.status_code == 200
    assert b"Success" not in response.data
    assert (
        f"url={REMOTE}".encode() in response.data and b"href='http://10.42.0.1/'" in response.data
    )


def test_hotspot_mode_foreign_hosts_go_to_the_remote(client, state) -> None:
    state["hotspot"] = True
    response = client.get("/some/page", headers={"Host": "example.com"})
    assert (response.status_code, response.headers["Location"]) == (302, REMOTE)
    for host in ("10.42.0.1", "karaoke", "karaoke.local", "10.42.0.1:80"):
        assert client.get("/", headers={"Host": host}).data == b"remote", host


def test_venue_mode_leaves_other_hosts_alone(client) -> None:
    assert client.get("/", headers={"Host": "example.com"}).data == b"remote"
