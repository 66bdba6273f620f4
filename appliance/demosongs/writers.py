"""The files of a native song folder: stems (FLAC), ``lyrics.lrc``, ``notes.txt`` and
``song.toml``. Text files come from the same note data the guide vocal is sung from::

    >>> lrc_time(83.456)
    '01:23.46'
    >>> from appliance.demosongs.songs import SONGS
    >>> print(lrc_text(SONGS["demo-twinkle-twinkle"]).splitlines()[2][:63])
    [00:12.00]<00:12.00>Twin<00:12.60>kle, <00:13.20>twin<00:13.80>
    >>> print(notes_text(SONGS["demo-twinkle-twinkle"]).splitlines()[6])
    : 0 4 0 Twin
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import soundfile

from appliance.demosongs.render import SR, STEMS
from appliance.demosongs.score import DemoSong
from appliance.library.songfolder.manifest import write_manifest

CHUNK_FRAMES = 1 << 16
STEM_ROLES = {name: name for name in STEMS}
LYRICS_FILE, NOTES_FILE = "lyrics.lrc", "notes.txt"


def write_flac(path: Path, audio: np.ndarray) -> None:
    """Write float audio in [-1, 1) as 16-bit stereo FLAC, in chunks (rounded, no dither)."""
    pcm = np.clip(np.round(audio * 32767.0), -32768, 32767).astype(np.int16)
    with soundfile.SoundFile(
        path, "w", samplerate=SR, channels=pcm.shape[1], subtype="PCM_16", format="FLAC"
    ) as stream:
        for start in range(0, len(pcm), CHUNK_FRAMES):
            stream.write(pcm[start : start + CHUNK_FRAMES])


def lrc_time(seconds: float) -> str:
    """``mm:ss.xx`` of a time (rounded to the centisecond)."""
    centis = round(seconds * 100)
    return f"{centis // 6000:02d}:{centis % 6000 // 100:02d}.{centis % 100:02d}"


def lrc_text(song: DemoSong) -> str:
    """Enhanced LRC: a word tag at each note's onset, a last tag where the phrase's last note
    ends; syllables of one word join, a word's last syllable keeps its trailing space."""
    lines = [f"[ti:{song.spec.title}]", f"[ar:{song.spec.artist}]"]
    for phrase in song.phrases:
        words = "".join(f"<{lrc_time(note.start_s)}>{note.text}" for note in phrase)
        lines.append(f"[{lrc_time(phrase[0].start_s)}]{words}<{lrc_time(phrase[-1].end_s)}>")
    return "\n".join(lines) + "\n"


def notes_text(song: DemoSong) -> str:
    """UltraStar v1 notes: #BPM is the song's bpm, so one UltraStar beat is a sixteenth note
    and ``GAP + beat * 60000 / (BPM * 4)`` gives every note time exactly (in whole ms)."""
    spec = song.spec
    gap = Fraction(round(song.phrases[0][0].start_s * 1000))
    per_beat = Fraction(60000, spec.bpm * 4)  # ms per UltraStar beat (a sixteenth)
    lines = [
        "#VERSION:1.0.0", f"#TITLE:{spec.title}", f"#ARTIST:{spec.artist}",
        f"#LANGUAGE:{_language_name(spec.language)}",
        f"#BPM:{spec.bpm}", f"#GAP:{gap}",
    ]  # fmt: skip

    def beats(seconds: float) -> int:
        exact = (Fraction(round(seconds * 1000)) - gap) / per_beat
        if exact.denominator != 1:
            raise ValueError(f"{spec.song_id}: {seconds} s is not on the note grid")
        return int(exact)

    for index, phrase in enumerate(song.phrases):
        if index:
            lines.append(f"- {beats(song.phrases[index - 1][-1].end_s)}")
        for note in phrase:
            length = beats(note.end_s) - beats(note.start_s)
            lines.append(f": {beats(note.start_s)} {length} {note.pitch_midi - 60} {note.text}")
    lines.append("E")
    return "\n".join(lines) + "\n"


def _language_name(code: str) -> str:
    return {"en": "English"}.get(code, code)


def manifest_fields(song: DemoSong) -> dict[str, object]:
    """The ``song.toml`` fields of a demo song (stems in the order of :data:`STEMS`)."""
    spec = song.spec
    return {
        "format": 1,
        "title": spec.title,
        "artist": spec.artist,
        "language": spec.language,
        "tags": list(spec.tags),
        "key": spec.key,
        "bpm": float(spec.bpm),
        "duration_s": song.duration_s,
        "lyrics": LYRICS_FILE,
        "notes": NOTES_FILE,
        "sample_rate": SR,
        "id": spec.song_id,
        "stems": [
            {"name": name, "file": f"{name}.flac", "role": STEM_ROLES[name], "gain_db": 0.0,
             "pan": 0.0}
            for name in STEMS
        ],
    }  # fmt: skip


def write_song_files(folder: Path, song: DemoSong, stems: dict[str, np.ndarray]) -> None:
    """Write every file of one song folder (the folder must exist)."""
    for name in STEMS:
        write_flac(folder / f"{name}.flac", stems[name])
    (folder / LYRICS_FILE).write_text(lrc_text(song), encoding="utf-8")
    (folder / NOTES_FILE).write_text(notes_text(song), encoding="utf-8")
    write_manifest(folder, manifest_fields(song))
