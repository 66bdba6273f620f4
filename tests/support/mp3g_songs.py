"""Tiny synthetic MP3+G material: silent MP3 frames, WAVs, CD+G streams and odd zips."""

from __future__ import annotations

import io
import struct
import wave
import zipfile

# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames of 1152 samples.
MP3_FRAME = bytes((0xFF, 0xFB, 0x90, 0x64)) + bytes(413)
MP3_FRAME_S = 1152 / 44100


def mp3_bytes(seconds: float, title: str = "", artist: str = "") -> bytes:
    frames = MP3_FRAME * max(1, round(seconds / MP3_FRAME_S))
    if not (title or artist):
        return frames
    return id3v2(title, artist) + frames


def id3v2(title: str, artist: str) -> bytes:
    """A minimal ID3v2.3 tag with TIT2 and TPE1 (Latin-1 text)."""
    body = b""
    for frame_id, value in ((b"TIT2", title), (b"TPE1", artist)):
        data = b"\x00" + value.encode("latin-1")
        body += frame_id + struct.pack(">I", len(data)) + b"\x00\x00" + data
    size = len(body)
    syncsafe = bytes(((size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F))
    return b"ID3\x03\x00\x00" + syncsafe + body


def wav_bytes(seconds: float, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as handle:
        handle.setnchannels(2)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(bytes(4 * int(seconds * rate)))
    return out.getvalue()


def cdg_bytes(seconds: float) -> bytes:
    """A memory preset then empty packets: ``seconds`` long."""
    preset = bytes([9, 1, 0, 0, 3]) + bytes(19)
    return preset + bytes(24 * (int(seconds * 300) - 1))


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_STORED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_with_cp437_names(members: dict[str, bytes]) -> bytes:
    """A zip whose names are CP437 bytes without the UTF-8 flag (as old DOS/Windows tools did)."""
    placeholders = {}
    plain = {}
    for index, (name, data) in enumerate(members.items()):
        raw = name.encode("cp437")
        placeholder = (f"@{index}@" + "x" * len(raw))[: len(raw)]
        assert len(placeholder) == len(raw)
        placeholders[placeholder.encode("ascii")] = raw
        plain[placeholder] = data
    blob = zip_bytes(plain)
    for placeholder, raw in placeholders.items():
        blob = blob.replace(placeholder, raw)
    return blob


def as_deflate64(blob: bytes) -> bytes:
    """Relabel the deflated members of a zip as Deflate64 (method 9).

    A raw deflate stream that never codes a 258-byte match is also a valid Deflate64 stream, so
    the data must not hold long repeats (the fixtures use random-ish bytes).
    """
    out = bytearray(blob)
    position = 0
    while (position := out.find(b"PK\x03\x04", position)) >= 0:
        if out[position + 8] == 8:
            out[position + 8] = 9
        position += 4
    position = 0
    while (position := out.find(b"PK\x01\x02", position)) >= 0:
        if out[position + 10] == 8:
            out[position + 10] = 9
        position += 4
    return bytes(out)
