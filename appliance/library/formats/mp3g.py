"""MP3+G songs: an audio file paired with a ``.cdg`` graphics file, loose or inside a zip.

Pairs match by base name, case-insensitively (``Song.MP3`` + ``song.cdg``); audio may be
.mp3/.ogg/.wav/.flac/.m4a/.aac/.opus/.wma (``audioprobe.AUDIO_EXTENSIONS``). Zips (``.zip``,
``.kfz``) may nest folders, carry ``__MACOSX/`` litter, CP437 names (UTF-8 only when the
zip's flag says so) and Deflate64 members. Title and artist come from the file name (patterns
in :mod:`appliance.library.formats.songnames`), else from the audio's tags. Duration comes from
the audio headers (mutagen), never by decoding (the scanner's reader then probes the audio:
:mod:`appliance.library.formats.audioprobe`)::

    song = read_mp3g_zip("/media/usb/SC8125-05 - Beatles, The - Let It Be.zip", "/media/usb")
    song.stems[0].file     # 'zip-member:SC8125-05 - Beatles, The - Let It Be.mp3'
    song.lyrics_file       # 'zip-member:SC8125-05 - Beatles, The - Let It Be.cdg'
    cdg = read_song_file(song.path, song.lyrics_file)

File references: for a loose pair, ``Song.path`` is the audio file and the stem and
``lyrics_file`` are names in its folder; for a zip, ``Song.path`` is the zip and both are
``zip-member:`` plus the member's name inside it.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

import zipfile_deflate64  # noqa: F401  (teaches zipfile to read Deflate64 members)

from appliance.core.errors import SongFormatError
from appliance.core.models import Song, SongId, SongKind, Stem, StemRole
from appliance.library.formats.audioprobe import AUDIO_EXTENSIONS
from appliance.library.formats.songnames import DEFAULT_NAME_PATTERNS, parse_song_name
from appliance.library.formats.taginfo import AudioInfo, audio_info_from_file, audio_info_from_zip
from appliance.library.songfolder.songids import derived_song_id

ZIP_EXTENSIONS = (".zip", ".kfz")
CDG_EXTENSION = ".cdg"
MEMBER_SCHEME = "zip-member:"
MAX_MEMBER_BYTES = 256 * 1024 * 1024
CDG_PACKETS_PER_SECOND_BYTES = 24 * 300
_MULTIPLEX = re.compile(r"\b(multiplex|mpx)\b", re.IGNORECASE)
# zipfile raises all of these on damaged archives
_ZIP_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
    IndexError, NotImplementedError, OverflowError, struct.error,
)  # fmt: skip
_MEMBER_ERRORS: tuple[type[Exception], ...] = (*_ZIP_ERRORS, KeyError)


@dataclass(frozen=True)
class Mp3gOptions:
    """How to read MP3+G songs: file-name patterns, tag fallback, a folder-wide multiplex flag.

    A multiplex song (instrumental left, guide vocal right) gets the tag ``multiplex`` so the
    player can offer left / right / both; names containing "multiplex" or "MPX" get it too.
    """

    name_patterns: tuple[str, ...] = DEFAULT_NAME_PATTERNS
    use_tags: bool = True
    multiplex: bool = False


def pair_files(names: list[str] | tuple[str, ...]) -> tuple[list[tuple[str, str]], list[str]]:
    """``(audio, cdg)`` pairs matched by base name (any case), and the lonely ``.cdg`` names.

    >>> pair_files(["a/Song.MP3", "a/song.cdg", "b.cdg", "c.ogg", "c.mp3", "C.cdg"])
    ([('c.mp3', 'C.cdg'), ('a/Song.MP3', 'a/song.cdg')], ['b.cdg'])
    """
    audio: dict[str, str] = {}
    for name in sorted(names, key=_audio_rank):
        stem, ext = _split(name)
        if ext in AUDIO_EXTENSIONS:
            audio.setdefault(stem, name)
    pairs, lonely = [], []
    for name in sorted(names):
        stem, ext = _split(name)
        if ext == CDG_EXTENSION:
            if stem in audio:
                pairs.append((audio[stem], name))
            else:
                lonely.append(name)
    return pairs, lonely


def read_mp3g_pair(
    audio_path: str, cdg_path: str, library_root: str, options: Mp3gOptions = Mp3gOptions()
) -> Song:
    """The song of a loose pair of files."""
    if not os.path.isfile(audio_path):
        raise SongFormatError(cdg_path, "no audio file with the same name for this .cdg")
    try:
        cdg_size = os.path.getsize(cdg_path)
    except OSError as error:
        raise SongFormatError(cdg_path, f"cannot read: {error.strerror or error}") from error
    info = audio_info_from_file(audio_path) if options.use_tags else AudioInfo()
    if not info.duration_s:
        info = AudioInfo(info.title, info.artist, cdg_size / CDG_PACKETS_PER_SECOND_BYTES)
    stem_name = os.path.splitext(os.path.basename(audio_path))[0]
    return _song(
        audio_path, library_root, [stem_name], info, options,
        audio_ref=os.path.basename(audio_path), cdg_ref=os.path.basename(cdg_path),
    )  # fmt: skip


def read_mp3g_zip(zip_path: str, library_root: str, options: Mp3gOptions = Mp3gOptions()) -> Song:
    """The song of a zip holding one pair (the first pair in name order when it holds more)."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            members = song_members(archive)
            pairs, lonely = pair_files(list(members))
            if not pairs:
                reason = "has a .cdg but no audio with its name" if lonely else "holds no .cdg"
                raise SongFormatError(zip_path, f"zip {reason}")
            audio_name, cdg_name = pairs[0]
            cdg_size = members[cdg_name].file_size
            if options.use_tags:
                info = audio_info_from_zip(zip_path, archive, members[audio_name])
            else:
                info = AudioInfo()
    except _ZIP_ERRORS as error:
        raise SongFormatError(zip_path, f"unreadable zip: {error}") from None
    if not info.duration_s:
        info = AudioInfo(info.title, info.artist, cdg_size / CDG_PACKETS_PER_SECOND_BYTES)
    zip_stem = os.path.splitext(os.path.basename(zip_path))[0]
    names = [os.path.splitext(os.path.basename(audio_name))[0], zip_stem]
    return _song(
        zip_path, library_root, names, info, options,
        audio_ref=MEMBER_SCHEME + audio_name, cdg_ref=MEMBER_SCHEME + cdg_name,
    )  # fmt: skip


def song_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The zip's files that may be songs: no folders, no ``__MACOSX/`` or ``._`` litter."""
    members = {}
    for info in archive.infolist():
        name = info.filename
        base = name.rsplit("/", 1)[-1]
        if not name or name.endswith("/") or name.startswith("__MACOSX/") or "/__MACOSX/" in name:
            continue
        if base.startswith("._") or not base:
            continue
        members[name] = info
    return members


def read_song_file(song_path: str, ref: str) -> bytes:
    """The bytes of a file a song names: ``zip-member:NAME`` inside the zip, else beside it."""
    if ref.startswith(MEMBER_SCHEME):
        member = ref[len(MEMBER_SCHEME) :]
        try:
            with zipfile.ZipFile(song_path) as archive:
                info = archive.getinfo(member)
                if info.file_size > MAX_MEMBER_BYTES:
                    raise SongFormatError(song_path, f"{member} is too large", ref)
                return archive.read(info)
        except _MEMBER_ERRORS as error:
            raise SongFormatError(song_path, f"cannot read {member}: {error}", ref) from None
    folder = song_path if os.path.isdir(song_path) else os.path.dirname(song_path)
    try:
        with open(os.path.join(folder, ref), "rb") as handle:
            return handle.read()
    except OSError as error:
        raise SongFormatError(song_path, f"cannot read {ref}: {error.strerror}", ref) from None


def _song(
    path: str,
    library_root: str,
    names: list[str],
    info: AudioInfo,
    options: Mp3gOptions,
    *,
    audio_ref: str,
    cdg_ref: str,
) -> Song:
    parsed = [parse_song_name(name, options.name_patterns) for name in names]
    best = next((name for name in parsed if name.artist), parsed[0])
    title, artist = best.title, best.artist
    if not artist and info.artist:
        title, artist = info.title or title, info.artist
    tags = []
    if options.multiplex or any(_MULTIPLEX.search(name) for name in names):
        tags.append("multiplex")
    disc_id = next((name.disc_id for name in parsed if name.disc_id), "")
    if disc_id:
        tags.append(f"disc:{disc_id}")
    return Song(
        song_id=SongId(derived_song_id(path, library_root)),
        title=title or names[0],
        artist=artist,
        duration_s=round(info.duration_s, 3),
        path=path,
        kind=SongKind.MP3G,
        tags=tuple(tags),
        stems=(Stem(name="mix", role=StemRole.MIX, file=audio_ref),),
        lyrics_file=cdg_ref,
    )


def _split(name: str) -> tuple[str, str]:
    """(base name without extension, case-folded; extension, lower-case)."""
    stem, ext = os.path.splitext(name.rsplit("/", 1)[-1])
    return stem.casefold(), ext.lower()


def _audio_rank(name: str) -> tuple[int, str]:
    ext = _split(name)[1]
    rank = AUDIO_EXTENSIONS.index(ext) if ext in AUDIO_EXTENSIONS else len(AUDIO_EXTENSIONS)
    return rank, name
