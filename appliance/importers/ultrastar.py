"""UltraStar -> native: the audio as stems (48 kHz FLAC) and the notes as ``notes.txt``.

``#VOCALS`` + ``#INSTRUMENTAL`` become the stems ``instrumental`` (role other) and ``vocals``
(role lead_vocal, the guide); otherwise ``#AUDIO`` (or ``#MP3``) becomes one ``mix`` stem. The
notes are copied as UTF-8 without the media headers (the stems are the audio now); the box makes
the lyrics from them. The song's background (``#VIDEO`` with ``#VIDEOGAP``, or a video that was
its audio, else ``#BACKGROUND``) is copied as ``background.<ext>`` and named again in the notes,
so the TV shows it as it did before the import::

    plan = plan_ultrastar(Path("Song/Song.txt"))
    fields = plan.build(work_folder)   # mix.flac, notes.txt
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from appliance.core.errors import SongFormatError
from appliance.core.models import StemRole
from appliance.importers.audiofiles import decode_problem, write_aligned_stems
from appliance.importers.errors import ConversionFailed
from appliance.importers.plan import (
    NOTES_FILE,
    ImportPlan,
    base_fields,
    language_code,
    stem_entry,
)
from appliance.library.formats.foreign import read_ultrastar_song
from appliance.library.formats.songfiles import SongBackdrop, notes_backdrop
from appliance.library.formats.textcodec import decode_text
from appliance.library.formats.ultrastar import MAX_FILE_BYTES, UltraStarSong, parse_ultrastar
from appliance.library.songfolder.bounded import read_bounded

MEDIA_HEADERS = frozenset(
    {"MP3", "AUDIO", "VOCALS", "INSTRUMENTAL", "VIDEO", "VIDEOGAP", "COVER", "BACKGROUND"}
)
_DECLARED = re.compile(rb"^[ \t]*#ENCODING[ \t]*:[ \t]*([A-Za-z0-9_\-]+)", re.IGNORECASE | re.M)
_HEADER_KEY = re.compile(r"\s*#\s*([^:]*):")


def plan_ultrastar(path: Path, library_root: str = "") -> ImportPlan:
    """Read the ``.txt`` (SongFormatError when malformed or its audio is missing) and check its
    audio can be decoded (ConversionFailed naming the reason, e.g. MP3 without libsndfile >=
    1.1). Audio names are matched as the scanner matches them, relative paths allowed inside
    ``library_root`` (default: the song's folder)."""
    data = read_bounded(path, MAX_FILE_BYTES, "an UltraStar file")
    parse_ultrastar(data, str(path))  # the text's own errors first
    song = read_ultrastar_song(str(path), library_root or str(path.parent))
    stems = _stem_sources(song, path.parent)
    for source, _ in stems.values():
        problem = decode_problem(source)
        if problem:
            raise ConversionFailed(f"{path}: {problem}")
    notes = native_notes_text(data, str(path))
    backdrop = notes_backdrop(str(path), song, song.audio)

    def build(work: Path) -> dict[str, object]:
        targets = {work / f"{name}.flac": source for name, (source, _) in stems.items()}
        frames = write_aligned_stems(targets)
        headers = copy_backdrop(backdrop, work) if backdrop else ""
        (work / NOTES_FILE).write_text(headers + notes, encoding="utf-8")
        fields = base_fields(song.title, song.artist, frames, path)
        fields.update(bpm=song.bpm, notes=NOTES_FILE)
        language = language_code(song.language)
        if language:
            fields["language"] = language
        tags = [tag for tag in (song.genre, song.year, "duet" if song.is_duet else "") if tag]
        fields["tags"] = ["ultrastar", *tags]
        fields["stems"] = [stem_entry(name, role) for name, (_, role) in stems.items()]
        return fields

    return ImportPlan(path, song.title, song.artist, build, kind="ultrastar")


def copy_backdrop(backdrop: SongBackdrop, work: Path) -> str:
    """Copy the background into the new folder (a hard link when on the same disk); the
    headers that name it in the native notes."""
    name = "background" + Path(backdrop.path).suffix.lower()
    try:
        os.link(backdrop.path, work / name)
    except OSError:
        shutil.copyfile(backdrop.path, work / name)
    if not backdrop.is_video:
        return f"#BACKGROUND:{name}\n"
    return f"#VIDEO:{name}\n#VIDEOGAP:{backdrop.gap_s:g}\n"


def _stem_sources(song: UltraStarSong, folder: Path) -> dict[str, tuple[Path, StemRole]]:
    """Stem name -> (audio file, role)."""
    if song.vocals and song.instrumental:
        return {
            "instrumental": (folder / song.instrumental, StemRole.OTHER),
            "vocals": (folder / song.vocals, StemRole.LEAD_VOCAL),
        }
    return {"mix": (folder / song.audio, StemRole.MIX)}


def native_notes_text(data: bytes, path: str) -> str:
    """The notes file as UTF-8 text without ``#ENCODING`` and media headers; it must parse to
    the same notes as the original (SongFormatError otherwise).

    >>> raw = b"#TITLE:Hi\\n#ARTIST:Me\\n#MP3:a.mp3\\n#BPM:100\\n: 0 2 0 Hi\\nE\\n"
    >>> print(native_notes_text(raw, "hi.txt"), end="")
    #TITLE:Hi
    #ARTIST:Me
    #BPM:100
    : 0 2 0 Hi
    E
    """
    declared = _DECLARED.search(data[:8192])
    text, _ = decode_text(data, declared.group(1).decode() if declared else None)
    kept = []
    in_header = True
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if in_header and stripped and not stripped.startswith("#"):
            in_header = False
        key = _HEADER_KEY.match(line) if in_header else None
        if key and key.group(1).strip().upper() in MEDIA_HEADERS | {"ENCODING"}:
            continue
        kept.append(line)
    result = "\n".join(kept).rstrip("\n") + "\n"
    original = parse_ultrastar(data, path, require_audio=False).track.notes
    if parse_ultrastar(result.encode("utf-8"), path, require_audio=False).track.notes != original:
        raise SongFormatError(path, "the notes change when written as UTF-8")
    return result
