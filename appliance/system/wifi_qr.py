"""The Wi-Fi join payload for a QR code: guests scan it and their phone joins the box's hotspot.

The format (from ZXing, understood by Android's and iOS's cameras) is
``WIFI:T:<auth>;S:<ssid>;P:<password>;;`` where ``\\ ; , : "`` inside a value are escaped with a
backslash::

    >>> wifi_qr_payload("Karaoke", "sing;along")
    'WIFI:T:WPA;S:Karaoke;P:sing\\\\;along;;'
    >>> wifi_qr_payload("Open Bar", None)
    'WIFI:T:nopass;S:Open Bar;;'

Render it with segno (``segno.make(payload, error="m")``); the TV shows it beside the remote's URL.
"""

from __future__ import annotations

from appliance.core.errors import InvalidRequest

SPECIAL_CHARACTERS = '\\;,:"'


def escape_wifi_value(value: str) -> str:
    """Backslash-escapes ``\\ ; , : "`` (the backslash first, so nothing is escaped twice).

    >>> escape_wifi_value('a\\\\b;c,d:e"f')
    'a\\\\\\\\b\\\\;c\\\\,d\\\\:e\\\\"f'
    """
    return "".join("\\" + char if char in SPECIAL_CHARACTERS else char for char in value)


def wifi_qr_payload(ssid: str, password: str | None, hidden: bool = False) -> str:
    """The QR payload for a WPA/WPA2/WPA3-personal network, or an open one without a password.

    Values are never quoted: phones' readers differ on stripping quotes, all of them unescape.
    """
    if not ssid:
        raise InvalidRequest("ssid", "must not be empty")
    if len(ssid.encode()) > 32:
        raise InvalidRequest("ssid", "must be at most 32 bytes")
    if password is not None and not 8 <= len(password) <= 63:
        raise InvalidRequest("password", "a WPA password has 8 to 63 characters")
    fields = ["T:" + ("WPA" if password else "nopass"), "S:" + escape_wifi_value(ssid)]
    if password:
        fields.append("P:" + escape_wifi_value(password))
    if hidden:
        fields.append("H:true")
    return "WIFI:" + ";".join(fields) + ";;"


def parse_wifi_qr_payload(payload: str) -> dict[str, str]:
    """Reads a payload back into its fields (``T``, ``S``, ``P``, ``H``); used by tests.

    >>> parse_wifi_qr_payload('WIFI:T:WPA;S:a\\\\;b;P:12345678;;')
    {'T': 'WPA', 'S': 'a;b', 'P': '12345678'}
    """
    if not payload.startswith("WIFI:") or not payload.endswith(";;"):
        raise InvalidRequest("payload", "not a WIFI: QR payload")
    fields: dict[str, str] = {}
    body, index = payload[5:-1], 0
    while index < len(body):
        key, index = body[index], index + 2  # "T:" and so on
        value, index = _read_value(body, index)
        fields[key] = value
    return fields


def _read_value(body: str, index: int) -> tuple[str, int]:
    chars: list[str] = []
    while index < len(body):
        char = body[index]
        if char == "\\":
            chars.append(body[index + 1])
            index += 2
            continue
        if char == ";":
            return "".join(chars), index + 1
        chars.append(char)
        index += 1
    return "".join(chars), index
