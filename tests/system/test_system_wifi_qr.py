"""The Wi-Fi QR payload: every special character escaped, and read back by a QR decoder."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appliance.core.errors import InvalidRequest
from appliance.system.wifi_qr import escape_wifi_value, parse_wifi_qr_payload, wifi_qr_payload


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("\\", "\\\\"),
        (";", "\\;"),
        (",", "\\,"),
        (":", "\\:"),
        ('"', '\\"'),
        ("plain", "plain"),
        ('a\\;,:"b', 'a\\\\\\;\\,\\:\\"b'),
    ],
)
def test_each_special_character_is_escaped(raw: str, escaped: str) -> None:
    assert escape_wifi_value(raw) == escaped


def test_payload_layout() -> None:
    assert wifi_qr_payload('Bar "Mic";1', "p@ss:w,rd\\") == (
        'WIFI:T:WPA;S:Bar \\"Mic\\"\\;1;P:p@ss\\:w\\,rd\\\\;;'
    )
    assert wifi_qr_payload("Open", None) == "WIFI:T:nopass;S:Open;;"
    assert wifi_qr_payload("Hidden", "12345678", hidden=True).endswith(";H:true;;")


@pytest.mark.parametrize(
    ("ssid", "password"), [("", "12345678"), ("x" * 33, None), ("ok", "short")]
)
def test_invalid_values_are_refused(ssid: str, password: str | None) -> None:
    with pytest.raises(InvalidRequest):
        wifi_qr_payload(ssid, password)


@given(
    ssid=st.text(alphabet='ab \\;,:"é', min_size=1, max_size=10),
    password=st.text(alphabet='xy\\;,:" ', min_size=8, max_size=20),
)
def test_round_trip(ssid: str, password: str) -> None:
    fields = parse_wifi_qr_payload(wifi_qr_payload(ssid, password))
    assert fields == {"T": "WPA", "S": ssid, "P": password}


def test_a_qr_decoder_reads_the_payload_back() -> None:
    segno = pytest.importorskip("segno")
    zxingcpp = pytest.importorskip("zxingcpp")
    np = pytest.importorskip("numpy")
    payload = wifi_qr_payload('Karaoke; "Bar"', "sing:along,now\\")
    modules = np.array(segno.make(payload, error="m").matrix, dtype=np.uint8)
    image = np.pad(1 - modules, 4, constant_values=1).repeat(6, axis=0).repeat(6, axis=1) * 255
    results = zxingcpp.read_barcodes(image.astype(np.uint8))
    assert [result.text for result in results] == [payload]
