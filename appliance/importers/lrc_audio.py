"""Audio + LRC -> native: one ``mix`` stem (48 kHz FLAC) and the lyrics as UTF-8 enhanced LRC.

The LRC is read with the library's reader (any encoding, offsets, repeated lines, duet marks)
and written back with every word timed, so the TV shows exactly what it showed before::

    plan = plan_lrc_audio(Path("Song.ogg"), Path("Song.lrc"))
    fields = plan.build(work_folder)   # mix.flac, lyrics.lrc
"""

from __future__ import annotations

from pathlib import Path

from appliance.core.models import StemRole
from appliance.importers.audiofiles import decode_problem, write_aligned_stems
from appliance.importers.errors import ConversionFailed
from appliance.importers.lrcwriter import lrc_text
from appliance.importers.plan import LYRICS_FILE, ImportPlan, base_fields, stem_entry
from appliance.library.formats.lrc import read_lrc
from appliance.library.formats.lyrics import Lyrics
from appliance.library.formats.songnames import parse_song_name
from appliance.library.formats.taginfo import audio_info_from_file


def plan_lrc_audio(audio: Path, lrc: Path) -> ImportPlan:
    """Read the LRC (SongFormatError when malformed) and check the audio can be decoded."""
    lyrics = read_lrc(lrc)
    problem = decode_problem(audio)
    if problem:
        raise ConversionFailed(f"{audio}: {problem}")
    info = audio_info_from_file(str(audio))
    named = parse_song_name(audio.stem)
    title = lyrics.title or info.title or named.title or audio.stem
    artist = lyrics.artist or info.artist or named.artist
    written = Lyrics(lines=lyrics.lines, title=title, artist=artist)

    def build(work: Path) -> dict[str, object]:
        frames = write_aligned_stems({work / "mix.flac": audio})
        (work / LYRICS_FILE).write_text(lrc_text(written), encoding="utf-8")
        fields = base_fields(title, artist, frames, audio)
        fields.update(lyrics=LYRICS_FILE, stems=[stem_entry("mix", StemRole.MIX)])
        return fields

    return ImportPlan(audio, title, artist, build, kind="lrc_audio")
