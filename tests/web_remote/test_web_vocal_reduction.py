"""The vocal-reduction setting through the JSON API and its OpenAPI document."""

from __future__ import annotations

from flask import Flask

from tests.support.phones import Phone, grace_id
from web_remote.openapi import SCHEMAS


def test_the_document_lists_vocal_reduction_in_both_settings_schemas() -> None:
    for name in ("MixSettingsInput", "MixSettings"):
        assert SCHEMAS[name]["properties"]["vocal_reduction"]["type"] == "boolean"


def test_a_song_is_queued_and_changed_with_vocal_reduction(app: Flask) -> None:
    phone = Phone(app)
    me = phone.join("Ada")
    song = grace_id(phone)
    plain = phone.send("POST", "/api/queue", {"song_id": song})
    assert plain.status_code == 201, plain.json
    assert plain.json["entry"]["settings"]["vocal_reduction"] is False
    entry_id = plain.json["entry"]["entry_id"]
    changed = phone.send(
        "PATCH", f"/api/entries/{entry_id}", {"settings": {"vocal_reduction": True}}
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["entry"]["settings"]["vocal_reduction"] is True
    assert changed.json["entry"]["singer_id"] == me


def test_vocal_reduction_must_be_true_or_false(app: Flask) -> None:
    phone = Phone(app)
    phone.join("Bob")
    song = grace_id(phone)
    bad = phone.send("POST", "/api/queue", {"song_id": song, "settings": {"vocal_reduction": 1}})
    assert bad.status_code in (400, 422)
    assert bad.json["field"] == "vocal_reduction"
