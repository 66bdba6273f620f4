"""The phone as a pitch source, end to end (issue 15): real headless Chromium whose microphone
is Chromium's fake capture device playing a file, the remote served by waitress, a real core
scoring with the library's notes and a SilentPlayer keeping time. Ada's song (the demo "Oh!
Susanna", scored on its first four lines) plays; she taps "Let my phone listen" on her Now
view; the page tracks pitch on its audio thread and posts frames; the song's score is high when
the phone hears the song's own guide vocal, and low when it hears noise or silence.

The fake device plays its file from the moment the page opens the microphone, so the song is
put where the file is then: the test seeks the song to the file's position once the page says
when the microphone opened (``KB.listening.startedAt``; the singer follows the song, here the
song follows the "singer"). Chromium treats the test server's http origin as secure
(``--unsafely-treat-insecure-origin-as-secure``): a phone needs https (docs/remote.md)."""

from __future__ import annotations

import base64
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile

from appliance.core.actor import Actor
from appliance.core.models import Song
from appliance.core.scoring.model import ScoreSheet, SingingView
from tests.support.phones import (
    ARTIFACTS,
    BROWSER_TESTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    SIZES,
    join,
    open_phone,
    queue_by_api,
    shot,
    size_name,
    tab,
)
from tests.support.waiting import eventually, wait_until_answers
from tests.support.web_rig import Served, make_box, remote_options
from web_remote.app import create_app
from web_remote.server import WebServer

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect
pytestmark = BROWSER_TESTS
HOST = Actor.host()
SONG = "demo-oh-susanna"
FROM_S, SCORED_UNTIL_S, TO_S = 5.0, 26.0, 27.5
"""The file starts at FROM_S of the song; notes ending by SCORED_UNTIL_S are scored (four
lines, 6.6-25.8 s); the phone listens until the song reaches TO_S."""
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


def first_lines(song: Song) -> ScoreSheet | None:
    """The library's notes; Oh! Susanna's cut to its first four lines (a shorter test)."""
    from appliance.library.formats.score_sheet import load_score_sheet

    sheet = load_score_sheet(song)
    if sheet is None or song.song_id != SONG:
        return sheet
    notes = tuple(n for n in sheet.notes if n.end_s <= SCORED_UNTIL_S)
    return replace(sheet, notes=notes, line_count=len({n.line for n in notes}))


@pytest.fixture()
def served(tmp_path: Path, web_library: Path) -> Iterator[Served]:
    box = make_box(tmp_path, web_library, sheets=first_lines)
    server = WebServer(create_app(box.core, remote_options(box, tmp_path)), "127.0.0.1", 0)
    server.start()
    url = f"http://127.0.0.1:{server.port}"
    wait_until_answers(url + "/api/state")
    yield Served(url, box, server)
    server.stop()
    box.close()


def capture_file(folder: Path, make: Callable[[int], np.ndarray], name: str) -> Path:
    """A 16-bit mono WAV for Chromium's fake microphone, 48 kHz."""
    audio = np.clip(make(48000), -1.0, 1.0)
    path = folder / f"{name}.wav"
    soundfile.write(path, audio, 48000, subtype="PCM_16")
    return path


def guide_vocal(library: Path) -> Callable[[int], np.ndarray]:
    def make(rate: int) -> np.ndarray:
        audio, sr = soundfile.read(library / SONG / "lead_vocal.flac", dtype="float32")
        assert sr == rate
        mono = audio.mean(axis=1) if audio.ndim == 2 else audio
        return mono[int(FROM_S * rate) : int((TO_S + 2.0) * rate)]

    return make


def noise(rate: int) -> np.ndarray:
    return 0.2 * np.random.default_rng(3).standard_normal(int((TO_S - FROM_S + 2.0) * rate))


def silence(rate: int) -> np.ndarray:
    return np.zeros(int((TO_S - FROM_S + 2.0) * rate))


def best_shift_ms(view: SingingView) -> int:
    """The shift of the last 8 s of stamped frames that puts most voiced frames within half a
    semitone of their note (0: the latency model put them where they were sung)."""
    notes = [n for n in view.sheet.notes if n.beat_weight]

    def hits(shift_s: float) -> int:
        count = 0
        for frame in view.frames:
            t = frame.time_s + shift_s
            note = next((n for n in notes if n.start_s <= t < n.end_s), None)
            if note is not None and frame.midi is not None:
                count += abs((frame.midi - note.pitch_midi + 6) % 12 - 6) <= 0.5
        return count

    return max(range(-300, 301, 10), key=lambda ms: (hits(ms / 1000), -abs(ms)))


def first_voiced_s(page, wav: Path) -> float:  # type: ignore[no-untyped-def]
    """When the page's own tracker first hears a voice in ``wav`` (file seconds), run on the
    file's samples in the page."""
    audio, rate = soundfile.read(wav, dtype="float32")
    b64 = base64.b64encode(audio[: rate * 4].astype("<f4").tobytes()).decode()
    page.add_script_tag(url="/static/pitchtrack.js")
    return float(page.evaluate(FIRST_VOICED, [b64, rate]))


FIRST_VOICED = """([b64, rate]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const samples = new Float32Array(bytes.buffer), tracker = new KbPitch.Tracker(rate, 0.01);
  const voiced = tracker.push(samples).find((f) => f.midi !== null);
  return voiced ? (voiced.index + 1) / rate - tracker.centreS : -1;
}"""


MIC_OFF = "() => !KB.listening.on && KB.listening.stream === null"
"""The page stopped listening and let the microphone go."""
NO_WORKLET = """Object.defineProperty(BaseAudioContext.prototype, "audioWorklet",
  {get: () => undefined, configurable: true});"""


def check_posts(posts: list[dict], nudged: bool) -> None:  # type: ignore[type-arg]
    """What the page sent: at most 64 frames oldest first, young, and its latency figures."""
    assert posts
    for body in posts:
        ages = [age for age, _midi in body["frames"]]
        assert 0 < len(ages) <= 64 and ages == sorted(ages, reverse=True) and ages[-1] >= 0
        assert ages[0] < 1000  # sent within a second of being heard
        assert 0 <= body["one_way_ms"] < 100 and 0 <= body["input_ms"] < 200
    assert any(body["one_way_ms"] != 20 for body in posts)  # measured, not the first guess
    assert posts[-1]["nudge_ms"] == (100 if nudged else 0)


def sing_through_the_phone(
    served: Served, wav: Path, screenshot: str = "", voiced: bool = False, worklet: bool = True
) -> float:
    """Ada's song plays, her phone listens to ``wav``; returns her score as a share of max.
    ``worklet`` False: the page finds no AudioWorklet and tracks on a ScriptProcessor.
    ``voiced``: the song is put where the file is by when the page first hears a voice (the
    microphone's start is not the file's start to within ~200 ms on a busy machine)."""
    core = served.box.core
    args = [*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={wav}",
            "--autoplay-policy=no-user-gesture-required",
            f"--unsafely-treat-insecure-origin-as-secure={served.url}"]  # fmt: skip
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_context(**PHONE).new_page()
        if not worklet:
            page.add_init_script(NO_WORKLET)
        posts: list[dict] = []  # type: ignore[type-arg]
        page.on(
            "request", lambda r: r.url.endswith("/api/pitch") and posts.append(r.post_data_json)
        )
        answers: list = []  # type: ignore[type-arg]
        page.on("response", lambda r: r.url.endswith("/api/pitch") and answers.append(r))
        page.goto(served.url + "/")
        first_voice_s = first_voiced_s(page, wav) if voiced else None
        join(page, "Ada")
        queue_by_api(page, "Oh! Susanna")
        core.start_next_now(HOST)
        tab(page, "Now")
        now = page.get_by_role("region", name="Now playing")
        now.get_by_role("button", name="Let my phone listen").click()
        expect(now.get_by_role("button", name="Stop listening")).to_be_visible()
        page.wait_for_function("() => KB.listening.on")
        if first_voice_s is None:
            opened_s = page.evaluate("KB.listening.startedAt") / 1000.0
            core.seek(HOST, FROM_S + (time.time() - opened_s))  # the song where the file is
        else:  # the song where the file is when the page first heard a voice in it
            page.wait_for_function("() => KB.listening.firstVoicedAt !== null")
            heard = page.evaluate("[KB.listening.firstVoicedAt, KB.listening.inputMs]")
            sung_s = (heard[0] - heard[1]) / 1000.0
            core.seek(HOST, FROM_S + first_voice_s + (time.time() - sung_s))
        if not voiced:  # the singer nudges their timing: kept on the phone, sent with each post
            now.get_by_label("Timing correction 0 ms").fill("100")
            expect(now.get_by_text("Timing correction +100 ms")).to_be_visible()
            assert page.evaluate("localStorage.getItem('kb_pitch_nudge_ms')") == "100"
        page.wait_for_timeout(6000)
        early = core.singing_views()
        if early:
            print(f"after 6 s, best {best_shift_ms(early[0]):+d} ms from where stamped")
        if screenshot:
            expect(now.get_by_text("Listening: hearing")).to_be_visible()
            page.evaluate("() => KB.$('now-listen').scrollIntoView({block: 'center'})")
            shot(page, screenshot)
        assert eventually(lambda: core.snapshot().now.position_s >= TO_S, timeout_s=40.0)  # type: ignore[union-attr]
        sent = page.evaluate("[KB.listening.sent, KB.listening.taken, KB.listening.rtts]")
        views = core.singing_views()
        if views:
            print(f"the phone's frames sit best {best_shift_ms(views[0]):+d} ms from where stamped")
        duration = core.snapshot().now.song.duration_s  # type: ignore[union-attr]
        if voiced:  # the song ends while Ada looks at another tab: the microphone goes off
            tab(page, "Search")
            core.seek(HOST, duration - 0.2)
            page.wait_for_function(MIC_OFF)
        else:
            now.get_by_role("button", name="Stop listening").click()
            page.wait_for_function(MIC_OFF)
            core.seek(HOST, duration - 0.2)
        box_ms = sorted(a.json()["server_ms"] for a in answers[-50:] if a.status == 200)
        browser.close()
    print(f"the box's time per post (last 50): median {box_ms[len(box_ms) // 2]:.2f} ms, "
          f"worst {box_ms[-1]:.2f} ms")  # fmt: skip
    print(f"posts {sent[0]}, frames taken {sent[1]}, round trips {min(sent[2]):.1f} ms min")
    assert sent[0] > 50 and sent[1] > 1000
    check_posts(posts, nudged=not voiced)
    assert eventually(lambda: core.snapshot().final_score is not None, timeout_s=10.0)
    final = core.snapshot().final_score
    assert final is not None and final.singer_name == "Ada"
    print(f"{wav.name}: {final.score} of {final.max_score}, lines {final.ratings}")
    return final.score / final.max_score


@pytest.mark.parametrize("worklet", [True, False], ids=["worklet", "script-processor"])
def test_the_phone_hears_the_guide_vocal_and_it_scores_high(  # type: ignore[no-untyped-def]
    served, web_library, tmp_path, worklet
) -> None:
    wav = capture_file(tmp_path, guide_vocal(web_library), "guide")
    picture = "remote-phone-listens-390x844" if worklet else ""
    share = sing_through_the_phone(served, wav, picture, voiced=True, worklet=worklet)
    if worklet:
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copy(ARTIFACTS / f"{picture}.png", DOCS_IMAGES / "remote-phone-listens-390.png")
    # 0.93-0.98 on a quiet machine; 0.78 was seen at load 7 on 2 cores (the fake microphone and
    # the page's tracker then run late). A semitone sharp scores under 0.1, so 0.7 still tells
    # a phone that hears the singer from one that does not.
    assert share >= 0.7


@pytest.mark.parametrize("make", [noise, silence], ids=["noise", "silence"])
def test_noise_or_silence_on_the_phone_scores_low(served, tmp_path, make) -> None:  # type: ignore[no-untyped-def]
    wav = capture_file(tmp_path, make, make.__name__)
    assert sing_through_the_phone(served, wav) <= 0.1


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_only_the_singer_whose_song_is_on_is_offered_it(browser, served, size) -> None:  # type: ignore[no-untyped-def]
    ada, bob = open_phone(browser, served.url, size), open_phone(browser, served.url, size)
    join(ada, "Ada")
    join(bob, "Bob")
    queue_by_api(ada, "Oh! Susanna")
    listen = {"role": "button", "name": "Let my phone listen"}
    for page in (ada, bob):
        tab(page, "Now")
        expect(page.get_by_text("Up next", exact=True)).to_be_visible()
        expect(page.get_by_role(**listen)).to_have_count(0)  # not before the song plays
    served.box.core.start_next_now(HOST)
    expect(ada.get_by_role(**listen)).to_be_visible()
    expect(ada.get_by_text("only the notes you sing are sent")).to_be_visible()
    expect(ada.locator("#notice")).to_be_hidden(timeout=10000)  # "Your turn!" has gone
    ada.get_by_role(**listen).scroll_into_view_if_needed()
    shot(ada, f"remote-phone-listen-offered-{size_name(size)}")
    expect(bob.get_by_text("Ada", exact=True)).to_be_visible()
    expect(bob.get_by_role(**listen)).to_have_count(0)  # another guest's phone: no
    served.box.core.skip(HOST)
    expect(ada.get_by_role(**listen)).to_have_count(0)  # the song is over
