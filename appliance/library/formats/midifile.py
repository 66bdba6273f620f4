"""Standard MIDI files opened with mido, and what to tell a person when one is broken.

mido reports a file cut short as a bare ``EOFError``; :func:`load_midi` walks the chunks itself
to say where it ends::

    >>> header = b"MThd\\x00\\x00\\x00\\x06\\x00\\x01\\x00\\x02\\x01\\xe0"
    >>> load_midi(header + b"MTrk\\x00\\x00\\x01\\x00", "x.kar")
    Traceback (most recent call last):
    ...
    appliance.core.errors.SongFormatError: x.kar: the file ends early (truncated): track 1 of 2 \
stops after 0 of its 256 bytes

A file with no ``MThd`` header is "not a MIDI file"; anything else mido rejects is "corrupt
MIDI data" with mido's reason.
"""

from __future__ import annotations

import io

import mido

from appliance.core.errors import SongFormatError

HEADER_BYTES = 14
CHUNK_HEADER_BYTES = 8
ENDS_EARLY = "the file ends early (truncated)"


def load_midi(data: bytes, path: str) -> mido.MidiFile:
    """The parsed MIDI file; SongFormatError with a reason a person understands otherwise."""
    if not data.startswith(b"MThd") or len(data) < HEADER_BYTES:
        raise SongFormatError(path, "not a MIDI file (no MThd header)")
    truncated = truncation(data)
    if truncated:
        raise SongFormatError(path, f"{ENDS_EARLY}: {truncated}")
    try:
        return mido.MidiFile(file=io.BytesIO(data), clip=True)
    except EOFError:
        reason = "its last track stops in the middle of an event"
        raise SongFormatError(path, f"{ENDS_EARLY}: {reason}") from None
    except Exception as error:  # mido raises many types on bad input
        reason = str(error) or type(error).__name__
        raise SongFormatError(path, f"corrupt MIDI data: {reason}") from None


def truncation(data: bytes) -> str:
    """Where the file stops before the tracks its header promises end ('' when it does not)."""
    header_length = int.from_bytes(data[4:8])
    tracks = int.from_bytes(data[10:12])
    position = CHUNK_HEADER_BYTES + header_length
    number = 0
    while number < tracks:
        if position >= len(data):
            return f"it holds {number} of the {tracks} tracks its header announces"
        if position + CHUNK_HEADER_BYTES > len(data):
            return f"track {number + 1} of {tracks} stops inside its chunk header"
        size = int.from_bytes(data[position + 4 : position + 8])
        body = len(data) - position - CHUNK_HEADER_BYTES
        if data[position : position + 4] == b"MTrk":
            number += 1
            if body < size:
                return f"track {number} of {tracks} stops after {body:,} of its {size:,} bytes"
        position += CHUNK_HEADER_BYTES + size
    return ""
