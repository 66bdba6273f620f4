"""`karaoke scan` and `karaoke doctor` on a library as people have it: every file accounted for,
each failure printed once with its path and reason, and doctor shows the same after the scan."""

from __future__ import annotations

import re

from appliance.cli import main
from tests.support.hostile_library import build_hostile_library


def test_scan_accounts_for_every_file_and_doctor_shows_the_failures(tmp_path, monkeypatch, capsys):
    root = tmp_path / "songs"
    expected = build_hostile_library(root, sets=1)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[library]\npaths = ["{root}"]\n[state]\nstate_dir = "{tmp_path / "state"}"\n'
    )
    monkeypatch.setenv("KARAOKE_CONFIG", str(config))
    monkeypatch.delenv("KARAOKE_STATE_DIR", raising=False)
    assert main(["scan"]) == 1  # something could not be indexed
    out = capsys.readouterr().out
    seen, songs, failed, other = map(int, re.search(
        r"(\d+) files seen: (\d+) in songs, (\d+) in failures, (\d+) other", out
    ).groups())  # fmt: skip
    assert seen == songs + failed + other == sum(1 for p in root.rglob("*") if p.is_file())
    lines = [line for line in out.splitlines() if line.startswith("  not indexed: ")]
    assert len(lines) == len(expected.failed)
    for path, fragment in expected.failed.items():
        [line] = [line for line in lines if line.startswith(f"  not indexed: {path}: ")]
        assert fragment in line and line.count(path) == 1
    assert main(["doctor"]) in (0, 1)
    doctor = capsys.readouterr().out
    assert f"not indexed: {len(expected.failed)} song file(s)" in doctor
    assert all(path in doctor for path in expected.failed)
    assert f"{seen} files seen" in doctor
