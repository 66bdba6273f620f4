"""A KAR not imported plays: scanned into a real catalog, rendered whole by FluidSynth into the
transcode cache on the first play (like an MP3+G is decoded), heard through the real ALSA path
as FluidSynth's own render of the file. Without FluidSynth, the reason says what to do."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from appliance.audio.sources.locate import SourceRef
from appliance.audio.sources.midi_render import PEAK, render_midi_source
from appliance.audio.sources.stems import StemSet
from appliance.core.catalog import Catalog
from appliance.core.errors import SongLoadError
from appliance.core.models import MixSettings, SongKind
from appliance.core.store import Store
from appliance.library.formats.fluidsynth import find_soundfont
from appliance.library.scanning.scanner import scan_library
from tests.support.importer_songs import build_kar
from tests.support.mp3g_audio import compare, sounding_runs
from tests.support.waiting import eventually

pytestmark = pytest.mark.skipif(
    shutil.which("fluidsynth") is None, reason="FluidSynth not installed (scripts/setup.sh)"
)
KAR_NAME = "The Testers - Test Song.kar"


@pytest.fixture(scope="module")
def kar(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, np.ndarray]:
    """A KAR on a stick, and FluidSynth's own render of it (the reference)."""
    folder = tmp_path_factory.mktemp("stick")
    path = build_kar(folder / KAR_NAME)
    whole = folder.parent / f"{folder.name}-reference.wav"
    command = ["fluidsynth", "-n", "-i", "-q", "-g", "0.4", "-r", "48000", "-F", str(whole)]
    command += ["-T", "wav", "-O", "float", str(find_soundfont()), str(path)]
    subprocess.run(command, check=True, timeout=120, capture_output=True)
    reference, rate = sf.read(whole, dtype="float64", always_2d=True)
    assert rate == 48_000
    return path, reference


def test_the_render_is_fluidsynths_at_minus_one_dbfs(kar, tmp_path, margin):
    path, reference = kar
    dest = tmp_path / "x.flac"
    frames = render_midi_source(SourceRef(str(path)), str(dest), "s")
    rendered, rate = sf.read(dest, dtype="float64", always_2d=True)
    assert rate == 48_000 and frames == len(rendered) == len(reference)
    assert sf.info(str(dest)).subtype == "PCM_16"
    assert np.max(np.abs(rendered)) == pytest.approx(PEAK, abs=1e-3)
    gain = PEAK / np.max(np.abs(reference))
    error = np.sqrt(np.mean((rendered - gain * reference) ** 2)) / np.sqrt(np.mean(rendered**2))
    margin("KAR render vs FluidSynth's own", 20 * np.log10(error), "<", -60, "dB")
    assert not list(tmp_path.glob("*.wav")), "the synthesizer's WAV is removed"


def test_a_kar_not_imported_plays_through_the_engine(engine, kar, tmp_path, margin):
    path, reference = kar
    catalog = Catalog(Store.open_memory())
    report = scan_library(str(path.parent), catalog)
    assert report.added == 1, report.failures
    (song,) = catalog.search("testers")
    assert (song.kind, song.title, song.artist) == (SongKind.KAR, "Test Song", "The Testers")
    rig = engine()
    started = time.perf_counter()
    rig.client.play(song, MixSettings())
    margin("play() blocking while FluidSynth renders", time.perf_counter() - started, "<", 0.2)
    assert eventually(lambda: rig.client.position_s() > 0.2, 30), "the KAR did not start"
    margin("play() to sound, a KAR rendered on demand", time.perf_counter() - started, "<", 15.0)
    assert rig.listener.wait(30) and rig.listener.ended == [song.song_id]
    assert rig.client.transcoder.decodes == 1
    capture = rig.capture()
    start = sounding_runs(capture)[0][0]
    error_db, _ = compare(capture, start, reference[: round(song.duration_s * 48_000)])
    margin("KAR capture vs FluidSynth's render", error_db, "<", -60, "dB")


def test_without_fluidsynth_the_reason_says_what_to_do(kar, tmp_path, monkeypatch):
    path, _ = kar
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(SongLoadError) as caught:
        render_midi_source(SourceRef(str(path)), str(tmp_path / "x.flac"), "s")
    reason = caught.value.reason
    assert "FluidSynth is not installed" in reason and "fluid-soundfont-gm" in reason
    assert f"karaoke import '{path}'" in reason


def test_a_kar_indexed_without_stems_says_to_rescan_or_import(kar):
    path, _ = kar
    catalog = Catalog(Store.open_memory())
    scan_library(str(path.parent), catalog)
    (song,) = catalog.search("testers")
    with pytest.raises(SongLoadError) as caught:
        StemSet.open(replace(song, stems=()))
    assert "rescan the library (karaoke scan)" in caught.value.reason
    assert f"karaoke import '{path}'" in caught.value.reason
