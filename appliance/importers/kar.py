"""KAR -> a multitrack native song: FluidSynth renders one stem per instrument group.

The melody channel (the one whose notes best match the lyric syllables) becomes the
``lead_vocal`` guide stem; drums (channel 10), bass, keys, guitar, strings, brass... get a stem
each (:mod:`appliance.importers.gm`). All stems share one gain (the sum peaks at -1 dBFS), are
48 kHz and equally long. The lyrics are written as enhanced LRC with the KAR's syllable times,
and the melody's pitches at the syllables as UltraStar notes (:mod:`.karnotes`), so the song
can be scored::

    plan = plan_kar(Path("song.kar"))
    fields = plan.build(work_folder)   # drums.flac, bass.flac, guide.flac, lyrics.lrc, notes.txt
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import mido

from appliance.importers.audiofiles import (
    SAMPLE_RATE,
    common_gain,
    loud_extent,
    write_aligned_stems,
)
from appliance.importers.errors import ConversionFailed
from appliance.importers.gm import STEM_ORDER, StemGroup
from appliance.importers.karnotes import ultrastar_text
from appliance.importers.lrcwriter import lrc_text
from appliance.importers.midisplit import find_melody_channel, note_onsets, split_by_group
from appliance.importers.plan import LYRICS_FILE, NOTES_FILE, ImportPlan, base_fields, stem_entry
from appliance.library.formats.fluidsynth import find_fluidsynth, find_soundfont, render_midi_files
from appliance.library.formats.kar import MAX_FILE_BYTES, KarFile, parse_kar
from appliance.library.formats.kar_melody import syllable_notes
from appliance.library.formats.kar_text import title_and_artist
from appliance.library.formats.midifile import load_midi
from appliance.library.songfolder.bounded import read_bounded

RENDER_FOLDER = ".render"
MAX_BPM = 1000.0
TAIL_S = 0.5  # kept after the last sound above -80 dBFS (FluidSynth renders ~2 s of silence)


def plan_kar(path: Path, soundfont: Path | None = None) -> ImportPlan:
    """Read a KAR (SongFormatError when it is corrupt or has no lyrics) and plan its render.

    FluidSynth and the SoundFont are looked up now, so a box without them skips KARs early.
    """
    data = read_bounded(path, MAX_FILE_BYTES, "a MIDI file")
    kar = parse_kar(data, str(path))
    midi = load_midi(data, str(path))
    find_fluidsynth()
    title, artist = title_and_artist(kar.lyrics.title, kar.lyrics.artist, path.stem)
    render = _KarRender(path, kar, midi, soundfont or find_soundfont())
    return ImportPlan(path, title, artist, lambda work: render.build(work, title, artist), "kar")


@dataclass(frozen=True)
class _KarRender:
    """The parsed KAR and the SoundFont; ``build`` writes the song into a work folder."""

    path: Path
    kar: KarFile
    midi: mido.MidiFile
    soundfont: Path

    def build(self, work: Path, title: str, artist: str) -> dict[str, object]:
        syllables = [word.start_s for line in self.kar.lyrics.lines for word in line.words]
        melody = find_melody_channel(note_onsets(self.midi), syllables)
        groups = split_by_group(self.midi, melody)
        if not groups:
            raise ConversionFailed(f"{self.path}: no notes to render")
        ordered = [group for group in STEM_ORDER if group in groups]
        frames = self._render_stems(work, {group: groups[group] for group in ordered})
        (work / LYRICS_FILE).write_text(lrc_text(self.kar.lyrics), encoding="utf-8")
        fields = base_fields(title, artist, frames, self.path)
        bpm = initial_bpm(self.midi)
        if bpm:
            fields["bpm"] = bpm
        fields.update(lyrics=LYRICS_FILE, tags=["kar"])
        if melody is not None:
            fields["x_melody_channel"] = melody + 1
            track = syllable_notes(self.midi, melody, self.kar.lyrics)
            if track is not None:
                notes = ultrastar_text(track, title, artist)
                (work / NOTES_FILE).write_text(notes, encoding="utf-8")
                fields["notes"] = NOTES_FILE
        fields["stems"] = [stem_entry(group.name, group.role) for group in ordered]
        return fields

    def _render_stems(self, work: Path, parts: dict[StemGroup, mido.MidiFile]) -> int:
        """Render each part with FluidSynth and write the stems: one gain, one length."""
        scratch = work / RENDER_FOLDER
        scratch.mkdir()
        midi_files = {}
        for group, part in parts.items():
            midi_files[group.name] = scratch / f"{group.name}.mid"
            try:
                part.save(midi_files[group.name])
            except (ValueError, TypeError, OSError) as error:
                reason = f"cannot write the {group.name} part: {error}"
                raise ConversionFailed(f"{self.path}: {reason}") from None
        wavs = render_midi_files(midi_files, self.soundfont, scratch)
        peak, loud_end = loud_extent(list(wavs.values()))
        end = loud_end + round(TAIL_S * SAMPLE_RATE) if loud_end else None
        targets = {work / f"{name}.flac": wav for name, wav in wavs.items()}
        frames = write_aligned_stems(targets, common_gain(peak), end)
        shutil.rmtree(scratch)
        return frames


def initial_bpm(midi: mido.MidiFile) -> float:
    """The tempo at the start (a set_tempo at tick 0 of any track), 0 when there is none."""
    for track in midi.tracks:
        tick = 0
        for message in track:
            tick += message.time
            if tick > 0:
                break
            if message.type == "set_tempo" and message.tempo > 0:
                bpm = round(60e6 / message.tempo, 2)
                return bpm if 0 < bpm <= MAX_BPM else 0.0
    return 0.0
