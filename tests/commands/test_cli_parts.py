"""The composition root's start order: each part gets the results of the parts before it."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

from appliance import app
from appliance.config import Config, parse_config
from appliance.core.events import EventBus
from appliance.parts import NetworkInfo
from tests.support.context import FakeBox


class System:
    network = NetworkInfo(mode="hotspot", wifi_qr="WIFI:T:WPA;S:Bar;P:12345678;;")

    def beat(self) -> None: ...

    def stop(self) -> None: ...


class Web:
    url = "http://10.42.0.1:8080/"

    def stop(self) -> None: ...


def test_system_then_web_then_buttons_each_with_what_came_before(monkeypatch):
    given = {}

    def recorder(name, result):
        def start(context):
            given[name] = context
            return result

        return SimpleNamespace(start=start)

    system = System()
    modules = {
        "appliance.system.part": recorder("system", system),
        "web_remote.part": recorder("web", Web()),
        "appliance.buttons.part": recorder("buttons", None),
    }
    monkeypatch.setattr(app, "optional_module", modules.get)
    fake = FakeBox(public_url="")
    box = app.RunningBox(fake.store, EventBus(), fake.player, threading.Event())
    config = parse_config("[web]\nport = 9000\n[buttons]\nenabled = false")
    final = app.start_parts(box, config, fake.context(None))
    assert given["system"].settings is None and given["system"].network == NetworkInfo()
    assert given["web"].settings == config.web and given["web"].network is System.network
    assert given["web"].public_url == ""
    assert given["buttons"].settings == config.buttons
    assert given["buttons"].public_url == Web.url
    assert final.network is System.network and final.public_url == Web.url
    assert box.heartbeat.callbacks == [system.beat]
    assert [name for name, _part in box.parts] == ["system", "web remote"]


def test_a_failing_system_part_leaves_the_next_parts_the_defaults(monkeypatch):
    def broken(context):
        raise OSError("no systemd here")

    given = {}
    modules = {
        "appliance.system.part": SimpleNamespace(start=broken),
        "web_remote.part": SimpleNamespace(start=lambda context: given.update(web=context)),
    }
    monkeypatch.setattr(app, "optional_module", modules.get)
    fake = FakeBox(public_url="")
    box = app.RunningBox(fake.store, EventBus(), fake.player, threading.Event())
    final = app.start_parts(box, Config(), fake.context(None))
    assert given["web"].network == NetworkInfo()
    assert final.public_url == "" and box.parts == []  # the web remote was off: no URL


def test_the_https_port_flag_sets_the_web_section(tmp_path: Path) -> None:
    from appliance.cli import build_parser
    from appliance.commands.run import _with_overrides

    config = tmp_path / "karaoke.toml"
    config.write_text("[web]\nhttps_port = 9443\n")
    base = ["--config", str(config), "run"]
    parser = build_parser()
    assert _with_overrides(parser.parse_args(base), demo=False).web.https_port == 9443
    args = parser.parse_args([*base, "--https-port", "0", "--port", "8081"])
    web = _with_overrides(args, demo=False).web
    assert (web.https_port, web.port) == (0, 8081)
