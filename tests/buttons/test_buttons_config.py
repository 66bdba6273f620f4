"""The [buttons] tables: merged over the default pinout, every problem reported at once."""

from __future__ import annotations

import pytest

from appliance.buttons.checks import checks
from appliance.buttons.layout import DEFAULT_BUTTONS, KNOB, layout_from_config
from appliance.buttons.settings import ButtonsConfig
from appliance.config import parse_config
from appliance.core.errors import ConfigError


def problems_of(**tables) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        layout_from_config(ButtonsConfig(**tables))
    return caught.value.problems


def test_the_default_pinout_is_valid_and_complete():
    layout = layout_from_config(ButtonsConfig())
    actions = {(b.name, b.press, b.hold) for b in layout.buttons}
    assert actions == {
        ("play", "play_pause", None),
        ("skip", "skip", "restart"),
        ("key_down", "key_down", None),
        ("key_up", "key_up", "key_reset"),
        ("guide", "guide_toggle", "show_pin"),
        ("next", "start_next", "undo_skip"),
        (KNOB, "mute_toggle", "knob_mode"),
    }
    assert len(layout.pins()) == 12  # 6 buttons, encoder a/b/push, 3 LEDs: no pin twice
    assert set(layout.leds) == {"ready", "playing", "attention"}


def test_a_config_file_changes_one_button_and_adds_another():
    config = parse_config(
        """
        [buttons]
        hold_s = 0.8
        map.skip = { hold = "tempo_down" }
        map.faster = { pin = "GPIO4", press = "tempo_up" }
        map.guide = false
        encoder = { push = false }
        leds = { attention = "BCM19" }
        """,
        "box.toml",
    )
    layout = layout_from_config(config.buttons)
    by_name = {b.name: b for b in layout.buttons}
    assert (by_name["skip"].pin, by_name["skip"].hold) == (27, "tempo_down")
    assert by_name["faster"].pin == 4
    assert "guide" not in by_name
    assert KNOB not in by_name
    assert layout.leds["attention"] == 19
    assert layout.hold_s == 0.8


def test_every_problem_is_reported_at_once_with_did_you_mean():
    problems = problems_of(
        map={
            "skip": {"pin": 17, "hold": "restrat"},
            "key_up": {"press": "kye_up"},
            "guide": {"pin": 40},
            "next": {"pin": 0},
            "extra": {"pin": "abc", "press": "skip", "hodl": "restart"},
        },
        encoder={"a": 12},
    )
    text = "\n".join(problems)
    assert "[buttons.map.skip] hold: unknown action 'restrat' (did you mean 'restart'?)" in text
    assert "unknown action 'kye_up' (did you mean 'key_up'?)" in text
    assert "[buttons.map.guide] pin: GPIO40 is not on the 40-pin header" in text
    assert "[buttons.map.next] pin: GPIO0 (ID_SD) is reserved" in text
    assert "[buttons.map.extra] pin: must be a BCM GPIO number" in text
    assert "[buttons.map.extra] hodl: unknown key (did you mean 'hold'?)" in text
    assert "pin 17 is used twice: by button 'play' and by button 'skip'" in text
    assert "pin 12 is used twice: by encoder a and by LED 'ready'" in text
    assert len(problems) == 8


def test_the_error_message_reads_well():
    with pytest.raises(ConfigError) as caught:
        layout_from_config(ButtonsConfig(leds={"ready": 17, "playng": 3}))
    message = str(caught.value)
    assert message.startswith("[buttons]: 2 problem(s) in the configuration:")
    assert "playng: unknown key (did you mean 'playing'?)" in message
    assert "pin 17 is used twice: by button 'play' and by LED 'ready'" in message


@pytest.mark.parametrize(
    ("tables", "expected"),
    [
        ({"map": {"skip": "restart"}}, "must be a table {pin, press, hold} or false"),
        ({"map": {"new": {"pin": 4}}}, "[buttons.map.new] press: missing"),
        ({"map": {"play": {"pin": True}}}, "must be a BCM GPIO number such as 17, not True"),
        ({"encoder": {"push": 5}}, "pin 5 is used twice: by encoder a and by encoder push"),
        ({"debounce_ms": 900}, "debounce_ms: must be between 0 and 500"),
        ({"volume_step": 0.0}, "volume_step: must be between 0.005 and 0.5"),
    ],
)
def test_single_problems(tables, expected):
    assert any(expected in problem for problem in problems_of(**tables))


def test_three_buttons_on_one_pin_are_named_together():
    problems = problems_of(map={"skip": {"pin": 17}, "guide": {"pin": 17}})
    assert problems == ["pin 17 is used 3 times: by button 'play', button 'skip', button 'guide'"]


def test_doctor_fails_on_a_bad_pinout_and_says_how_to_fix():
    (check,) = checks(ButtonsConfig(map={"skip": {"pin": 17}}))
    assert check.status == "fail"
    assert "pin 17 is used twice" in check.detail
    assert "docs/buttons.md" in check.fix


def test_doctor_with_the_mock_factory_lists_the_pinout():
    (result,) = checks(ButtonsConfig(pin_factory="mock"))
    assert result.status == "ok"
    assert "GPIO17 button play" in result.detail and "MockFactory" in result.detail


def test_defaults_table_is_what_the_docs_show():
    from pathlib import Path

    docs = (Path(__file__).parents[2] / "docs" / "buttons.md").read_text(encoding="utf-8")
    for name, entry in DEFAULT_BUTTONS.items():
        assert f"GPIO{entry['pin']}" in docs, name
        assert entry["press"] in docs


def test_the_wiring_diagram_is_drawn_from_the_default_pinout():
    from pathlib import Path

    from appliance.buttons.wiring import physical, render

    svg_path = Path(__file__).parents[2] / "docs" / "images" / "buttons-wiring.svg"
    svg = svg_path.read_text(encoding="utf-8")
    assert svg == render(), (
        "run: python -m appliance.buttons.wiring > docs/images/buttons-wiring.svg"
    )
    assert physical(17) == 11 and physical(26) == 37 and physical("3V3") == 1
    for entry in DEFAULT_BUTTONS.values():
        assert f"GPIO{entry['pin']} · pin {physical(entry['pin'])}" in svg


def test_the_drawn_header_matches_gpiozero_board_data():
    from gpiozero.pins.mock import MockFactory

    from appliance.buttons.wiring import physical

    board = MockFactory().board_info
    for bcm in range(2, 28):
        (_header, info), *_ = board.find_pin(f"GPIO{bcm}")
        assert info.number == physical(bcm), bcm


def test_the_config_loader_reports_a_bad_pinout_with_every_other_problem():
    text = '[web]\nport = 0\n[buttons]\ndebounce_ms = 5\nmap.skip = { pin = 17, hold = "restrat" }'
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "box.toml")
    problems = caught.value.problems
    assert "[web] port: must be between 1 and 65535, not 0" in problems
    assert "[buttons.map.skip] hold: unknown action 'restrat' (did you mean 'restart'?)" in problems
    assert "pin 17 is used twice: by button 'play' and by button 'skip'" in problems
    assert len(problems) == 3
    assert parse_config("[buttons]\nenabled = false\nmap.skip = { pin = 17 }").buttons.map


def test_each_section_lives_beside_the_part_that_reads_it():
    from appliance.config import Config

    homes = {name: type(section).__module__ for name, section in vars(Config()).items()}
    assert homes == {
        "library": "appliance.core.config",
        "state": "appliance.core.config",
        "rotation": "appliance.core.night_settings",
        "audio": "appliance.audio.settings",
        "display": "appliance.display.settings",
        "web": "web_remote.settings",
        "buttons": "appliance.buttons.settings",
    }
