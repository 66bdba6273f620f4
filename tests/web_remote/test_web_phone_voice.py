"""The singer's mic on their phone and the host's scoring settings (Chromium, Playwright),
issue 15: the singer sets their own level and echo on their Now view (while singing, and when
up next) and the box's mic follows; the host sets everyone's default level and echo, the
scoring difficulty, notes or lyrics only, and hides the leaderboard."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from appliance.core.actor import Actor
from appliance.core.voice import VoiceSettings
from tests.support.phones import (
    ARTIFACTS,
    BROWSER_TESTS,
    SIZES,
    join,
    login,
    open_phone,
    queue_by_api,
    shot,
    size_name,
    tab,
)

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = BROWSER_TESTS
HOST = Actor.host()
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_the_singer_sets_their_mic_level_and_echo_from_the_phone(
    browser, scoring_served, size
) -> None:  # type: ignore[no-untyped-def]
    served = scoring_served  # the box scores, as a real one does
    core, player = served.box.core, served.box.player
    ada = open_phone(browser, served.url, size)
    join(ada, "Ada")
    queue_by_api(ada, "Amazing Grace")
    tab(ada, "Now")
    now = ada.get_by_role("region", name="Now playing")
    expect(now.get_by_text("Your mic, ready for your turn")).to_be_visible()  # up next
    core.start_next_now(HOST)
    expect(now.get_by_text("Your mic: heard at once")).to_be_visible()
    level = now.get_by_role("slider", name="Mic level 0 dB")
    level.fill("-6")
    expect(now.get_by_text("Mic level -6 dB")).to_be_visible()
    echo = now.get_by_role("slider", name="Echo 30%")
    echo.fill("60")
    expect(now.get_by_text("Echo 60%")).to_be_visible()
    mine = VoiceSettings(level_db=-6.0, echo=0.6)
    singer = core.snapshot().now.singer.singer_id  # type: ignore[union-attr]
    expect(ada.get_by_text("Your mic: -6 dB, echo 60%")).to_be_visible()  # the box answered
    assert core.voice_of(singer) == mine
    assert player.voices[1] == mine  # the box's mic 1 follows at once
    expect(now.get_by_text("no score: this song has no notes")).to_have_count(0)
    expect(ada.get_by_role("status").filter(has_text="Your mic:")).to_be_hidden(timeout=8000)
    now.get_by_text("Your mic: heard at once").evaluate("e => e.scrollIntoView({block: 'center'})")
    shot(ada, f"remote-voice-{size_name(size)}")
    if size == (390, 844):
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copy(ARTIFACTS / "remote-voice-390x844.png", DOCS_IMAGES / "remote-voice-390.png")


def test_a_guest_sees_no_mic_card_for_someone_elses_song(browser, served) -> None:  # type: ignore[no-untyped-def]
    ada, bob = open_phone(browser, served.url), open_phone(browser, served.url)
    join(ada, "Ada")
    join(bob, "Bob")
    queue_by_api(ada, "Amazing Grace")
    served.box.core.start_next_now(HOST)
    tab(bob, "Now")
    now = bob.get_by_role("region", name="Now playing")
    expect(now.get_by_text("Playing", exact=True)).to_be_visible()
    expect(now.get_by_role("slider", name="Mic level 0 dB")).to_have_count(0)


def test_the_host_sets_the_default_mic_and_the_scoring_settings(browser, served) -> None:  # type: ignore[no-untyped-def]
    core = served.box.core
    host = open_phone(browser, served.url)
    login(host)
    panel = host.get_by_role("region", name="Host")
    expect(panel.get_by_text("Everyone's mic (default)")).to_be_visible()
    panel.get_by_role("slider", name="Echo 30%").fill("10")
    expect(host.get_by_text("Default mic saved")).to_be_visible()
    assert core.default_voice().echo == pytest.approx(0.1)
    panel.get_by_label("Scoring difficulty").select_option("hard")
    panel.get_by_role("switch", name="Notes on the TV (off: lyrics only)").uncheck()
    panel.get_by_role("switch", name="Show tonight's leaderboard").uncheck()
    panel.get_by_role("switch", name="Background videos and pictures behind the lyrics").uncheck()
    panel.get_by_role("button", name="Save settings").click()
    expect(host.get_by_text("Settings saved")).to_be_visible()
    settings = core.settings()
    assert (settings.score_difficulty, settings.tv_notes, settings.show_leaderboard) == (
        "hard",
        False,
        False,
    )
    assert settings.tv_backgrounds is False
    shot(host, "remote-host-scoring-390x844")


def test_the_host_sets_the_singing_singers_mic_from_the_now_view(browser, served) -> None:  # type: ignore[no-untyped-def]
    core, player = served.box.core, served.box.player
    ada, host = open_phone(browser, served.url), open_phone(browser, served.url)
    join(ada, "Ada")
    queue_by_api(ada, "Amazing Grace")
    login(host)
    core.start_next_now(HOST)
    tab(host, "Now")
    now = host.get_by_role("region", name="Now playing")
    expect(now.get_by_text("Ada's mic: heard at once")).to_be_visible()
    now.get_by_role("slider", name="Echo 30%").fill("0")
    expect(host.get_by_text("Ada's mic: 0 dB, echo 0%")).to_be_visible()
    assert player.voices[1] == VoiceSettings(level_db=0.0, echo=0.0)
    tab(ada, "Now")  # the singer's own sliders show what the host set
    expect(ada.get_by_role("region", name="Now playing").get_by_text("Echo 0%")).to_be_visible()
