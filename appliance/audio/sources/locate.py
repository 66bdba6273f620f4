"""Where a song's audio comes from: a stem file in its folder, a file beside an indexed song,
or a member of an MP3+G zip; and whether the engine can play it as it is.

    >>> from appliance.core.models import Song, SongId, SongKind, Stem, StemRole
    >>> stem = Stem("mix", StemRole.MIX, "zip-member:Artist - Title.mp3")
    >>> song = Song(SongId("s"), "T", "A", 60.0, "/usb/a.zip", SongKind.MP3G, stems=(stem,))
    >>> stem_source(song, stem)
    SourceRef(path='/usb/a.zip', member='Artist - Title.mp3')

Native stems are 48 kHz FLAC/WAV files the engine reads directly. Songs indexed in place
(MP3+G, audio + LRC, UltraStar) name an audio file (MP3, OGG, FLAC, WAV, M4A/AAC, Opus, WMA, or
a video's sound track), or a zip member: those that are not already 48 kHz WAV/FLAC files go
through the transcode cache (:mod:`transcode_cache`, :mod:`decode`) first.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import soundfile as sf

from appliance.core.errors import SongLoadError
from appliance.core.models import Song, SongKind, Stem
from appliance.library.formats.audioprobe import MIDI_EXTENSIONS, midi_reason
from appliance.library.formats.mp3g import MEMBER_SCHEME
from appliance.library.formats.songfiles import song_file_path

SAMPLE_RATE = 48_000  # the engine's rate: every stem it reads, every frame it plays
PLAYABLE_FORMATS = ("WAV", "WAVEX", "FLAC")
# zipfile (and zipfile_deflate64) raise all of these on damaged archives
ZIP_ERRORS: tuple[type[Exception], ...] = (zipfile.BadZipFile, OSError, EOFError, ValueError)
ZIP_ERRORS += (RuntimeError, KeyError)
ZIP_ERRORS += (NotImplementedError, IndexError, OverflowError)


@dataclass(frozen=True)
class SourceRef:
    """A file on disk, or ``member`` of the zip at ``path``."""

    path: str
    member: str = ""

    @property
    def name(self) -> str:
        """For messages: the member's name, else the file's."""
        return self.member or os.path.basename(self.path)


def stem_source(song: Song, stem: Stem) -> SourceRef:
    """Where ``stem``'s audio is (absolute path; zip members by name)."""
    if stem.file.startswith(MEMBER_SCHEME):
        return SourceRef(song.path, stem.file[len(MEMBER_SCHEME) :])
    if os.path.isabs(stem.file):
        return SourceRef(stem.file)
    return SourceRef(song_file_path(song, stem.file))


def source_signature(ref: SourceRef, song_id: str) -> str:
    """Path, member, size and mtime: changes when the file is replaced (SongLoadError if gone)."""
    try:
        info = os.stat(ref.path)
    except OSError as error:
        raise SongLoadError(song_id, f"audio file missing: {ref.path} ({error.strerror})") from None
    return f"{os.path.realpath(ref.path)}\0{ref.member}\0{info.st_size}\0{info.st_mtime_ns}"


def playable_in_place(ref: SourceRef) -> bool:
    """True when the engine can read the file as it is (48 kHz WAV/FLAC, 1-2 channels)."""
    if ref.member or not ref.path.lower().endswith((".wav", ".flac")):
        return False
    try:
        info = sf.info(ref.path)
    except (sf.LibsndfileError, RuntimeError, OSError):
        return False
    return info.samplerate == SAMPLE_RATE and info.channels in (1, 2)


def needs_transcode(song: Song) -> bool:
    """True for a song indexed in place whose audio is not already 48 kHz WAV/FLAC."""
    if song.kind is SongKind.NATIVE:
        return False
    return any(not playable_in_place(stem_source(song, stem)) for stem in song.stems)


def check_decodable(ref: SourceRef, song_id: str) -> None:
    """SongLoadError, by the name alone, for sources no decoder turns into audio (MIDI inside a
    zip; a MIDI file on disk, a KAR, is rendered by FluidSynth: :mod:`midi_render`); the rest
    is found out by decoding (and by the library's probe when the song was indexed)."""
    if ref.member and os.path.splitext(ref.name)[1].lower() in MIDI_EXTENSIONS:
        raise SongLoadError(song_id, f"{ref.name}: {midi_reason(ref.name, b'')}")


@contextlib.contextmanager
def open_source(ref: SourceRef, song_id: str) -> Iterator[sf.SoundFile]:
    """The source opened by libsndfile; a zip member is streamed from the zip, not extracted.

    Raises SongLoadError with the file's name and what is wrong, also for a zip member found
    damaged while it is read (bad CRC, broken compressed data)."""
    check_decodable(ref, song_id)
    guard: GuardedReader | None = None
    with contextlib.ExitStack() as stack:
        try:
            if ref.member:
                archive = stack.enter_context(zipfile.ZipFile(ref.path))
                guard = GuardedReader(stack.enter_context(archive.open(ref.member)))
                sound = stack.enter_context(sf.SoundFile(guard))
            else:
                sound = stack.enter_context(sf.SoundFile(ref.path))
        except (sf.LibsndfileError, *ZIP_ERRORS) as error:
            reason = f"{ref.name} cannot be read: {error_text(error)}"
            if guard is not None and guard.error is not None:
                reason = _damaged(ref, guard.error)
            raise SongLoadError(song_id, reason) from None
        if sound.channels < 1 or sound.samplerate < 1000:
            raise SongLoadError(song_id, f"{ref.name}: no audio in the file")
        try:
            yield sound
        except SongLoadError:
            if guard is None or guard.error is None:
                raise
        if guard is not None and guard.error is not None:
            raise SongLoadError(song_id, _damaged(ref, guard.error)) from None


class GuardedReader:
    """A zip member for libsndfile: an error while reading it (bad CRC, broken deflate data)
    is kept to be reported, instead of looking like the end of the file."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        """Bytes, or b'' after an error (kept in ``error``)."""
        try:
            return self._handle.read(size)
        except Exception as error:
            self.error = self.error or error
            return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        """Seek; an error is kept and the position stays."""
        try:
            return self._handle.seek(offset, whence)
        except Exception as error:
            self.error = self.error or error
            return self._handle.tell()

    def tell(self) -> int:
        """The position in the member."""
        return self._handle.tell()


def _damaged(ref: SourceRef, error: BaseException) -> str:
    return f"{ref.name}: the zip member is damaged ({error_text(error)})"


def error_text(error: BaseException) -> str:
    """An exception's message, or its type when it has none."""
    return str(error) or type(error).__name__
