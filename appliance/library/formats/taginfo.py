"""Duration, title and artist of an audio file from its headers and tags (mutagen), no decoding.

Works on files and on zip members; a stored (uncompressed) member is read in place through a
window on the zip, so only the headers are touched::

    info = audio_info_from_file("song.mp3")
    info.duration_s, info.title, info.artist

Unreadable audio gives an empty :class:`AudioInfo` (duration 0): callers fall back to other
sources, they do not fail the song for it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

import mutagen

MAX_COMPRESSED_READ = 64 * 1024 * 1024
_LOCAL_HEADER = 30


@dataclass(frozen=True)
class AudioInfo:
    """What the audio's headers say; empty strings and 0.0 where they say nothing."""

    title: str = ""
    artist: str = ""
    duration_s: float = 0.0


def audio_info_from_file(path: str) -> AudioInfo:
    """Headers and tags of an audio file on disk."""
    try:
        with open(path, "rb") as handle:
            return _info(handle)
    except OSError:
        return AudioInfo()


def audio_info_from_zip(
    zip_path: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo
) -> AudioInfo:
    """Headers and tags of a zip member: in place when stored, else decompressed to memory."""
    if info.compress_type == zipfile.ZIP_STORED and not info.flag_bits & 0x1:
        with open(zip_path, "rb") as handle:
            window = _stored_window(handle, info)
            return _info(window) if window else AudioInfo()
    if info.file_size > MAX_COMPRESSED_READ:
        return AudioInfo()
    with archive.open(info) as member:
        return _info(io.BytesIO(member.read()))


def _info(handle: BinaryIO) -> AudioInfo:
    try:
        audio = mutagen.File(handle, easy=True)
    except Exception:  # mutagen raises many types on odd files: treat as "no info"
        return AudioInfo()
    if audio is None:
        return AudioInfo()
    length = getattr(getattr(audio, "info", None), "length", 0.0) or 0.0
    tags = audio.tags or {}
    return AudioInfo(_first(tags, "title"), _first(tags, "artist"), float(length))


def _first(tags, key: str) -> str:
    try:
        values = tags.get(key) or []
    except (KeyError, ValueError, TypeError):
        return ""
    return str(values[0]).strip() if values else ""


def _stored_window(handle: BinaryIO, info: zipfile.ZipInfo) -> BinaryIO | None:
    """A read-only file object over a stored member's bytes inside the zip file."""
    handle.seek(info.header_offset)
    header = handle.read(_LOCAL_HEADER)
    if len(header) < _LOCAL_HEADER or header[:4] != b"PK\x03\x04":
        return None
    name_length = int.from_bytes(header[26:28], "little")
    extra_length = int.from_bytes(header[28:30], "little")
    start = info.header_offset + _LOCAL_HEADER + name_length + extra_length
    return io.BufferedReader(_Window(handle, start, info.file_size))


class _Window(io.RawIOBase):
    """Bytes ``start .. start + size`` of an open file, seekable."""

    def __init__(self, handle: BinaryIO, start: int, size: int) -> None:
        super().__init__()
        self._handle, self._start, self._size, self._position = handle, start, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer) -> int:
        count = max(0, min(len(buffer), self._size - self._position))
        if not count:
            return 0
        self._handle.seek(self._start + self._position)
        data = self._handle.read(count)
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)
