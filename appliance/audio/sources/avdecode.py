"""Audio decoded with PyAV (ffmpeg): M4A/AAC, Opus, WMA, the audio track of a video file (MP4,
MKV, WebM...) and whatever libsndfile cannot open, from a file or a zip member, in float32
blocks at the source's own rate (at most two channels: more are downmixed by ffmpeg).

    with open_av(SourceRef("/songs/a/clip.mp4"), "song-1") as audio:   # first audio stream
        audio.rate, audio.channels, audio.expected_frames
        for block in audio.blocks():      # frames x channels, float32
            ...

General on purpose (a source and an optional ``stream`` index among its audio streams), so a
later video player can take its sound from here. Memory stays flat: packets are demuxed and
decoded one at a time. Errors are SongLoadError naming the file and what is wrong.
"""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import av
import numpy as np

from appliance.audio.sources.locate import ZIP_ERRORS, GuardedReader, SourceRef, error_text
from appliance.core.errors import SongLoadError
from appliance.library.formats.audioprobe import midi_reason

BLOCK_FRAMES = 65536
MAX_SECONDS = 30 * 60
MAX_BAD_PACKETS = 8  # damaged packets skipped (a click) before the file is called undecodable
TRUNCATION_TOLERANCE = 4800  # frames; or 1% of the length, whichever is more
# containers whose header gives the exact length (raw MP3 and ADTS AAC only estimate it)
EXACT_LENGTH_FORMATS = frozenset({"mp4", "ogg", "flac", "wav", "asf", "matroska"})
OPEN_ERRORS: tuple[type[Exception], ...] = (av.FFmpegError, *ZIP_ERRORS)


@dataclass
class AvAudio:
    """One audio stream of an opened container."""

    ref: SourceRef
    song_id: str
    container: Any
    stream: Any
    rate: int
    channels: int
    expected_frames: int  # from the container's header; 0 when it does not say exactly

    def blocks(self, block_frames: int = BLOCK_FRAMES) -> Iterator[np.ndarray]:
        """The stream in float32 blocks (frames x channels) at ``rate``; SongLoadError when it
        cannot be decoded or ends well before its header says."""
        layout = "mono" if self.channels == 1 else "stereo"
        converter = av.AudioResampler(format="flt", layout=layout, rate=self.rate)
        pending: list[np.ndarray] = []
        held = done = 0
        limit = MAX_SECONDS * self.rate
        for frame in self._frames():
            for converted in converter.resample(frame):
                samples = converted.to_ndarray().reshape(-1, self.channels)
                pending.append(samples)
                held += len(samples)
            if held >= block_frames:
                block = np.concatenate(pending)[: limit - done]
                done += len(block)
                pending, held = [], 0
                yield block
                if done >= limit:
                    return
        for converted in converter.resample(None):
            pending.append(converted.to_ndarray().reshape(-1, self.channels))
        if pending:
            block = np.concatenate(pending)[: limit - done]
            done += len(block)
            yield block
        self._check_length(done)

    def _frames(self) -> Iterator[Any]:
        bad = 0
        for packet in self.container.demux(self.stream):
            try:
                yield from packet.decode()
            except av.FFmpegError as error:
                bad += 1
                if bad > MAX_BAD_PACKETS:
                    reason = f"{self.ref.name}: cannot decode ({_why(error)})"
                    raise SongLoadError(self.song_id, reason) from None

    def _check_length(self, done: int) -> None:
        expected = min(self.expected_frames, MAX_SECONDS * self.rate)
        tolerance = max(TRUNCATION_TOLERANCE, expected // 100)
        if done == 0 or done < expected - tolerance:
            reason = f"{self.ref.name}: the audio ends early (truncated or corrupt)"
            raise SongLoadError(self.song_id, reason)


@contextlib.contextmanager
def open_av(ref: SourceRef, song_id: str, stream: int = 0) -> Iterator[AvAudio]:
    """The ``stream``-th audio stream of ``ref`` opened for decoding (a zip member is streamed
    from the zip, not extracted); SongLoadError with the file's name and what is wrong."""
    guard: GuardedReader | None = None
    with contextlib.ExitStack() as stack:
        try:
            handle: IO[bytes] = stack.enter_context(open(ref.path, "rb"))
            if ref.member:
                archive = stack.enter_context(zipfile.ZipFile(handle))
                guard = GuardedReader(stack.enter_context(archive.open(ref.member)))
            source: Any = guard or handle
            reason = midi_reason(ref.name, source.read(16))
            if reason:
                raise SongLoadError(song_id, f"{ref.name}: {reason}")
            source.seek(0)
            container = stack.enter_context(av.open(source, "r"))
        except OPEN_ERRORS as error:
            why = f"damaged, truncated or not audio ({_why(error)})"
            raise SongLoadError(song_id, f"{ref.name}: cannot be opened as audio: {why}") from None
        try:
            yield _stream(ref, song_id, container, stream)
        except SongLoadError:
            if guard is None or guard.error is None:
                raise
        if guard is not None and guard.error is not None:
            why = f"the zip member is damaged ({error_text(guard.error)})"
            raise SongLoadError(song_id, f"{ref.name}: {why}")


def _stream(ref: SourceRef, song_id: str, container: Any, index: int) -> AvAudio:
    streams = container.streams.audio
    if index >= len(streams):
        kind = " (a video without an audio track)" if container.streams.video else ""
        which = "no audio stream" if not streams else f"no audio stream number {index + 1}"
        raise SongLoadError(song_id, f"{ref.name}: {which}{kind}")
    stream = streams[index]
    context = stream.codec_context
    rate, channels = int(context.sample_rate or 0), int(context.channels or 0)
    if rate < 1000 or channels < 1:
        raise SongLoadError(song_id, f"{ref.name}: no audio in the file")
    expected = 0
    exact = EXACT_LENGTH_FORMATS.intersection(container.format.name.split(","))
    if exact and stream.duration and stream.time_base:
        expected = int(stream.duration * stream.time_base * rate)
    return AvAudio(ref, song_id, container, stream, rate, min(2, channels), expected)


def _why(error: BaseException) -> str:
    """ffmpeg's message without its errno and file name (the caller names the file)."""
    return str(getattr(error, "strerror", None) or error_text(error))
