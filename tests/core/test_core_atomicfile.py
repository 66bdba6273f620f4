"""One atomic, durable file writer for the whole box (song folders, first boot, the https key)."""

from __future__ import annotations

import os
import stat

import pytest

from appliance.core.atomicfile import write_atomically


def mode_of(path) -> int:  # type: ignore[no-untyped-def]
    return stat.S_IMODE(path.stat().st_mode)


def test_a_private_file_is_private_and_replaces_the_old_one(tmp_path) -> None:  # type: ignore[no-untyped-def]
    key = tmp_path / "tls" / "box.pem"
    write_atomically(key, b"old", 0o644, make_folder=True)
    write_atomically(key, b"secret", 0o600)
    assert key.read_bytes() == b"secret"
    assert mode_of(key) == 0o600
    assert [p.name for p in key.parent.iterdir()] == ["box.pem"]


def test_without_a_mode_the_umask_decides(tmp_path) -> None:  # type: ignore[no-untyped-def]
    previous = os.umask(0o027)
    try:
        write_atomically(tmp_path / "song.toml", b"format = 1\n")
    finally:
        os.umask(previous)
    assert mode_of(tmp_path / "song.toml") == 0o640


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "config.toml"
    write_atomically(target, b"pin = 1234\n")
    with pytest.raises(TypeError):
        write_atomically(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"pin = 1234\n"
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]
