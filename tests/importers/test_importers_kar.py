"""KAR -> native multitrack song: real FluidSynth renders of a mido-built KAR, checked by ear's
proxies (energy, pitch) and by reading the folder back with the library's own readers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from appliance.core.models import StemRole
from appliance.importers import Status, import_paths
from appliance.importers.midisplit import find_melody_channel, load_midi, note_onsets
from appliance.library.formats.fluidsynth import find_soundfont
from appliance.library.formats.kar import read_kar
from appliance.library.formats.songfiles import load_lyrics
from appliance.library.songfolder.manifest import read_manifest
from tests.support.importer_songs import MELODY, MELODY_CHANNEL, build_kar, melody_times_s

pytestmark = pytest.mark.skipif(
    shutil.which("fluidsynth") is None, reason="FluidSynth not installed (scripts/setup.sh)"
)


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the source KAR, the imported song folder)."""
    base = tmp_path_factory.mktemp("kar")
    source = build_kar(base / "test.kar")
    report = import_paths([source], base / "songs")
    assert [o.status for o in report.outcomes] == [Status.IMPORTED], report.lines()
    return source, Path(report.outcomes[0].folder)


def stems_of(folder: Path) -> dict[StemRole, np.ndarray]:
    song = read_manifest(folder)
    audio = {}
    for stem in song.stems:
        data, rate = soundfile.read(folder / stem.file, dtype="float32", always_2d=True)
        assert rate == 48_000
        audio[stem.role] = data
    return audio


def test_kar_becomes_equally_long_48k_stems_with_a_guide(imported):
    _, folder = imported
    song = read_manifest(folder)
    assert {stem.role for stem in song.stems} == {
        StemRole.DRUMS,
        StemRole.BASS,
        StemRole.LEAD_VOCAL,
    }
    assert song.has_guide and song.title == "Test Song"
    stems = stems_of(folder)
    lengths = {len(audio) for audio in stems.values()}
    assert len(lengths) == 1
    assert abs(song.duration_s - lengths.pop() / 48_000) < 0.001
    assert song.duration_s >= melody_times_s()[-1][1]
    rms = {role: float(np.sqrt(np.mean(audio**2))) for role, audio in stems.items()}
    assert rms[StemRole.DRUMS] > 0.01, rms
    peak = float(np.max(np.abs(sum(stems.values()))))
    assert 0.5 < peak <= 0.9  # one gain for all stems: the sum peaks at -1 dBFS


def _pitch_hz(
    signal: np.ndarray, rate: int, low_hz: float = 80.0, high_hz: float = 1000.0
) -> float:
    """Fundamental by autocorrelation: the first lag near the best peak, refined by a parabola."""
    signal = signal - signal.mean()
    size = len(signal)
    spectrum = np.fft.rfft(signal, 2 * size)
    correlation = np.fft.irfft(np.abs(spectrum) ** 2)[:size]
    correlation /= correlation[0]
    first, last = int(rate / high_hz), int(rate / low_hz)
    window = correlation[first:last]
    lag = first + int(np.argmax(window > 0.9 * window.max()))
    while correlation[lag + 1] > correlation[lag]:
        lag += 1
    before, at, after = correlation[lag - 1 : lag + 2]
    return rate / (lag + 0.5 * (before - after) / (before - 2 * at + after))


def test_guide_stem_sings_the_melody_notes_within_20_cents(imported):
    _, folder = imported
    guide = stems_of(folder)[StemRole.LEAD_VOCAL].mean(axis=1)
    lyrics = load_lyrics(read_manifest(folder))
    starts = [word.start_s for line in lyrics.lines for word in line.words]
    assert len(starts) == len(MELODY)
    for start_s, (_, _, pitch) in zip(starts, melody_times_s(), strict=True):
        begin = int((start_s + 0.08) * 48_000)
        measured = _pitch_hz(guide[begin : begin + 4096], 48_000)
        expected = 440.0 * 2 ** ((pitch - 69) / 12)
        cents = 1200 * np.log2(measured / expected)
        assert abs(cents) <= 20, (pitch, measured, cents)


def test_drums_and_bass_stay_out_of_the_guide(imported):
    _, folder = imported
    stems = stems_of(folder)
    first_kick = slice(0, int(0.03 * 48_000))  # the kick at 0 s; the melody starts there too
    bass_only = slice(int(0.26 * 48_000), int(0.29 * 48_000))  # bass at 0.25 s, no new melody
    assert np.max(np.abs(stems[StemRole.DRUMS][first_kick])) > 0.05
    assert np.max(np.abs(stems[StemRole.BASS][bass_only])) > 0.01
    assert np.max(np.abs(stems[StemRole.BASS][first_kick])) < 1e-3


def test_lrc_word_times_match_the_kar(imported):
    source, folder = imported
    expected = read_kar(source).lyrics
    written = load_lyrics(read_manifest(folder))
    assert [line.text for line in written.lines] == [line.text for line in expected.lines]
    for got_line, want_line in zip(written.lines, expected.lines, strict=True):
        for got, want in zip(got_line.words, want_line.words, strict=True):
            assert got.text == want.text
            assert abs(got.start_s - want.start_s) <= 0.001
            assert abs(got.end_s - want.end_s) <= 0.001


def test_melody_channel_is_the_one_matching_the_syllables(imported):
    source, folder = imported
    midi = load_midi(source.read_bytes(), str(source))
    syllables = [w.start_s for line in read_kar(source).lyrics.lines for w in line.words]
    assert find_melody_channel(note_onsets(midi), syllables) == MELODY_CHANNEL
    assert "x_melody_channel = 1" in (folder / "song.toml").read_text()


def test_stems_sum_to_the_whole_song_rendered_at_once(imported, tmp_path):
    source, folder = imported
    whole = tmp_path / "whole.wav"
    command = ["fluidsynth", "-n", "-i", "-q", "-g", "0.4", "-r", "48000", "-F", str(whole)]
    command += ["-T", "wav", "-O", "float", str(find_soundfont()), str(source)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    reference, _ = soundfile.read(whole, dtype="float32", always_2d=True)
    stems = sum(stems_of(folder).values())
    frames = min(len(reference), len(stems))
    scale = float(np.dot(stems[:frames, 0], reference[:frames, 0]))
    scale /= float(np.dot(reference[:frames, 0], reference[:frames, 0]))
    residual = stems[:frames] - scale * reference[:frames]
    assert np.sqrt(np.mean(residual**2)) < 0.02 * np.sqrt(np.mean(stems[:frames] ** 2))


def test_corrupt_kar_is_reported_and_the_rest_imported(tmp_path):
    source_folder = tmp_path / "in"
    source_folder.mkdir()
    build_kar(source_folder / "good.kar")
    (source_folder / "broken.kar").write_bytes(
        b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0MTrk\xff"
    )
    (source_folder / "noise.kar").write_bytes(b"not midi at all")
    dest = tmp_path / "songs"
    report = import_paths([source_folder], dest)
    by_name = {Path(o.source).name: o for o in report.outcomes}
    assert by_name["good.kar"].status is Status.IMPORTED
    assert by_name["broken.kar"].status is Status.SKIPPED
    assert by_name["broken.kar"].reason.startswith("the file ends early (truncated)")
    assert by_name["noise.kar"].status is Status.SKIPPED
    assert report.failed and report.summary() == "1 imported, 2 skipped"
    assert sorted(p.name for p in dest.iterdir()) == ["Test Song"]  # nothing half-written


def test_without_fluidsynth_a_kar_is_skipped_with_the_reason(tmp_path, monkeypatch):
    source = build_kar(tmp_path / "test.kar")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    report = import_paths([source], tmp_path / "songs")
    assert report.outcomes[0].status is Status.SKIPPED
    assert "FluidSynth is not installed" in report.outcomes[0].reason
    assert not (tmp_path / "songs").exists() or not any((tmp_path / "songs").iterdir())


def test_kar_keeps_the_melody_notes_so_it_scores(imported):
    from appliance.audio.dsp.pitch import track_file
    from appliance.core.scoring.model import PitchFrame
    from appliance.core.scoring.scorer import Scorer
    from appliance.library.formats.score_sheet import load_score_sheet

    _, folder = imported
    song = read_manifest(folder)
    assert song.notes_file == "notes.txt"
    sheet = load_score_sheet(song)
    assert sheet is not None
    expected = melody_times_s()
    assert [n.pitch_midi for n in sheet.notes] == [pitch for _, _, pitch in expected]
    assert [n.text for n in sheet.notes] == ["Hel", "lo ", "world", "Sing ", "a ", "song"]
    for note, (start, end, _) in zip(sheet.notes, expected, strict=True):
        assert note.start_s == pytest.approx(start, abs=0.006)
        assert note.end_s == pytest.approx(end, abs=0.006)
    assert sheet.line_count == 2
    assert [n.line for n in sheet.notes] == [0, 0, 0, 1, 1, 1]
    # the rendered guide (a flute) sung back scores near the maximum
    scorer = Scorer(sheet)
    guide = next(s for s in song.stems if s.role is StemRole.LEAD_VOCAL)
    scorer.feed(PitchFrame(t, m) for t, m in track_file(str(folder / guide.file)))
    assert scorer.finish().score >= 9000


def test_a_kar_played_in_place_scores_on_the_same_notes(imported):
    from appliance.library.formats.score_sheet import load_score_sheet
    from appliance.library.scanning.registry import candidate_at

    source, folder = imported
    candidate = candidate_at(str(source))
    assert candidate is not None
    in_place = candidate.reader.read(candidate, str(source.parent))
    assert in_place.notes_file == ""
    sheet, imported_sheet = load_score_sheet(in_place), load_score_sheet(read_manifest(folder))
    assert sheet is not None and imported_sheet is not None
    assert [(n.pitch_midi, n.line, n.text) for n in sheet.notes] == [
        (n.pitch_midi, n.line, n.text) for n in imported_sheet.notes
    ]
    for note, written in zip(sheet.notes, imported_sheet.notes, strict=True):
        assert note.start_s == pytest.approx(written.start_s, abs=0.006)  # the 10 ms grid
