"""The rpi-image-gen layers and configs in image/: they parse, carry the metadata keys the tool
requires, and point at layers that exist (ours, or rpi-image-gen's own device/image layers)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.deploy_rig import metadata

yaml = pytest.importorskip("yaml")

REPO = Path(__file__).resolve().parents[2]
IMAGE = REPO / "image"
LAYERS = sorted((IMAGE / "layer").glob("*.yaml"))
CONFIGS = sorted((IMAGE / "config").glob("*.yaml"))
DEVICE_LAYERS = {"rpi3", "rpi4", "rpi5", "rpizero2w"}  # rpi-image-gen's device/*/device.yaml
AB_CLASSES = {"rpi4", "rpi5"}  # image-rota requires device class pi4/pi5 (or cm4/cm5)
# rpi-image-gen's image layouts, and ours (image/image/karaoke-small).
IMAGE_LAYERS = {"image-rota", "image-rpios", "image-karaoke-small"}
REQUIRED_LAYER_KEYS = ["Name", "Category", "Desc", "Version"]
VAR_KEYS = ["Desc", "Required", "Valid", "Set"]


def layer_names() -> set[str]:
    return {metadata(path)["X-Env-Layer-Name"] for path in LAYERS}


def test_there_are_layers_and_configs_for_each_board() -> None:
    assert {p.stem for p in CONFIGS} == {
        "karaoke-pi5",
        "karaoke-pi4",
        "karaoke-pi3",
        "karaoke-zero2w",
    }
    assert layer_names() == {"karaoke-box", "karaoke-small"}


@pytest.mark.parametrize("path", LAYERS, ids=lambda p: p.name)
def test_layer_metadata_and_body(path: Path) -> None:
    meta = metadata(path)
    for key in REQUIRED_LAYER_KEYS:
        assert meta.get(f"X-Env-Layer-{key}"), key
    assert re.fullmatch(r"\d+\.\d+\.\d+", meta["X-Env-Layer-Version"])
    variables = {m.group(1) for key in meta if (m := re.fullmatch(r"X-Env-Var-([a-z_]+)", key))}
    if variables:
        assert meta.get("X-Env-VarPrefix") == "karaoke"
    for name in variables:
        for part in VAR_KEYS:
            assert f"X-Env-Var-{name}-{part}" in meta, (name, part)
    body = yaml.safe_load(path.read_text())
    assert set(body) == {"mmdebstrap"}
    assert set(body["mmdebstrap"]) <= {"packages", "customize-hooks"}
    assert all(isinstance(p, str) for p in body["mmdebstrap"].get("packages", []))
    assert all(isinstance(h, str) for h in body["mmdebstrap"].get("customize-hooks", []))
    for required in meta.get("X-Env-Layer-Requires", "").split(","):
        assert required.strip(), "empty Requires entry"


def test_the_main_layer_installs_through_deploy_install_in_image_mode() -> None:
    body = yaml.safe_load((IMAGE / "layer/karaoke-box.yaml").read_text())
    hooks = "\n".join(body["mmdebstrap"]["customize-hooks"])
    assert "deploy/install.sh $IGconf_karaoke_install_args" in hooks
    assert metadata(IMAGE / "layer/karaoke-box.yaml")["X-Env-Var-install_args"] == "--image-mode"
    assert "Path=/var/lib/karaoke" in hooks  # shared between A/B slots


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_config(path: Path) -> None:
    config = yaml.safe_load(path.read_text())
    assert config["include"]["file"].endswith(".yaml")
    assert config["device"]["layer"] in DEVICE_LAYERS
    assert config["image"]["layer"] in IMAGE_LAYERS
    assert config["image"]["name"] == path.stem
    assert config["layer"]["app"] in layer_names()
    if config["image"]["layer"] == "image-rota":
        assert config["device"]["layer"] in AB_CLASSES
        for key in ("boot_part_size", "system_part_size", "data_part_size"):
            assert re.fullmatch(r"\d+[KMG]", config["image"][key]), key
    else:
        assert config["layer"]["app"] == "karaoke-small"  # overlay root and 720p
        assert config["image"]["layer"] == "image-karaoke-small"  # with a data partition
        assert re.fullmatch(r"\d+[KMG]", config["image"]["data_part_size"])


def test_cmdline_fragments_are_single_lines() -> None:
    fragments = sorted(IMAGE.glob("layer/*.d/for/linux-base/cmdline.d/*"))
    assert len(fragments) == 2
    for fragment in fragments:
        lines = fragment.read_text().splitlines()
        assert len(lines) == 1 and "vt.global_cursor_default=0" in lines[0]
