"""Signed tokens: a device id per phone, a guest token binding the device to its singer, a host
session after the PIN, and a CSRF token tied to the device.

All are signed with the box's secret (itsdangerous, HMAC-SHA256 with per-purpose salts), so a
phone can hold them but not forge or move them to another purpose::

    >>> tokens = Tokens(b"k" * 32, pin="1234")
    >>> device = tokens.read_device(tokens.new_device())
    >>> guest = tokens.guest(device, singer_id=7)
    >>> tokens.read_guest(guest, device), tokens.read_guest(guest, "another-device")
    (7, None)
    >>> tokens.is_host(tokens.host(device), device)
    True
    >>> Tokens(b"k" * 32, pin="9999").is_host(tokens.host(device), device)  # PIN changed
    False
    >>> tokens.check_csrf(device, tokens.csrf(device)), tokens.check_csrf(device, "x")
    (True, False)
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from itsdangerous import BadData, URLSafeSerializer, URLSafeTimedSerializer

GUEST_MAX_AGE_S = 30 * 24 * 3600
HOST_MAX_AGE_S = 12 * 3600


class Tokens:
    """Makes and checks the remote's tokens."""

    def __init__(self, secret: bytes, pin: str, host_max_age_s: int = HOST_MAX_AGE_S) -> None:
        self._secret = secret
        self._pin = pin
        self._pin_mark = hmac.new(secret, b"pin:" + pin.encode(), hashlib.sha256).hexdigest()[:16]
        self._device = URLSafeSerializer(secret, salt="device")
        self._guest = URLSafeTimedSerializer(secret, salt="guest")
        self._host = URLSafeTimedSerializer(secret, salt="host")
        self.host_max_age_s = host_max_age_s

    # --- device ------------------------------------------------------------------------------

    def new_device(self) -> str:
        """A fresh signed device id (for the device cookie)."""
        return self._device.dumps(secrets.token_urlsafe(12))

    def read_device(self, token: str | None) -> str | None:
        """The device id in ``token``, or None if missing or forged."""
        value = _loads(self._device, token)
        return value if isinstance(value, str) and 8 <= len(value) <= 64 else None

    # --- guest -------------------------------------------------------------------------------

    def guest(self, device: str, singer_id: int) -> str:
        """A token saying: this device is singer ``singer_id``."""
        return self._guest.dumps({"d": device, "s": int(singer_id)})

    def read_guest(self, token: str | None, device: str | None) -> int | None:
        """The singer id if ``token`` is genuine, fresh and made for ``device``."""
        value = _loads(self._guest, token, GUEST_MAX_AGE_S)
        if not isinstance(value, dict) or device is None or value.get("d") != device:
            return None
        singer = value.get("s")
        return singer if isinstance(singer, int) and not isinstance(singer, bool) else None

    # --- host --------------------------------------------------------------------------------

    def check_pin(self, pin: object) -> bool:
        """True when ``pin`` is the host PIN (constant-time comparison)."""
        if not isinstance(pin, str):
            return False
        given = pin.encode("utf-8", "replace")
        return hmac.compare_digest(given, self._pin.encode("utf-8", "replace"))

    def host(self, device: str) -> str:
        """A host session for ``device``; void when the PIN changes or after the max age."""
        return self._host.dumps({"d": device, "p": self._pin_mark, "n": secrets.token_hex(8)})

    def host_session(self, token: str | None, device: str | None) -> str | None:
        """The id of the live host session ``token`` holds for ``device``, or None."""
        value = _loads(self._host, token, self.host_max_age_s)
        if not (
            isinstance(value, dict)
            and device is not None
            and value.get("d") == device
            and value.get("p") == self._pin_mark
        ):
            return None
        return str(value.get("n", ""))

    def is_host(self, token: str | None, device: str | None) -> bool:
        """True if ``token`` is a live host session of ``device``."""
        return self.host_session(token, device) is not None

    # --- CSRF --------------------------------------------------------------------------------

    def csrf(self, device: str) -> str:
        """The CSRF token of ``device``: pages send it in the X-CSRF-Token header."""
        return hmac.new(self._secret, b"csrf:" + device.encode(), hashlib.sha256).hexdigest()

    def check_csrf(self, device: str | None, value: str | None) -> bool:
        """True if ``value`` is the CSRF token of ``device``."""
        if not device or not value:
            return False
        return hmac.compare_digest(self.csrf(device).encode(), value.encode("utf-8", "replace"))


def _loads(
    serializer: URLSafeSerializer | URLSafeTimedSerializer,
    token: str | None,
    max_age: int | None = None,
) -> object:
    if not token or len(token) > 512:
        return None
    try:
        if isinstance(serializer, URLSafeTimedSerializer):
            return serializer.loads(token, max_age=max_age)
        return serializer.loads(token)
    except (BadData, UnicodeError, ValueError):
        return None
