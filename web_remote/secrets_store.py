"""The remote's secrets, kept in the state directory: the signing key and the host PIN.

Both are made once and kept, so tokens and the PIN survive a restart::

    >>> import tempfile, pathlib
    >>> state = pathlib.Path(tempfile.mkdtemp())
    >>> key = load_or_create_secret(state)
    >>> key == load_or_create_secret(state), len(key)
    (True, 32)
    >>> pin = load_or_create_pin(state)
    >>> pin == load_or_create_pin(state), len(pin), pin.isdigit()
    (True, 6, True)
    >>> host_pin("2468", state)
    '2468'
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_FILE = "web-secret.key"
PIN_FILE = "web-pin.txt"
PIN_DIGITS = 6


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` readable by the owner only (atomic rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def load_or_create_secret(state_dir: Path) -> bytes:
    """The 32-byte key that signs device, guest and host tokens."""
    path = Path(state_dir) / SECRET_FILE
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(key) >= 32:
            return key
    except (OSError, ValueError):
        pass
    key = secrets.token_bytes(32)
    _write_private(path, key.hex() + "\n")
    return key


def load_or_create_pin(state_dir: Path, *, renew: bool = False) -> str:
    """The generated host PIN (six digits), made on first use or when ``renew`` is set."""
    path = Path(state_dir) / PIN_FILE
    if not renew:
        try:
            pin = path.read_text(encoding="ascii").strip()
            if pin.isdigit() and len(pin) >= 4:
                return pin
        except (OSError, UnicodeDecodeError):
            pass
    pin = f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"
    _write_private(path, pin + "\n")
    return pin


def host_pin(configured: str, state_dir: Path) -> str:
    """The PIN in force: ``[web] pin`` from the config, else the generated one."""
    return configured.strip() if configured.strip() else load_or_create_pin(state_dir)
