"""Render a :class:`DemoSong` into its six stems: drums, bass, keys, backing vocals, the lead
guide vocal and the click. Stems are stereo float32, sample-aligned and equally long; each is
brought to its own loudness, panned a little, and all are scaled together so their sum peaks
below -1 dBFS.
"""

from __future__ import annotations

import zlib
from fractions import Fraction

import numpy as np

import appliance.demosongs.instruments as inst
from appliance.demosongs.patterns import BASS, COMPING, GROOVES, chord_spans, events_in_span
from appliance.demosongs.score import DemoSong
from appliance.demosongs.theory import bass_note, close_voicing
from appliance.demosongs.voices import ooh, render_lead

SR = inst.SR
STEMS = ("drums", "bass", "keys", "backing_vocals", "lead_vocal", "click")
PANS = {"drums": 0.0, "bass": 0.0, "keys": -0.3, "backing_vocals": 0.3, "lead_vocal": 0.0,
        "click": 0.0}  # fmt: skip
LEVELS_DB = {"drums": -17.0, "bass": -18.0, "keys": -22.0, "backing_vocals": -27.0,
             "lead_vocal": -18.0, "click": -28.0}  # fmt: skip
MIX_PEAK = 10 ** (-1.5 / 20)
GROOVE_KINDS = ("intro", "sing", "break")


def render_stems(song: DemoSong) -> dict[str, np.ndarray]:
    """All stems of ``song`` as (frames, 2) float32 arrays, mixed to fit together."""
    total = round(song.duration_s * SR)
    stems = {
        "drums": _drums(song, total),
        "bass": _pan(_bass(song, total), PANS["bass"]),
        "keys": _pan(_keys(song, total), PANS["keys"]),
        "backing_vocals": _backing(song, total),
        "lead_vocal": _pan(render_lead(song.notes, total), PANS["lead_vocal"]),
        "click": _pan(_click(song, total), PANS["click"]),
    }
    for name in STEMS:
        stems[name] *= 10 ** (LEVELS_DB[name] / 20) / _active_rms(stems[name])
    peak = float(np.max(np.abs(sum(stems.values()))))
    scale = min(1.0, MIX_PEAK / peak)
    return {name: (audio * scale).astype(np.float32) for name, audio in stems.items()}


def _pan(mono: np.ndarray, pan: float) -> np.ndarray:
    angle = (pan + 1.0) * np.pi / 4
    return np.stack([mono * np.cos(angle), mono * np.sin(angle)], axis=1) * np.sqrt(2.0)


def _active_rms(audio: np.ndarray) -> float:
    """RMS over the blocks where the stem plays (silence does not count)."""
    mono = audio.mean(axis=1) if audio.ndim == 2 else audio
    blocks = mono[: len(mono) // 2400 * 2400].reshape(-1, 2400)
    power = np.mean(blocks**2, axis=1)
    active = power[power > power.max() * 1e-3]
    return float(np.sqrt(np.mean(active))) or 1.0


def _add(out: np.ndarray, at: int, clip: np.ndarray, gain: float = 1.0) -> None:
    end = min(len(out), at + len(clip))
    if end > at >= 0:
        out[at:end] += gain * clip[: end - at]


def _sample(song: DemoSong, beat: Fraction | float) -> int:
    return round(Fraction(beat) * SR * 60 / song.bpm)


def _sections(song: DemoSong, kinds: tuple[str, ...]):
    for section in song.sections:
        if section.kind in kinds:
            yield section, section.start + section.bars * song.spec.beats_per_bar


def _drums(song: DemoSong, total: int) -> np.ndarray:
    rng = np.random.default_rng(zlib.crc32(song.song_id.encode()))
    center, side = np.zeros(total), np.zeros((total, 2))
    bpb, groove = song.spec.beats_per_bar, GROOVES[song.spec.style]
    fills = {s.start - 1 for s, _ in _sections(song, ("sing", "break")) if s.start > bpb}
    for section, end in _sections(song, ("countin", *GROOVE_KINDS, "ending")):
        if section.kind == "countin":
            for beat in range(int(section.start), int(end)):
                _add(center, _sample(song, beat), inst.sticks(), 0.8 if beat % bpb else 1.0)
            continue
        _add(side, _sample(song, section.start), _stereo(inst.crash(), -0.3), 0.5)
        _add(center, _sample(song, section.start), inst.kick())
        if section.kind == "ending":
            continue
        for bar_start in range(int(section.start), int(end), bpb):
            for name, hits in groove.items():
                for position, velocity in hits:
                    hit_beat = bar_start + Fraction(position)
                    if hit_beat == section.start and name == "kick":
                        continue
                    if int(hit_beat) in fills:
                        continue
                    gain = velocity * (1.0 + 0.08 * rng.uniform(-1, 1))
                    _hit(song, center, side, name, hit_beat, gain=gain)
        for beat in fills & set(range(int(section.start), int(end))):
            for step, velocity in enumerate((0.35, 0.45, 0.6, 0.8)):
                _add(center, _sample(song, beat + Fraction(step, 4)), inst.snare(), velocity)
    return _pan(center, 0.0) + side


def _hit(song, center, side, name, beat, *, gain) -> None:
    at = _sample(song, beat)
    if name == "kick":
        _add(center, at, inst.kick(), gain)
    elif name == "snare":
        _add(center, at, inst.snare(), gain * 0.8)
    else:
        _add(side, at, _stereo(inst.hihat(name == "open_hat"), 0.35), gain * 0.35)


def _stereo(mono: np.ndarray, pan: float) -> np.ndarray:
    return _pan(mono.astype(np.float64), pan)


def _bass(song: DemoSong, total: int) -> np.ndarray:
    out = np.zeros(total)
    spb = SR * 60 / song.bpm
    for span in chord_spans(song, GROOVE_KINDS):
        root = bass_note(span.chord.root_pc)
        for event in events_in_span(span, song.spec.beats_per_bar, BASS[song.spec.style]):
            tone, beats = event.value
            pitch = root + (7 if tone == "fifth" else 0)
            _add(out, _sample(song, event.beat), inst.bass_note(pitch, int(beats * spb * 0.92)))
    for span in chord_spans(song, ("ending",)):
        n = _sample(song, span.beats) - int(0.2 * SR)
        _add(out, _sample(song, span.start), inst.bass_note(bass_note(span.chord.root_pc), n))
    return out


def _keys(song: DemoSong, total: int) -> np.ndarray:
    out = np.zeros(total)
    spb = SR * 60 / song.bpm
    for span in chord_spans(song, GROOVE_KINDS):
        voicing = close_voicing(span.chord, low=55)
        low_root = bass_note(span.chord.root_pc, low=48)
        for event in events_in_span(span, song.spec.beats_per_bar, COMPING[song.spec.style]):
            beats, velocity = event.value
            n = int(beats * spb * 0.95)
            notes = voicing + ((low_root,) if event.beat == span.start else ())
            for pitch in notes:
                _add(out, _sample(song, event.beat), inst.piano_note(pitch, n, velocity), 0.3)
    for span in chord_spans(song, ("ending",)):
        n = _sample(song, span.beats) - int(0.1 * SR)
        for pitch in (*close_voicing(span.chord, low=55), bass_note(span.chord.root_pc, 48)):
            _add(out, _sample(song, span.start), inst.piano_note(pitch, n, 0.8), 0.3)
    for note in song.lead_notes:
        n = round(note.duration_s * SR * 0.95)
        _add(out, round(note.start_s * SR), inst.organ_note(note.pitch_midi + 12, n), 0.55)
    return out


def _backing(song: DemoSong, total: int) -> np.ndarray:
    out = np.zeros((total, 2))
    for span in chord_spans(song, ("sing", "break", "ending")):
        n = _sample(song, span.beats)
        level = 0.6 if _kind_at(song, span.start) == "break" else 1.0
        for pitch in close_voicing(span.chord, low=57, max_notes=3):
            at = _sample(song, span.start)
            _add(out[:, 0], at, ooh(pitch, n, -7.0), level)
            _add(out[:, 1], at, ooh(pitch, n, 7.0), level)
    angle = (PANS["backing_vocals"] + 1.0) * np.pi / 4
    return out * np.array([np.cos(angle), np.sin(angle)]) * np.sqrt(2.0)


def _kind_at(song: DemoSong, beat: Fraction | int) -> str:
    kind = ""
    for section in song.sections:
        if section.start <= beat:
            kind = section.kind
    return kind


def _click(song: DemoSong, total: int) -> np.ndarray:
    out = np.zeros(total)
    bpb = song.spec.beats_per_bar
    for beat in range(int(song.total_beats)):
        _add(out, _sample(song, beat), inst.click(beat % bpb == 0))
    return out
