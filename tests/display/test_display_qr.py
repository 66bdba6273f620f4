"""The QR codes on screen decode back to the remote's address (and the hotspot's Wi-Fi)."""

from __future__ import annotations

import pygame
import pytest

from appliance.display.frame import Frame
from appliance.display.render import render
from tests.support import display_scenes as sample
from tests.support.display_scenes import decoded

WIFI = "WIFI:T:WPA;S:Karaoke\\;Box;P:sing-along-42;;"


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (1024, 768)])
@pytest.mark.parametrize("scene", ["idle", "upnext"])
def test_the_qr_code_decodes_to_the_remote_address(scene, size, resources):
    url = "http://192.168.178.23:8080/"
    snapshot = sample.idle() if scene == "idle" else sample.up_next()
    surface = pygame.Surface(size)
    assert render(surface, Frame(snapshot, public_url=url), resources(*size)) == scene
    assert decoded(surface) == {url}


@pytest.mark.parametrize("scene", ["idle", "upnext"])
def test_in_hotspot_mode_both_codes_decode(scene, resources):
    url = "http://10.42.0.1/"
    snapshot = sample.idle() if scene == "idle" else sample.up_next()
    surface = pygame.Surface((1280, 720))
    frame = Frame(snapshot, public_url=url, wifi_payload=WIFI, wifi_name="Karaoke;Box")
    render(surface, frame, resources(1280, 720))
    assert decoded(surface) == {url, WIFI}


def test_a_long_address_still_decodes_at_720p(resources):
    url = "http://karaoke-box-in-the-back-room.local:8080/join?room=main&lang=en"
    surface = pygame.Surface((1280, 720))
    render(surface, Frame(sample.up_next(), public_url=url), resources(1280, 720))
    assert decoded(surface) == {url}
