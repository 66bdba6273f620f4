"""A phone on the box's remote (through QEMU's forwarded port) and the night it books: two
singers, three songs; and the comparison of the night before and after the power cut."""

from __future__ import annotations

import http.cookiejar
import json
import sys
import time
import urllib.request
from typing import Any


class Remote:
    """A phone: a cookie jar and the CSRF token, talking to the forwarded port."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.csrf = ""

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.csrf:
            req.add_header("X-CSRF-Token", self.csrf)
        with self.opener.open(req, timeout=60) as resp:
            raw = resp.read()
        return json.loads(raw) if raw[:1] in (b"{", b"[") else raw.decode(errors="replace")

    def open_session(self) -> dict[str, Any]:
        session = self.call("GET", "/api/session")
        self.csrf = session["csrf_token"]
        return session


def wait_for(what: str, test: Any, timeout_s: float, every_s: float = 5) -> Any:
    """Polls test() until it returns something truthy; None after timeout_s."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            found = test()
        except Exception:  # the box is still booting
            found = None
        if found:
            return found
        time.sleep(every_s)
    print(f"boot-check: gave up waiting for {what} after {timeout_s:.0f}s", file=sys.stderr)
    return None


def book_night(phone: Remote) -> dict[str, Any]:
    """Two singers (Ada on ``phone``, Grace on a second phone) queue three songs: the state.
    The remote answers before the first boot's scan has indexed the demo songs (slow under
    emulation), so the song list is asked again until it holds songs."""
    ids = wait_for_songs(phone)
    phone.call("POST", "/api/join", {"name": "Ada"})
    phone.call("POST", "/api/queue", {"song_id": ids[0]})
    second = Remote(int(phone.base.rsplit(":", 1)[1]))
    second.open_session()
    second.call("POST", "/api/join", {"name": "Grace"})
    second.call("POST", "/api/queue", {"song_id": ids[1 % len(ids)]})
    phone.call("POST", "/api/queue", {"song_id": ids[2 % len(ids)]})
    return dict(phone.call("GET", "/api/state"))


def wait_for_songs(phone: Remote, timeout_s: float = 600.0) -> list[str]:
    """The catalog's song ids once it has any (RuntimeError after ``timeout_s``)."""
    deadline = time.monotonic() + timeout_s
    while True:
        songs = phone.call("GET", "/api/songs")
        items = songs.get("songs", songs) if isinstance(songs, dict) else songs
        if items:
            return [s["song_id"] for s in items]
        if time.monotonic() > deadline:
            raise RuntimeError(f"the remote listed no songs in {timeout_s:.0f} s")
        time.sleep(5.0)


def singers(state: dict[str, Any]) -> list[str]:
    """The singers' names in an ``/api/state`` answer, sorted."""
    return sorted(s["name"] for s in state.get("singers", []))


def entries(state: dict[str, Any]) -> list[int]:
    """The queue's entry ids in an ``/api/state`` answer: the one playing first."""
    now = [state["now"]["entry_id"]] if state.get("now") else []
    return now + [e["entry_id"] for e in state.get("upcoming", [])]


def night_kept(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """The same singers, and every entry that was waiting is still queued. The song that was
    playing at the cut may have been counted as sung."""
    waiting = [e["entry_id"] for e in before.get("upcoming", [])]
    kept = bool(entries(before)) and set(waiting) <= set(entries(after))
    return singers(before) == singers(after) and kept
