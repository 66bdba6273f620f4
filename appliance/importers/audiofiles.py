"""Decode audio, resample it to 48 kHz and write sample-aligned FLAC stems of equal length.

Everything streams in blocks, so a four-minute song never sits in memory whole::

    frames = write_aligned_stems({Path("out/mix.flac"): Path("song.mp3")})
    # out/mix.flac: 48 kHz, 16-bit FLAC; several sources are padded to the longest

Resampling is polyphase (``scipy.signal.resample_poly``) over blocks with enough context on both
sides that the result equals resampling the whole file at once. WAV, FLAC, OGG and MP3 are read
by libsndfile (soundfile; MP3 from 1.1), everything else (M4A/AAC, Opus, WMA, a video's sound)
and what libsndfile cannot open by PyAV (ffmpeg), as the engine's transcoder does;
:func:`decode_problem` says why a file cannot be read (the library's probe), before any work.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import av
import numpy as np
import soundfile
from scipy.signal import resample_poly

from appliance.importers.errors import ConversionFailed
from appliance.library.formats.audioprobe import audio_problem

SAMPLE_RATE = 48_000
BLOCK_FRAMES = 1 << 16
PEAK_TARGET = 0.89  # -1 dBFS
SILENCE_FLOOR = 1e-4  # -80 dBFS
SOUNDFILE_EXTENSIONS = (".wav", ".flac", ".ogg", ".mp3")


def can_read_mp3() -> bool:
    """True when libsndfile reads MP3 (version 1.1 and newer)."""
    return "MP3" in soundfile.available_formats()


def decode_problem(path: Path) -> str | None:
    """Why ``path`` cannot be decoded here, in words a person can act on; None when it can
    (its container opens, it has an audio stream, its first packets decode)."""
    if not path.is_file():
        return f"audio file not found: {path.name}"
    return audio_problem(str(path)) or None


def _open(path: Path) -> Any:
    """A soundfile.SoundFile, or an :class:`AvStream` when libsndfile cannot read the file."""
    problem = decode_problem(path)
    if problem:
        raise ConversionFailed(f"{path}: {problem}")
    if path.suffix.lower() in SOUNDFILE_EXTENSIONS:
        try:
            return soundfile.SoundFile(path)
        except (soundfile.LibsndfileError, RuntimeError, OSError):
            pass
    try:
        return AvStream(path)
    except (av.FFmpegError, OSError, IndexError) as error:
        raise ConversionFailed(f"{path}: cannot decode the audio: {error}") from error


class AvStream:
    """The first audio stream of a file decoded by PyAV, read like a soundfile.SoundFile
    (``samplerate``, ``channels``, ``read``, ``blocks``): float32, at most two channels."""

    def __init__(self, path: Path) -> None:
        self._container = av.open(str(path))
        stream = self._container.streams.audio[0]
        self.samplerate = int(stream.codec_context.sample_rate)
        self.channels = min(2, int(stream.codec_context.channels))
        layout = "mono" if self.channels == 1 else "stereo"
        self._converter = av.AudioResampler(format="flt", layout=layout, rate=self.samplerate)
        self._frames = self._container.decode(stream)
        self._buffer = np.zeros((0, self.channels), dtype=np.float32)
        self._ended = False

    def read(self, frames: int, dtype: str = "float32", always_2d: bool = True) -> np.ndarray:
        """Up to ``frames`` frames (fewer only at the end)."""
        while len(self._buffer) < frames and not self._ended:
            frame = next(self._frames, None)
            self._ended = frame is None
            converted = [out.to_ndarray().reshape(-1, self.channels) for out in
                         self._converter.resample(frame)]  # fmt: skip
            self._buffer = np.concatenate([self._buffer, *converted])
        block, self._buffer = self._buffer[:frames], self._buffer[frames:]
        return block

    def blocks(
        self, frames: int, dtype: str = "float32", always_2d: bool = True
    ) -> Iterator[np.ndarray]:
        """Blocks of ``frames`` until the end."""
        while len(block := self.read(frames)):
            yield block

    def __enter__(self) -> AvStream:
        return self

    def __exit__(self, *_: object) -> None:
        self._container.close()


def _stereo_at_most(block: np.ndarray) -> np.ndarray:
    return block[:, :2] if block.shape[1] > 2 else block


def blocks_48k(path: Path, block_frames: int = BLOCK_FRAMES) -> Iterator[np.ndarray]:
    """float32 blocks (frames x 1 or 2 channels) of the file resampled to 48 kHz."""
    with _open(path) as stream:
        rate = stream.samplerate
        try:
            if rate == SAMPLE_RATE:
                for block in stream.blocks(block_frames, dtype="float32", always_2d=True):
                    yield _stereo_at_most(block)
                return
            yield from _resampled(stream, rate, block_frames)
        except (soundfile.LibsndfileError, RuntimeError, av.FFmpegError) as error:
            raise ConversionFailed(f"{path}: the audio is damaged: {error}") from error


def _resampled(stream: Any, rate: int, block_frames: int) -> Iterator[np.ndarray]:
    """Resample block by block; each block carries ``context`` input frames on each side."""
    divisor = math.gcd(SAMPLE_RATE, rate)
    up, down = SAMPLE_RATE // divisor, rate // divisor
    half_filter = 10 * max(up, down) / up + 2  # resample_poly's default filter, in input frames
    context = down * math.ceil(half_filter / down)
    chunk = down * max(1, block_frames // down)
    pending = np.zeros((0, min(stream.channels, 2)), dtype=np.float32)
    done_in = 0  # input frames already turned into output
    left = 0  # context frames kept before the current chunk
    finished = False
    while not finished:
        wanted = left + chunk + context - len(pending)
        more = _stereo_at_most(stream.read(max(wanted, 0), dtype="float32", always_2d=True))
        pending = np.concatenate([pending, more]) if len(more) else pending
        finished = len(more) < wanted
        body = len(pending) - left if finished else chunk
        if body <= 0:
            break
        output = resample_poly(pending, up, down, axis=0).astype(np.float32)
        start = left * up // down
        count = (
            math.ceil((done_in + body) * up / down) - done_in * up // down
            if finished
            else body * up // down
        )
        yield output[start : start + count]
        done_in += body
        keep_from = left + body - context if left + body >= context else 0
        pending = pending[keep_from:]
        left = left + body - keep_from


class _FrameReader:
    """Serves exactly ``n`` frames per read (fewer only at the end) from a block iterator."""

    def __init__(self, blocks: Iterator[np.ndarray]) -> None:
        self.blocks = blocks
        self.buffer: np.ndarray | None = None
        self.channels = 0

    def read(self, frames: int) -> np.ndarray:
        parts, have = [], 0
        while have < frames:
            if self.buffer is None or not len(self.buffer):
                self.buffer = next(self.blocks, None)
                if self.buffer is None:
                    break
                self.channels = self.buffer.shape[1]
                continue
            take = self.buffer[: frames - have]
            self.buffer = self.buffer[len(take) :]
            parts.append(take)
            have += len(take)
        if not parts:
            return np.zeros((0, max(self.channels, 1)), dtype=np.float32)
        return np.concatenate(parts)


def _lockstep(sources: list[Path]) -> Iterator[list[np.ndarray]]:
    """Blocks of every source, equally long (a source that ended gives zeros) until all end."""
    readers = [_FrameReader(blocks_48k(source)) for source in sources]
    while True:
        blocks = [reader.read(BLOCK_FRAMES) for reader in readers]
        longest = max(len(block) for block in blocks)
        if longest == 0:
            return
        yield [_padded(block, longest) for block in blocks]


def _padded(block: np.ndarray, frames: int) -> np.ndarray:
    if len(block) == frames:
        return block
    pad = np.zeros((frames - len(block), block.shape[1]), dtype=np.float32)
    return np.concatenate([block, pad])


def loud_extent(sources: list[Path], floor: float = SILENCE_FLOOR) -> tuple[float, int]:
    """The peak of all sources summed (stereo; mono counts on both sides), and the frame after
    the last one whose sum reaches ``floor`` (0 when all is silent)."""
    peak, end, frames = 0.0, 0, 0
    for blocks in _lockstep(sources):
        total = sum(np.broadcast_to(block, (len(block), 2)) for block in blocks)
        level = np.max(np.abs(total), axis=1)
        loud = np.nonzero(level >= floor)[0]
        if len(loud):
            peak = max(peak, float(level.max()))
            end = frames + int(loud[-1]) + 1
        frames += len(level)
    return peak, end


def common_gain(peak: float, max_gain: float = 8.0) -> float:
    """A gain bringing ``peak`` to -1 dBFS (at most ``max_gain``)."""
    return min(max_gain, PEAK_TARGET / peak) if peak > 0 else 1.0


def write_aligned_stems(
    targets: Mapping[Path, Path], gain: float = 1.0, max_frames: int | None = None
) -> int:
    """Write each source (value) as a 48 kHz 16-bit FLAC (key), all padded to the longest (and
    cut at ``max_frames`` if given).

    Returns the frame count every stem now has. ConversionFailed when a source cannot be read.
    """
    outputs = list(targets)
    sources = [targets[output] for output in outputs]
    writers: list[soundfile.SoundFile | None] = [None] * len(outputs)
    frames = 0
    try:
        for whole_blocks in _lockstep(sources):
            blocks = whole_blocks
            if max_frames is not None:
                blocks = [block[: max(0, max_frames - frames)] for block in whole_blocks]
                if not len(blocks[0]):
                    break
            for index, block in enumerate(blocks):
                writer = writers[index]
                if writer is None:
                    writer = writers[index] = _flac_writer(outputs[index], block.shape[1], frames)
                writer.write(_pcm16(block * gain))
            frames += len(blocks[0])
    finally:
        for writer in writers:
            if writer is not None:
                writer.close()
    if frames == 0:
        raise ConversionFailed(f"{sources[0]}: no audio in the file")
    return frames


def _flac_writer(path: Path, channels: int, leading_frames: int) -> soundfile.SoundFile:
    writer = soundfile.SoundFile(
        path, "w", samplerate=SAMPLE_RATE, channels=channels, subtype="PCM_16", format="FLAC"
    )
    if leading_frames:  # a source that started empty: keep it aligned with the others
        writer.write(np.zeros((leading_frames, channels), dtype=np.int16))
    return writer


def _pcm16(block: np.ndarray) -> np.ndarray:
    return np.clip(np.round(block * 32767.0), -32768, 32767).astype(np.int16)
