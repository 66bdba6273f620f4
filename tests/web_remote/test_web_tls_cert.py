"""The box's own certificate (web_remote/tls_cert.py), made with the real openssl command: made
once and kept, made again when it does not load, its key unreadable by others, its names and
addresses in subjectAltName, ten years."""

from __future__ import annotations

import shutil
import ssl
import stat
import subprocess
from pathlib import Path

import pytest

from web_remote.tls_cert import box_certificate, certificate_path, loads, subject_alt_names

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl command")
NAMES, ADDRESSES = ["karaoke.local", "karaoke"], ["192.168.1.20", "127.0.0.1"]


def described(path: Path) -> str:
    done = subprocess.run(
        ["openssl", "x509", "-in", str(path), "-noout", "-text"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_made_once_then_kept(tmp_path: Path) -> None:
    path = box_certificate(tmp_path, NAMES, ADDRESSES)
    assert path == certificate_path(tmp_path) == tmp_path / "web" / "tls" / "box.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    made = path.read_bytes()
    assert b"PRIVATE KEY" in made and b"CERTIFICATE" in made
    again = box_certificate(tmp_path, ["other.local"], ["10.0.0.9"])  # other names: still kept
    assert again == path and path.read_bytes() == made
    text = described(path)
    for entry in ("DNS:karaoke.local", "DNS:karaoke", "IP Address:192.168.1.20"):
        assert entry in text
    assert "CA:FALSE" in text and "TLS Web Server Authentication" in text
    years = [int(line.rsplit(" ", 2)[-2]) for line in text.splitlines() if "Not " in line]
    assert years[1] - years[0] == 10
    assert [p.name for p in path.parent.iterdir()] == ["box.pem"]  # no temp file left


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not a certificate",
        b"-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n",
    ],
)
def test_a_malformed_file_is_replaced(tmp_path: Path, damage: bytes) -> None:
    path = certificate_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(damage)
    assert not loads(path)
    assert box_certificate(tmp_path, NAMES, ADDRESSES) == path
    assert loads(path) and path.read_bytes() != damage


def test_a_key_that_does_not_match_its_certificate_is_replaced(tmp_path: Path) -> None:
    first = box_certificate(tmp_path / "a", NAMES, ADDRESSES).read_bytes()
    second = box_certificate(tmp_path / "b", NAMES, ADDRESSES).read_bytes()
    key_of_first = first[: first.index(b"-----BEGIN CERTIFICATE")]
    cert_of_second = second[second.index(b"-----BEGIN CERTIFICATE") :]
    path = certificate_path(tmp_path / "c")
    path.parent.mkdir(parents=True)
    path.write_bytes(key_of_first + cert_of_second)  # a torn pair
    assert not loads(path)
    box_certificate(tmp_path / "c", NAMES, ADDRESSES)
    assert loads(path)


def test_a_file_that_cannot_be_read_is_replaced(tmp_path: Path) -> None:
    path = box_certificate(tmp_path, NAMES, ADDRESSES)
    path.chmod(0)
    if loads(path):  # root reads anything
        pytest.skip("running as root")
    box_certificate(tmp_path, NAMES, ADDRESSES)
    assert loads(path) and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_client_accepts_the_box_after_pinning_its_certificate(tmp_path: Path) -> None:
    path = box_certificate(tmp_path, NAMES, ADDRESSES)
    context = ssl.create_default_context(cafile=str(path))  # what "accept" means, strictly
    assert context.cert_store_stats()["x509"] == 1


def test_subject_alt_names_leave_out_what_would_break_the_line() -> None:
    assert subject_alt_names(["a.local", "bad,name", ""], ["10.0.0.1", "nope", "::1"]) == (
        "DNS:a.local,IP:10.0.0.1,IP:::1"
    )
