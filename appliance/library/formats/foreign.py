"""Scanner readers for foreign songs indexed in place: UltraStar, MP3+G, KAR, audio + LRC.

Each finds its songs by file names only (see :mod:`appliance.library.formats.songreader`) and
parses them in ``read``; :func:`foreign_readers` is what the registry adds after the native
reader. The importer of each (or why it plays in place): ``appliance/importers/by_reader.py``::

    readers = (NativeFolderReader(), *foreign_readers(Mp3gOptions(multiplex=False)))

Song paths: an UltraStar song is its ``.txt`` file; an MP3+G pair, and an audio + LRC song,
their audio file; a zip, the zip; a KAR, the ``.kar`` file. Stem files and ``lyrics_file`` /
``notes_file`` name files in the same folder (or ``zip-member:`` names, see :mod:`mp3g`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace

from appliance.core.errors import SongFormatError
from appliance.core.models import Song, SongId, SongKind, Stem, StemRole
from appliance.library.formats.audioprobe import (
    AUDIO_EXTENSIONS,
    MIDI_EXTENSIONS,
    VIDEO_EXTENSIONS,
    audio_duration,
    probe_audio,
)
from appliance.library.formats.kar import read_kar
from appliance.library.formats.kar_text import title_and_artist
from appliance.library.formats.lrc import read_lrc
from appliance.library.formats.mp3g import (
    CDG_EXTENSION,
    MEMBER_SCHEME,
    ZIP_EXTENSIONS,
    Mp3gOptions,
    pair_files,
    read_mp3g_pair,
    read_mp3g_zip,
)
from appliance.library.formats.songfiles import song_file_path
from appliance.library.formats.songreader import FolderListing, SongCandidate, stat_signature
from appliance.library.formats.taginfo import audio_info_from_file
from appliance.library.formats.ultrastar import UltraStarSong, read_ultrastar
from appliance.library.songfolder.filematch import find_named_file, relative_name
from appliance.library.songfolder.songids import derived_song_id

_LABELS = {
    "audio": "audio file (#MP3/#AUDIO)",
    "video": "video file (#VIDEO)",
    "vocals": "vocals file (#VOCALS)",
    "instrumental": "instrumental file (#INSTRUMENTAL)",
}
NOT_ULTRASTAR = frozenset({"readme", "read me", "license", "licence", "info", "lisezmoi"})
# files an UltraStar .txt may name as its audio (a MIDI one is reported, not skipped in silence)
ULTRASTAR_MEDIA = AUDIO_EXTENSIONS + VIDEO_EXTENSIONS + MIDI_EXTENSIONS[:2]
PICTURE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp")
ULTRASTAR_FILES = frozenset(ULTRASTAR_MEDIA + PICTURE_EXTENSIONS)
"""Files beside an UltraStar ``.txt`` that belong to it (audio, video, cover, background)."""


def foreign_readers(options: Mp3gOptions | None = None) -> tuple:
    """The foreign-format readers, in the order the registry should try them."""
    return (UltraStarReader(), Mp3gReader(options or Mp3gOptions()), KarReader(), LrcAudioReader())


def _stem(name: str) -> str:
    return os.path.splitext(name)[0].casefold()


def _ext(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _audio_first(name: str) -> tuple[int, str]:
    """Sort key: audio by AUDIO_EXTENSIONS order (mp3 first), then everything else."""
    ext = _ext(name)
    rank = AUDIO_EXTENSIONS.index(ext) if ext in AUDIO_EXTENSIONS else len(AUDIO_EXTENSIONS)
    return rank, name


class UltraStarReader:
    """``.txt`` files (all but read-me's); read with :func:`read_ultrastar`. The audio may be
    beside it or anywhere in the library (``../sounds/x.mp3``), matched without case and
    Unicode form (``songfolder/filematch.py``); a text that is no UltraStar song is reported
    as such."""

    name = "ultrastar"

    def find(self, listing: FolderListing) -> Iterator[SongCandidate]:
        media = [listing.file_path(name) for name in listing.files if _ext(name) != ".txt"]
        own = tuple(listing.file_path(n) for n in listing.files if _ext(n) in ULTRASTAR_FILES)
        for name in listing.files:
            if _ext(name) == ".txt" and _stem(name) not in NOT_ULTRASTAR:
                path = listing.file_path(name)
                yield SongCandidate(
                    path,
                    stat_signature([path, *media]),
                    self,
                    files=(path, *own),
                    library_root=listing.library_root,
                )

    def read(self, candidate: SongCandidate, library_root: str) -> Song:
        song = read_ultrastar_song(candidate.path, candidate.library_root or library_root)
        folder = os.path.dirname(candidate.path)
        stems: tuple[Stem, ...]
        if song.vocals and song.instrumental:
            stems = (
                Stem("instrumental", StemRole.OTHER, song.instrumental),
                Stem("vocals", StemRole.LEAD_VOCAL, song.vocals),
            )
        else:
            stems = (Stem("mix", StemRole.MIX, song.audio),)
        notes = song.track.notes
        end_s = max(note.end_s for note in notes)
        audio_path = os.path.join(folder, stems[0].file)
        duration = audio_info_from_file(audio_path).duration_s or audio_duration(audio_path)
        return probed(
            Song(
                song_id=SongId(derived_song_id(candidate.path, library_root)),
                title=song.title,
                artist=song.artist,
                duration_s=round(duration or end_s, 3),
                path=candidate.path,
                kind=SongKind.ULTRASTAR,
                language=song.language,
                tags=tuple(
                    tag for tag in (song.genre, song.year, "duet" if song.is_duet else "") if tag
                ),
                bpm=song.bpm,
                stems=stems,
                notes_file=os.path.basename(candidate.path),
            )
        )


def read_ultrastar_song(path: str, library_root: str) -> UltraStarSong:
    """The UltraStar file with its audio names found on disk (relative to its folder); a text
    without UltraStar headers, or with its audio missing, raises SongFormatError saying so.
    When the audio it names is not there but its ``#VIDEO`` is, the video's sound is the audio
    (songs shared without their MP3: the video carries the same sound)."""
    try:
        song = read_ultrastar(path)
    except SongFormatError as error:
        if error.field in ("TITLE", "ARTIST") and not _has_headers(path):
            raise SongFormatError(
                path, "a text file that is not an UltraStar song (no #TITLE, #ARTIST, #BPM)"
            ) from None
        raise
    folder = os.path.dirname(path)

    def found(key: str) -> str:
        name = str(getattr(song, key))
        if not name:
            return ""
        where = find_named_file(folder, name, library_root, path, _LABELS[key])
        return relative_name(where, folder)

    try:
        audio = found("audio")
    except SongFormatError as missing:
        if not song.video or song.video == song.audio:
            raise
        try:
            audio = found("video")  # its sound is checked by the probe like any audio
        except SongFormatError:
            raise missing from None
    return replace(song, audio=audio, vocals=found("vocals"), instrumental=found("instrumental"))


def _has_headers(path: str) -> bool:
    with open(path, "rb") as stream:
        return stream.read(1) == b"#" or b"\n#" in stream.read(4096)


class Mp3gReader:
    """Loose ``.cdg`` + audio pairs and ``.zip`` / ``.kfz`` files; a lonely ``.cdg`` fails."""

    name = "mp3g"

    def __init__(self, options: Mp3gOptions) -> None:
        self.options = options

    def find(self, listing: FolderListing) -> Iterator[SongCandidate]:
        pairs, lonely = pair_files(listing.files)
        for audio, cdg in pairs:
            paths = (listing.file_path(audio), listing.file_path(cdg))
            yield SongCandidate(paths[0], stat_signature(paths), self, files=paths)
        for cdg in lonely:
            path = listing.file_path(cdg)
            yield SongCandidate(path, stat_signature([path]), self, files=(path,))
        for name in listing.files:
            if _ext(name) in ZIP_EXTENSIONS:
                path = listing.file_path(name)
                yield SongCandidate(path, stat_signature([path]), self, files=(path,))

    def read(self, candidate: SongCandidate, library_root: str) -> Song:
        if _ext(candidate.path) in ZIP_EXTENSIONS:
            return probed(read_mp3g_zip(candidate.path, library_root, self.options))
        if len(candidate.files) < 2:
            raise SongFormatError(candidate.path, "no audio file with the same name for this .cdg")
        pair = read_mp3g_pair(candidate.files[0], candidate.files[1], library_root, self.options)
        return probed(pair)


class KarReader:
    """``.kar`` files: one "mix" stem, the KAR itself, which the audio adapter renders with
    FluidSynth into its transcode cache when the song is first queued (an import renders real
    stems instead: ``karaoke import``)."""

    name = "kar"

    def find(self, listing: FolderListing) -> Iterator[SongCandidate]:
        for name in listing.files:
            if _ext(name) == ".kar":
                path = listing.file_path(name)
                yield SongCandidate(path, stat_signature([path]), self)

    def read(self, candidate: SongCandidate, library_root: str) -> Song:
        kar = read_kar(candidate.path)
        stem = os.path.splitext(os.path.basename(candidate.path))[0]
        title, artist = title_and_artist(kar.lyrics.title, kar.lyrics.artist, stem)
        return Song(
            song_id=SongId(derived_song_id(candidate.path, library_root)),
            title=title,
            artist=artist,
            duration_s=round(kar.duration_s, 3),
            path=candidate.path,
            kind=SongKind.KAR,
            stems=(Stem("mix", StemRole.MIX, os.path.basename(candidate.path)),),
            lyrics_file=os.path.basename(candidate.path),
        )


class LrcAudioReader:
    """An audio file with a ``.lrc`` of the same name (and no ``.cdg``): one "mix" stem."""

    name = "lrc_audio"

    def find(self, listing: FolderListing) -> Iterator[SongCandidate]:
        lrc = {_stem(name): name for name in listing.files if _ext(name) == ".lrc"}
        cdg_stems = {_stem(name) for name in listing.files if _ext(name) == CDG_EXTENSION}
        taken: set[str] = set()
        for name in sorted(listing.files, key=_audio_first):
            stem = _stem(name)
            if _ext(name) in AUDIO_EXTENSIONS and stem in lrc and stem not in cdg_stems | taken:
                taken.add(stem)
                paths = (listing.file_path(name), listing.file_path(lrc[stem]))
                yield SongCandidate(paths[0], stat_signature(paths), self, files=paths)

    def read(self, candidate: SongCandidate, library_root: str) -> Song:
        audio_path, lrc_path = candidate.files
        lyrics = read_lrc(lrc_path)
        info = audio_info_from_file(audio_path)
        if not info.duration_s:
            raise SongFormatError(audio_path, "unreadable audio (no duration in its headers)")
        stem_name = os.path.splitext(os.path.basename(audio_path))[0]
        return probed(
            Song(
                song_id=SongId(derived_song_id(audio_path, library_root)),
                title=lyrics.title or info.title or stem_name,
                artist=lyrics.artist or info.artist,
                duration_s=round(info.duration_s, 3),
                path=audio_path,
                kind=SongKind.LRC_AUDIO,
                stems=(Stem("mix", StemRole.MIX, os.path.basename(audio_path)),),
                lyrics_file=os.path.basename(lrc_path),
            )
        )


def probed(song: Song) -> Song:
    """``song`` once the audio of each stem has passed :func:`probe_audio` (its container
    opens, it has an audio stream, its first packets decode); SongFormatError naming the file
    and why otherwise, so the scan reports a song that could not play."""
    for stem in song.stems:
        if stem.file.startswith(MEMBER_SCHEME):
            probe_audio(song.path, stem.file[len(MEMBER_SCHEME) :])
        else:
            probe_audio(song_file_path(song, stem.file))
    return song
