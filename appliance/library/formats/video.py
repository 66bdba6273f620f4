"""Karaoke videos (MP4, M4V, MKV, WebM, AVI, MPG, MOV) indexed in place: the lyrics are in the
picture, the sound is the file's audio track (decoded into the transcode cache like MP3+G).

``find`` claims every video file by name, except in an UltraStar folder (whose ``.txt`` names
its video as a background) and beside a ``.cdg`` or ``.lrc`` of the same name. ``read`` opens
the container with PyAV: it must hold a picture that decodes and a sound that decodes
(:func:`probe_audio`), else the scan reports why::

    >>> clean_name("SF123-04 - Queen - Bohemian Rhapsody (Karaoke Version) [HD]")
    SongName(title='Bohemian Rhapsody', artist='Queen', disc_id='SF123-04')
    >>> clean_name("Let It Be - The Beatles | Karaoke With Lyrics", ("{title} - {artist}",))
    SongName(title='Let It Be', artist='The Beatles', disc_id='')

Title and artist come from the container's tags when it has them, else from the file name;
both are stripped of the noise words vendors and video sites add ("Karaoke Version", "With
Lyrics", "Instrumental", "HD", "Official Video"...) so they read and search as the song.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

from appliance.core.errors import SongFormatError
from appliance.core.models import Song, SongId, SongKind, Stem, StemRole
from appliance.library.formats.audioprobe import PROBE_OPTIONS, VIDEO_EXTENSIONS, probe_audio
from appliance.library.formats.songnames import (
    DEFAULT_NAME_PATTERNS,
    SongName,
    parse_song_name,
    split_name,
)
from appliance.library.formats.songreader import FolderListing, SongCandidate, stat_signature
from appliance.library.songfolder.songids import derived_song_id

NOT_ULTRASTAR = frozenset({"readme", "read me", "license", "licence", "info", "lisezmoi"})
PROBE_PACKETS = 96  # packets read to find a first picture (a B-frame stream delays it)
_NOISE_WORDS = (
    r"karaoke(?:\s+(?:version|video|track|mix|edit))?|with\s+lyrics|lyrics?(?:\s+video)?|"
    r"instrumental(?:\s+version)?|no\s+vocals?|without\s+vocals?|backing\s+track|"
    r"official(?:\s+(?:music\s+)?video)?|music\s+video|video|hd|hq|4k|\d{3,4}p|sing\s*along|"
    r"in\s+the\s+style\s+of\s+[^()\[\]|]+|originally\s+performed\s+by\s+[^()\[\]|]+|"
    r"(?:karaoke\s+)?(?:version\s+)?(?:from|by)\s+[^()\[\]|]*karaoke|karafun|sing\s+king"
)
_NOISE = rf"(?:{_NOISE_WORDS})(?:\s*[&,/+-]?\s*\b(?:{_NOISE_WORDS}))*"
_BRACKETED = re.compile(r"[(\[{]\s*([^()\[\]{}]*)\s*[)\]}]")
_CODE = r"[A-Z]{1,6}[ _-]?\d{2,7}(?:[ _.-]\d{1,3})?"
_NOISE_ONLY = re.compile(rf"^\s*(?:{_NOISE}|{_CODE})?\s*$", re.I)
_NOISE_PART = re.compile(rf"^\s*(?:{_NOISE})\s*$", re.I)
_NOISE_TAIL = re.compile(rf"(?:\s*[-–:|]?\s*\b(?:{_NOISE}))+\s*$", re.I)
_LEADING_DISC = re.compile(r"^\s*([A-Za-z]{1,6}[_-]?\d{2,7}(?:[_.-]\d{1,3})?)\s+(?=\S)(?!-)")


def video_readers() -> tuple[VideoReader]:
    """The reader the registry adds after the foreign ones."""
    return (VideoReader(),)


class VideoReader:
    """Video files, one song each; read by opening the container (a few ms)."""

    name = "video"

    def find(self, listing: FolderListing) -> Iterator[SongCandidate]:
        exts = {os.path.splitext(name)[1].lower() for name in listing.files}
        if ".txt" in exts and any(_is_ultrastar_text(name) for name in listing.files):
            return
        for name in listing.files:
            stem, ext = os.path.splitext(name)
            if ext.lower() not in VIDEO_EXTENSIONS or _has_lyrics_beside(stem, listing.files):
                continue
            path = listing.file_path(name)
            yield SongCandidate(path, stat_signature([path]), self)

    def read(self, candidate: SongCandidate, library_root: str) -> Song:
        path = candidate.path
        facts = video_facts(path)
        probe_audio(path)
        stem = os.path.splitext(os.path.basename(path))[0]
        named = clean_name(stem)
        title = clean_text(facts.get("title", "")) or named.title
        artist = clean_text(facts.get("artist", "")) or named.artist
        return Song(
            song_id=SongId(derived_song_id(path, library_root)),
            title=title,
            artist=artist,
            duration_s=round(float(facts["duration_s"]), 3),
            path=path,
            kind=SongKind.VIDEO,
            tags=(f"disc:{named.disc_id}",) if named.disc_id else (),
            stems=(Stem("mix", StemRole.MIX, os.path.basename(path)),),
        )


def _is_ultrastar_text(name: str) -> bool:
    stem, ext = os.path.splitext(name)
    return ext.lower() == ".txt" and stem.casefold() not in NOT_ULTRASTAR


def _has_lyrics_beside(stem: str, files: tuple[str, ...]) -> bool:
    """A ``.cdg`` or ``.lrc`` of the same name: the video is another reader's song's media."""
    wanted = {f"{stem}.cdg".casefold(), f"{stem}.lrc".casefold()}
    return any(name.casefold() in wanted for name in files)


def video_facts(path: str) -> dict[str, Any]:
    """Tags (lower-case keys), ``duration_s`` and the picture's ``width``/``height``/``fps`` of
    a video file; SongFormatError with the reason when it has no picture that decodes."""
    import av

    try:
        with av.open(path, "r", options=PROBE_OPTIONS) as container:
            if not container.streams.video:
                raise SongFormatError(path, "no video stream (no picture in the file)")
            stream = container.streams.video[0]
            _first_picture(container, stream, path)
            tags = {str(key).lower(): str(value) for key, value in container.metadata.items()}
            duration = (container.duration or 0) / 1_000_000
            if duration <= 0 and stream.duration and stream.time_base:
                duration = float(stream.duration * stream.time_base)
            if duration <= 0:
                raise SongFormatError(path, "unreadable video: its length is unknown")
            fps = float(stream.average_rate or stream.guessed_rate or 0)
            width, height = stream.codec_context.width, stream.codec_context.height
            return tags | {"duration_s": duration, "width": width, "height": height, "fps": fps}
    except av.FFmpegError as error:
        reason = getattr(error, "strerror", None) or str(error)
        reason = f"unreadable video: damaged, truncated or not a video ({reason})"
        raise SongFormatError(path, reason) from None


def _first_picture(container: Any, stream: Any, path: str) -> None:
    import av

    try:
        for count, packet in enumerate(container.demux(stream)):
            if packet.decode():
                return
            if count >= PROBE_PACKETS:
                break
    except av.FFmpegError as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise SongFormatError(path, f"its picture cannot be decoded ({reason})") from None
    codec = getattr(stream.codec_context, "name", "") or "unknown codec"
    raise SongFormatError(path, f"no picture could be decoded from its first packets ({codec})")


def clean_text(text: str) -> str:
    """``text`` without bracketed noise ("(Karaoke Version)", "[HD]", "[SF123-04]"), noise at
    its end ("... Karaoke With Lyrics") and the ``|`` parts video sites add."""
    parts = [part for part in re.split(r"\s+\|\s+|\s*｜\s*", text) if not _NOISE_ONLY.match(part)]
    text = " - ".join(parts) if parts else text
    text = _BRACKETED.sub(lambda m: "" if _NOISE_ONLY.match(m.group(1)) else m.group(0), text)
    text = _NOISE_TAIL.sub("", text)
    return re.sub(r"\s+", " ", text).strip(" -–:|_")


def clean_name(stem: str, patterns: tuple[str, ...] = DEFAULT_NAME_PATTERNS) -> SongName:
    """Title, artist and disc id of a video's file name (without extension), noise removed."""
    text = stem.replace("_", " ")
    disc_id = ""
    leading = _LEADING_DISC.match(text)
    if leading and not re.match(r"\s+-", text[leading.end() - 1 :]):
        disc_id, text = leading.group(1), text[leading.end() :]
    parts = [part for part in split_name(clean_text(text)) if not _NOISE_PART.match(part)]
    named = parse_song_name(" - ".join(parts), patterns)
    return SongName(
        title=clean_text(named.title) or named.title,
        artist=clean_text(named.artist),
        disc_id=named.disc_id or disc_id,
    )
