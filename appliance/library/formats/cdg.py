"""CD+G graphics decoder (the "G" of MP3+G), pure Python, driven by the audio position.

A stream is 24-byte packets at 300 per second; only command 9 draws. The screen memory is
300x216 palette indices (16 colours out of 4096); the visible window is 288x192, shifted by the
scroll offsets. Use it from the display loop with the engine's *source* position::

    >>> decoder = CdgDecoder(bytes(24 * 300))        # one second of empty packets
    >>> frame = decoder.frame_at(0.5)
    >>> len(frame.pixels), len(frame.palette), frame.version
    (64800, 48, 0)

Seeking back re-parses from the start (a 4-minute stream decodes in well under a second), and
:meth:`CdgDecoder.last_change_s` tells when the graphics stop changing.
"""

from __future__ import annotations

import math

from appliance.library.formats.cdg_screen import (
    GRAPHICS_COMMAND,
    MASK_TABLE,
    PACKET_SIZE,
    PACKETS_PER_SECOND,
    CdgFrame,
    CdgScreen,
)

CHECKPOINT_EVERY = 2048  # graphics packets between saved states, so seeking back is cheap


class CdgDecoder:
    """Decodes a CD+G byte stream up to any position; cheap to call every display frame."""

    def __init__(self, data: bytes, keep_transparent: bool = False) -> None:
        whole = len(data) // PACKET_SIZE * PACKET_SIZE
        masked = data[:whole].translate(MASK_TABLE)
        commands = masked[0::PACKET_SIZE]
        self._packets = [
            (
                index,
                masked[index * PACKET_SIZE + 1],
                masked[index * PACKET_SIZE + 4 : index * PACKET_SIZE + 20],
            )
            for index, command in enumerate(commands)
            if command == GRAPHICS_COMMAND
        ]
        self.packet_count = len(commands)
        self.keep_transparent = keep_transparent
        self._frame: CdgFrame | None = None
        self._last_change: float | None = None
        self._checkpoints: dict[int, tuple] = {}
        self._reset()

    @property
    def duration_s(self) -> float:
        """Length of the stream in seconds."""
        return self.packet_count / PACKETS_PER_SECOND

    def frame_at(self, position_s: float) -> CdgFrame:
        """The screen once every packet up to ``floor(position_s * 300)`` has been applied."""
        target = -1
        if position_s >= 0:  # False for NaN
            target = math.floor(min(position_s, self.duration_s + 1.0) * PACKETS_PER_SECOND)
        if target < self._applied_through:
            self._reset()
        self._jump_to_checkpoint(target)
        self._advance(target)
        if self._frame is not None and self._frame.version == self._version:
            return self._frame
        screen = self._screen
        self._frame = CdgFrame(
            pixels=bytes(screen.pixels),
            palette=bytes(screen.palette),
            h_offset=screen.h_offset,
            v_offset=screen.v_offset,
            version=self._version,
            changed_s=self._changed_s,
            transparency=bytes(screen.transparency),
        )
        return self._frame

    def last_change_s(self) -> float:
        """When the last visible change of the whole stream happens (decodes it once, cached)."""
        if self._last_change is None:
            scratch = CdgDecoder.__new__(CdgDecoder)
            scratch.__dict__.update(self.__dict__)  # same packets and checkpoints, own screen
            scratch._reset()
            scratch._advance(self.packet_count)
            self._last_change = scratch._changed_s
        return self._last_change

    def _reset(self) -> None:
        self._screen = CdgScreen(self.keep_transparent)
        self._next = 0
        self._applied_through = -1
        self._version = 0
        self._changed_s = 0.0
        self._frame = None

    def _jump_to_checkpoint(self, target: int) -> None:
        """Skip ahead to the latest saved state at or before ``target``, if one is ahead of us."""
        ahead = [
            key
            for key, state in self._checkpoints.items()
            if key > self._next and state[0] <= target
        ]
        if not ahead:
            return
        position = max(ahead)
        index, pixels, palette, transparency, offsets, version, changed_s = self._checkpoints[
            position
        ]
        screen = self._screen
        screen.pixels[:], screen.palette[:], screen.transparency[:] = pixels, palette, transparency
        screen.h_offset, screen.v_offset = offsets
        self._next, self._applied_through = position, index
        self._version, self._changed_s = version, changed_s
        self._frame = None

    def _save(self, position: int) -> None:
        screen = self._screen
        self._checkpoints[position] = (
            self._packets[position - 1][0],
            bytes(screen.pixels),
            bytes(screen.palette),
            bytes(screen.transparency),
            (screen.h_offset, screen.v_offset),
            self._version,
            self._changed_s,
        )

    def _advance(self, target: int) -> None:
        packets, screen, position = self._packets, self._screen, self._next
        while position < len(packets) and packets[position][0] <= target:
            if position % CHECKPOINT_EVERY == 0 and position and position not in self._checkpoints:
                self._save(position)
            index, instruction, data = packets[position]
            if screen.apply(instruction, data):
                self._version += 1
                self._changed_s = index / PACKETS_PER_SECOND
            position += 1
        self._next = position
        self._applied_through = max(self._applied_through, target)
