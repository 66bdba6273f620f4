"""Can this audio play? A cheap check made when a song is indexed, not a decode of the song:
the container is opened with PyAV (ffmpeg), an audio stream is found and its first packets
decode. A song that cannot play is then reported by the scan, not at 10 pm::

    probe_audio("/songs/Artist - Title/audio.wma")          # None when it plays
    probe_audio("/songs/SC01 - A - T.zip", "A - T.m4a")     # a zip member, read through the zip
    # SongFormatError: ".../song.mid: this is MIDI, not audio: import it as a KAR/MIDI song"

:func:`audio_problem` gives the reason without raising (``""`` when the audio plays),
:func:`audio_duration` the length of files mutagen cannot read (MKV, WebM); the
engine's decoder (``appliance.audio.sources``) uses :func:`midi_reason` for the same words.
Formats: whatever ffmpeg decodes (MP3, OGG Vorbis/Opus, FLAC, WAV, M4A/AAC, Opus, WMA, and the
audio track of MP4/MKV/WebM videos). Only headers and the first packets are read (a few ms); a
zip member is read forward only (no inflating the whole member to seek to its end).
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from typing import IO, Any

from appliance.core.errors import SongFormatError

AUDIO_EXTENSIONS = (".mp3", ".ogg", ".wav", ".flac", ".m4a", ".aac", ".opus", ".wma")
VIDEO_EXTENSIONS = (".mp4", ".m4v", ".mkv", ".webm", ".avi", ".mov", ".mpg", ".mpeg", ".flv")
MIDI_EXTENSIONS = (".mid", ".midi", ".kar", ".rmi")
PROBE_PACKETS = 48  # some decoders need a few packets before the first frame
# bytes ffmpeg may read to find the streams' parameters: its default (5 MB) made a WAV's
# probe read 5 s of PCM (25 ms instead of 0.9); an MP3's cover art is skipped all the same
PROBE_OPTIONS = {"probesize": "32768"}
FORMAT_HINTS = {
    ".mp3": "mp3", ".ogg": "ogg", ".opus": "ogg", ".flac": "flac", ".wav": "wav",
    ".m4a": "mp4", ".mp4": "mp4", ".m4v": "mp4", ".aac": "aac", ".wma": "asf",
    ".mkv": "matroska", ".webm": "matroska",
}  # fmt: skip


def probe_audio(path: str, member: str = "") -> None:
    """SongFormatError(path, reason) unless the file (or zip ``member``) has playable audio."""
    reason = _problem(path, member)
    if reason:
        raise SongFormatError(path, f"{member}: {reason}" if member else reason)


def audio_problem(path: str, member: str = "") -> str:
    """Why the audio at ``path`` (or its zip ``member``) cannot play, in words a person can act
    on, after the file's name (``"audio.wma: no audio stream"``); ``""`` when its first packets
    decode."""
    reason = _problem(path, member)
    return f"{os.path.basename(member or path)}: {reason}" if reason else ""


def _problem(path: str, member: str) -> str:
    name = os.path.basename(member or path)
    try:
        with contextlib.ExitStack() as stack:
            handle: IO[bytes] = stack.enter_context(open(path, "rb"))
            if member:
                archive = stack.enter_context(zipfile.ZipFile(handle))
                handle = stack.enter_context(archive.open(member))
            head = handle.read(16)
            if not head:
                return "the file is empty"
            reason = midi_reason(name, head)
            if reason:
                return reason
            return _attempts_problem(handle, name, member)
    except (OSError, zipfile.BadZipFile, KeyError, EOFError, ValueError, RuntimeError) as error:
        return f"cannot be read ({_text(error)})"


def _attempts_problem(handle: IO[bytes], name: str, member: str) -> str:
    """The first attempt's verdict that finds no problem, else the last one's reason. First
    with the demuxer the extension names (ffmpeg skips guessing the format: 3x faster), then
    letting ffmpeg guess (a mislabelled file). A zip member is read forward only first:
    ffmpeg seeks to the end of an MP3 for its tags, which through a zip inflates the whole
    member; then seekable (an M4A whose index is at its end)."""
    hint = FORMAT_HINTS.get(os.path.splitext(name)[1].lower())
    attempts: list[tuple[bool, str | None]] = [(bool(member), hint)]
    attempts += [(False, None)] if member or hint else []
    reason = ""
    for forward_only, format_name in attempts:
        handle.seek(0)
        reason = _stream_problem(_ForwardOnly(handle) if forward_only else handle, format_name)
        if not reason:
            return ""
    return reason


def audio_duration(path: str) -> float:
    """The length ffmpeg reads from a file's headers (videos mutagen does not know: MKV,
    WebM), in seconds; 0.0 when it cannot tell."""
    import av

    try:
        with av.open(path, "r", options=PROBE_OPTIONS) as container:
            return max(0.0, (container.duration or 0) / 1_000_000)
    except (av.FFmpegError, OSError):
        return 0.0


def midi_reason(name: str, head: bytes) -> str:
    """Why a MIDI file (known by its first bytes or its name) is no audio; ``""`` if not one."""
    is_midi = head.startswith(b"MThd") or (head.startswith(b"RIFF") and head[8:12] == b"RMID")
    if is_midi or os.path.splitext(name)[1].lower() in MIDI_EXTENSIONS:
        return "this is MIDI, not audio: import it as a KAR/MIDI song"
    return ""


class _ForwardOnly:
    """A file ffmpeg can only read on from the start (it has no ``seek``)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.read = handle.read


def _stream_problem(handle: IO[bytes] | _ForwardOnly, format_name: str | None = None) -> str:
    import av

    try:
        with av.open(handle, "r", format=format_name, options=PROBE_OPTIONS) as container:
            if not container.streams.audio:
                kind = "a video without an audio track" if container.streams.video else ""
                return "no audio stream" + (f" ({kind})" if kind else "")
            return _first_frames_problem(container)
    except av.FFmpegError as error:
        return f"cannot be opened as audio: damaged, truncated or not audio ({_text(error)})"


def _first_frames_problem(container: Any) -> str:
    import av

    stream = container.streams.audio[0]
    try:
        for count, packet in enumerate(container.demux(stream)):
            if packet.decode():
                return ""
            if count >= PROBE_PACKETS:
                break
    except av.FFmpegError as error:
        return f"its audio cannot be decoded ({_text(error)})"
    codec = getattr(stream.codec_context, "name", "") or "unknown codec"
    return f"no audio could be decoded from its first packets ({codec})"


def _text(error: BaseException) -> str:
    """An error's message without ffmpeg's errno prefix and file name."""
    strerror = getattr(error, "strerror", None)
    return str(strerror or error or type(error).__name__)
