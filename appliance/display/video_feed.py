"""The picture of a karaoke video: decoded on a thread of its own, handed to the frame loop as
surfaces ready to blit, following the song time the loop asks for.

    feed = VideoFeed("/usb/Artist - Song.mp4", on_lagging=warn)   # opens the file (a few ms)
    image = feed.picture_at(t, (1408, 792), screen.get_masks())   # per frame; None until ready
    feed.close()
    VideoFeed(path, finish=dim)   # ``dim(surface)`` runs on each frame on the decoder thread

The decoder thread (one per song) decodes a few frames ahead of the last time asked, converts
each with ffmpeg's scaler straight into the screen's pixel format at the picture's size and
builds the pygame surface there, so the frame loop only picks a surface and blits it. The frame
shown at song time t is the last one starting at or before t + half a frame, i.e. frame
round(t x fps): frames are repeated when the song is slower than the video (tempo below 1, pause
holds one) and skipped when faster, so the picture never drifts from the sound. A time before
the frame shown, or more than ``JUMP_S`` past what is decoded, seeks (a seek or restart of the
song). When the decoder falls behind the song it drops frames without converting them, and
``on_lagging`` is called once. Decoding: H.264 through the V4L2 mem2mem hardware decoder
(``h264_v4l2m2m``, a Raspberry Pi 4) when it opens, else ffmpeg's software decoder with
threads (see :mod:`video_decoder`).
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import pygame

from appliance.display.video_decoder import VideoSource

log = logging.getLogger(__name__)

AHEAD_FRAMES = 5  # converted frames kept ready ahead of the one shown (200 ms at 25 fps)
JUMP_S = 1.0  # a song time this far past the decoded frames is a seek, not lateness
LAG_FRAMES = 12  # frames dropped for lateness before the host is told (once)
Masks = tuple[int, int, int, int]
DEFAULT_MASKS: Masks = (0xFF0000, 0xFF00, 0xFF, 0)  # XRGB8888, what KMS and X11 screens use


class VideoFeed:
    """One video's decoder thread and the frames it has ready; see the module doc."""

    def __init__(
        self,
        path: str,
        *,
        on_lagging: Callable[[], None] | None = None,
        finish: Callable[[pygame.Surface], None] | None = None,
    ) -> None:
        self.source = VideoSource(path)  # SongFormatError if it has no picture to decode
        self.frame_s = 1.0 / self.source.fps
        self.on_lagging = on_lagging
        self.finish = finish  # applied to each frame on the decoder thread (a backdrop's dim)
        self._cond = threading.Condition()
        self._ready: collections.deque[tuple[float, pygame.Surface]] = collections.deque()
        self._layout: tuple[tuple[int, int], Masks] | None = None
        self._want_s = 0.0
        self._seek_s: float | None = None
        self._decoded_s = -1.0  # start time of the newest frame decoded
        self._generation = 0
        self._closed = False
        self._shown: tuple[float, pygame.Surface] | None = None
        self._held: pygame.Surface | None = None  # shown while a seek finds its frame
        self._ended = False  # the decoder reached the end (since the last seek)
        self._settled = True  # the last seek has delivered a frame (or the end)
        self.dropped = 0  # frames dropped because the decoder was late
        self.decoded = 0
        self.opened_at = time.monotonic()
        self.first_picture_s: float | None = None  # from opening to the first picture shown
        self._thread = threading.Thread(target=self._run, name="video-decoder", daemon=True)
        self._thread.start()

    @property
    def has_picture(self) -> bool:
        """True once a frame has been handed out (the scene then shows the picture)."""
        return self._held is not None

    @property
    def aspect(self) -> float:
        """Width / height of the picture as it should look (sample aspect applied)."""
        return self.source.aspect

    def picture_at(
        self, t: float, size: tuple[int, int], masks: Masks = DEFAULT_MASKS
    ) -> pygame.Surface | None:
        """The frame to show at song time ``t``, ``size`` pixels in the pixel format of
        ``masks`` (the screen's); None before the first frame is ready."""
        with self._cond:
            if self._layout != (size, masks):
                self._layout = (size, masks)
                self._seek_locked(t)  # frames of the old size are of no use
            self._want_s = t
            shown_s = self._shown[0] if self._shown else None
            if shown_s is not None and t < shown_s - self.frame_s:
                self._seek_locked(t)  # the song went back
            elif self._is_jump(t, shown_s):
                self._seek_locked(t)  # the song jumped ahead
            while self._ready and self._ready[0][0] <= t + self.frame_s / 2:
                self._shown = self._ready.popleft()
                self._held = self._shown[1]
            self._cond.notify_all()
            image = self._held
        if image is not None and self.first_picture_s is None:
            self.first_picture_s = time.monotonic() - self.opened_at
        return image

    def picture_when_ready(
        self, t: float, size: tuple[int, int], masks: Masks = DEFAULT_MASKS, timeout_s: float = 10.0
    ) -> pygame.Surface | None:
        """:meth:`picture_at` once the frame for ``t`` is decoded (screenshots and tests wait;
        the frame loop never does); None if the video has no frame there."""
        deadline = time.monotonic() + timeout_s
        while True:
            self.picture_at(t, size, masks)
            with self._cond:
                settled = self._ended or (self._shown is not None and bool(self._ready))
            if settled or time.monotonic() > deadline:
                return self.picture_at(t, size, masks)
            time.sleep(0.002)

    def _is_jump(self, t: float, shown_s: float | None) -> bool:
        ahead = max(self._decoded_s, shown_s if shown_s is not None else 0.0)
        # while a seek decodes from its keyframe (slow on a loaded or small board: a long
        # group of pictures), the song moving on is no new jump: seeking again would restart
        # from the keyframe each time and never show a frame
        settled = self._settled and self._seek_s is None
        return t > ahead + JUMP_S and settled and not self._ended

    def close(self) -> None:
        """Stop the decoder thread and close the file."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout=2.0)

    def _seek_locked(self, t: float) -> None:
        self._seek_s = max(0.0, t)
        self._generation += 1
        self._ready.clear()
        self._shown = None
        self._decoded_s = t
        self._ended = False
        self._settled = False

    def _run(self) -> None:
        try:
            self._decode_loop()
        except Exception:
            log.exception("video decoder of %s stopped", self.source.path)
        finally:
            self.source.close()

    def _decode_loop(self) -> None:
        skip_before, stale_after = 0.0, float("inf")
        lag_told, late = False, 0
        while True:
            with self._cond:
                while not self._closed and self._waiting():
                    self._cond.wait(0.5)
                if self._closed:
                    return
                seek, self._seek_s = self._seek_s, None
                generation, layout = self._generation, self._layout
            if seek is not None:
                self.source.seek(seek)
                skip_before, late = seek - self.frame_s / 2, 0
                stale_after = seek + JUMP_S  # a frame past this, first after a seek, is old
            frame = self.source.next_frame()
            if frame is None:  # the end (or an unreadable rest): wait for a seek
                with self._cond:
                    if generation == self._generation:
                        self._ended = self._settled = True
                        self._cond.wait(0.5)
                continue
            start_s = self.source.start_s(frame)
            if start_s < skip_before or start_s > stale_after or layout is None:
                continue
            stale_after = float("inf")
            if start_s + 2 * self.frame_s < self._want_s:
                self.dropped += 1  # late: the song has passed this frame, skip converting it
                late += 1
                if late >= LAG_FRAMES and not lag_told and self.on_lagging:
                    lag_told = True
                    self.on_lagging()
                self._note_decoded(start_s, generation)
                continue
            image = self.source.surface(frame, *layout)
            if self.finish is not None:
                self.finish(image)
            self.decoded += 1
            with self._cond:
                if generation == self._generation:
                    self._ready.append((start_s, image))
                    self._decoded_s = start_s
                    self._settled = True

    def _waiting(self) -> bool:
        """True while there is nothing to do: no size yet, or enough frames ready, no seek."""
        if self._seek_s is not None:
            return False
        return self._layout is None or self._ended or len(self._ready) >= AHEAD_FRAMES

    def _note_decoded(self, start_s: float, generation: int) -> None:
        with self._cond:
            if generation == self._generation:
                self._decoded_s = start_s

    def stats(self) -> dict[str, Any]:
        """Counters for benchmarks and logs."""
        return {
            "decoded": self.decoded,
            "dropped": self.dropped,
            "first_picture_s": self.first_picture_s,
            "decoder": self.source.decoder_name,
        }
