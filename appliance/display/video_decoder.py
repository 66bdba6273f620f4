"""A video file's picture stream, frame by frame, for the decoder thread of :mod:`video_feed`.

    source = VideoSource(path)              # SongFormatError when there is no picture stream
    source.seek(42.0)                       # to the keyframe at or before 42 s
    frame = source.next_frame()             # an av.VideoFrame, None at the end
    source.start_s(frame)                   # when it starts, in song seconds
    image = source.surface(frame, (1408, 792), screen.get_masks())
    source.close()

The decoder: for H.264, the V4L2 mem2mem hardware decoder (``h264_v4l2m2m``: a Raspberry Pi 4's
VideoCore; HEVC on a Pi 5 is ``hevc_v4l2m2m``) when ffmpeg has it and the device opens, else
ffmpeg's software decoder with frame threads on every core. Frames are converted by ffmpeg's
scaler (bilinear) straight into the screen's 32-bit pixel layout at the picture's size (whose
width is a multiple of 16 and height of 8: the scaler's fast paths, 5-10x faster than odd
sizes), then copied once into a pygame surface; other screen layouts get RGB and a convert.
A damaged packet is skipped (the previous picture stays), never raised to the frame loop.
"""

from __future__ import annotations

import logging
from fractions import Fraction
from typing import Any

import pygame

from appliance.core.errors import SongFormatError

log = logging.getLogger(__name__)

HARDWARE_DECODERS = {"h264": "h264_v4l2m2m", "hevc": "hevc_v4l2m2m"}
PIXEL_FORMATS = {  # the screen's (R, G, B) masks -> ffmpeg's pixel format with that layout
    (0xFF0000, 0xFF00, 0xFF): "bgra",
    (0xFF, 0xFF00, 0xFF0000): "rgba",
}
MAX_BAD_PACKETS = 200  # damaged packets in a row before the picture is given up


class VideoSource:
    """An opened video file's first picture stream and its decoder."""

    def __init__(self, path: str) -> None:
        import av

        self.path = path
        try:
            self.container = av.open(path, "r")
        except (av.FFmpegError, OSError) as error:
            raise SongFormatError(path, f"the video cannot be opened ({error})") from None
        if not self.container.streams.video:
            self.container.close()
            raise SongFormatError(path, "no video stream (no picture in the file)")
        self.stream = self.container.streams.video[0]
        self.time_base: Fraction = self.stream.time_base or Fraction(1, 90_000)
        rate = self.stream.average_rate or self.stream.guessed_rate or 25
        self.fps = float(rate) if 1 <= float(rate) <= 240 else 25.0
        context = self.stream.codec_context
        ratio = context.sample_aspect_ratio or Fraction(1, 1)
        self.aspect = context.width * float(ratio) / max(1, context.height) or 16 / 9
        self.decoder, self.decoder_name = _open_decoder(self.stream)
        self._packets = self.container.demux(self.stream)
        self._pending: list[Any] = []
        self._drained = False  # the decoder was given the end of the stream

    def seek(self, t: float) -> None:
        """Go to the keyframe at or before song time ``t`` (frames before ``t`` follow)."""
        import av

        try:
            self.container.seek(int(t / self.time_base), stream=self.stream, backward=True)
        except av.FFmpegError as error:
            log.warning("cannot seek %s to %.1f s: %s", self.path, t, error)
        self.decoder.flush_buffers()
        self._packets = self.container.demux(self.stream)
        self._pending, self._drained = [], False

    def next_frame(self) -> Any | None:
        """The next decoded frame, or None at the end of the stream."""
        import av

        bad = 0
        while not self._pending:
            packet = next(self._packets, None)
            if packet is None and self._drained:
                return None
            try:
                self._drained = packet is None or packet.size == 0
                self._pending = list(self.decoder.decode(packet))
            except av.EOFError:
                return None
            except av.FFmpegError as error:
                bad += 1
                if bad >= MAX_BAD_PACKETS:
                    log.warning("the picture of %s cannot be decoded: %s", self.path, error)
                    return None
                continue
        return self._pending.pop(0)

    def start_s(self, frame: Any) -> float:
        """When ``frame`` starts, in seconds from the start of the file's timeline."""
        pts = frame.pts if frame.pts is not None else 0
        start = self.stream.start_time or 0
        return float((pts - start) * self.time_base)

    def surface(self, frame: Any, size: tuple[int, int], masks: tuple[int, ...]) -> pygame.Surface:
        """``frame`` scaled to ``size`` in the layout of ``masks``, as a pygame surface."""
        pixel_format = PIXEL_FORMATS.get((masks[0], masks[1], masks[2]))
        converted = frame.reformat(
            width=size[0],
            height=size[1],
            format=pixel_format or "rgb24",
            interpolation="BILINEAR",
        )
        plane = converted.planes[0]
        if pixel_format is None:
            rows = bytes(plane) if plane.line_size == size[0] * 3 else _rows(plane, size, 3)
            return pygame.image.frombuffer(rows, size, "RGB").copy()
        image = pygame.Surface(size, 0, 32, masks)
        if plane.line_size == image.get_pitch():
            image.get_buffer().write(plane)
        else:
            image.get_buffer().write(_rows(plane, size, 4, image.get_pitch()))
        return image

    def close(self) -> None:
        """Close the file."""
        self.container.close()


def _rows(plane: Any, size: tuple[int, int], depth: int, pitch: int = 0) -> bytes:
    """A plane's pixel rows without ffmpeg's line padding (padded to ``pitch`` if given)."""
    data, width = bytes(plane), size[0] * depth
    pad = b"\0" * max(0, pitch - width)
    return b"".join(
        data[row * plane.line_size : row * plane.line_size + width] + pad for row in range(size[1])
    )


def _open_decoder(stream: Any) -> tuple[Any, str]:
    """(codec context, its name): the hardware decoder when it opens, else the software one."""
    import av

    name = stream.codec_context.name
    hardware = HARDWARE_DECODERS.get(name)
    if hardware and hardware in av.codecs_available:
        try:
            context: Any = av.CodecContext.create(hardware, "r")
            context.extradata = stream.codec_context.extradata
            context.width, context.height = stream.codec_context.width, stream.codec_context.height
            context.open()
            log.info("video: %s decodes %s", hardware, name)
            return context, hardware
        except (av.FFmpegError, ValueError, OSError) as error:
            log.info("video: no %s here (%s); software decoding", hardware, error)
    stream.thread_type = "AUTO"  # frame and slice threads on every core
    return stream.codec_context, name
