"""The box's own TLS certificate, made once, for the https remote (docs/remote.md, "https").

``box_certificate(state_dir, names, addresses)`` returns the path of
``<state_dir>/web/tls/box.pem``: the private key (EC P-256) and a self-signed certificate valid
ten years for the box's names and LAN addresses (subjectAltName), in ONE file of mode 0600.
One file because a pair written as two files can be torn by a power cut between the two
renames; this one is written to a temp file, synced, then renamed over the old one. A file
that is there and loads (key matches certificate) is kept as it is; a missing, unreadable or
malformed one is made again. Made
with Debian's ``openssl`` command (no Python dependency)::

    path = box_certificate(state_dir, ["karaoke.local", "karaoke"], ["192.168.1.20"])
    context = server_context(path)       # an ssl.SSLContext for the https front
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import shutil
import ssl
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from appliance.core.atomicfile import write_atomically
from appliance.core.errors import KaraokeError

log = logging.getLogger(__name__)
VALID_DAYS = 3650
CERT_NAME = "box.pem"


class CertificateError(KaraokeError):
    """The box could not make its certificate (no openssl, a read-only state dir...)."""


def certificate_path(state_dir: Path) -> Path:
    """Where the box keeps its key and certificate."""
    return state_dir / "web" / "tls" / CERT_NAME


def box_certificate(state_dir: Path, names: Iterable[str], addresses: Iterable[str]) -> Path:
    """The path of a loadable key + certificate, made now if there is none (see the module)."""
    path = certificate_path(state_dir)
    if loads(path):
        return path
    if path.exists():
        log.warning("the https certificate %s does not load: making a new one", path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        path.parent.chmod(0o700)
    _make(path, list(dict.fromkeys(names)), list(dict.fromkeys(addresses)))
    log.info("made the https certificate %s", path)
    return path


def loads(path: Path) -> bool:
    """True if ``path`` holds a private key and the certificate that goes with it."""
    if not path.is_file():
        return False
    try:
        server_context(path)
    except (OSError, ssl.SSLError, ValueError):
        return False
    return True


def server_context(path: Path) -> ssl.SSLContext:
    """A server-side TLS context with the box's certificate (TLS 1.2 and up, HTTP/1.1)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(str(path))
    context.set_alpn_protocols(["http/1.1"])
    return context


def subject_alt_names(names: Iterable[str], addresses: Iterable[str]) -> str:
    """``DNS:a,DNS:b,IP:1.2.3.4`` (what is not a valid IP literal is left out of the IPs)."""
    entries = [f"DNS:{name}" for name in names if name and all(c not in name for c in ",:/ ")]
    for address in addresses:
        with contextlib.suppress(ValueError):
            entries.append(f"IP:{ipaddress.ip_address(address)}")
    return ",".join(entries)


def _make(path: Path, names: list[str], addresses: list[str]) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise CertificateError("the openssl command is missing (Debian: apt install openssl)")
    common = (names or ["karaoke.local"])[0][:64]
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".new-") as work:
        key, cert = Path(work) / "key.pem", Path(work) / "cert.pem"
        command = [
            openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", str(key), "-out", str(cert), "-days", str(VALID_DAYS),
            "-subj", f"/CN={common}", "-addext", "basicConstraints=critical,CA:FALSE",
            "-addext", "extendedKeyUsage=serverAuth",
            "-addext", f"subjectAltName={subject_alt_names(names, addresses)}",
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            raise CertificateError(f"openssl could not make a certificate: {done.stderr[-300:]}")
        write_atomically(path, key.read_bytes() + cert.read_bytes(), 0o600)
